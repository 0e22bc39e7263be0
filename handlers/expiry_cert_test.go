package handlers_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
)

// A certificate ten days from its NotAfter is warned on the dashboard like a secret is, with its
// date (the dashboard used to read only the secret's expiry date, so certificates expired unseen).
func TestDashboard_CertificateExpiryWarned(t *testing.T) {
	c := newConsole(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	notAfter := time.Now().Add(10*24*time.Hour + time.Hour)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtpoauth"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	kb, _ := x509.MarshalPKCS8PrivateKey(key)
	_, err = c.DB.CreateProfile(t.Context(), store.ProfileInput{Name: "Cert", Tenant: "contoso.onmicrosoft.com", ClientID: "11111111-aaaa-4bbb-8ccc-000000000001",
		CredentialKind: store.KindCertificate, CertificatePEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		PrivateKeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb})), Mailbox: "billing@contoso.com"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	_, body := c.get(t, "/")
	got := testid(doc(t, body), "expiry-warning").Text()
	if !strings.Contains(got, "10 days") || !strings.Contains(got, notAfter.UTC().Format("2006-01-02")) {
		t.Fatalf("got expiry warning %q, want 10 days and the certificate's date", got)
	}
}
