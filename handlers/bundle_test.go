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
)

func TestProfileForm_CertificateBundleKeyNeverEchoed(t *testing.T) {
	c := newConsole(t)
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "smtpoauth-contoso"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	kb, _ := x509.MarshalPKCS8PrivateKey(key)
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}))
	keyLine := strings.Split(keyPEM, "\n")[3]

	form := c.scenarioForm(t, "works")
	form.Set("credential_kind", "certificate")
	form.Set("secret", "")
	form.Set("certificate_pem", certPEM+keyPEM)
	form.Set("mode", "none")

	// Refused (a key in both fields): the re-rendered form must not carry the key.
	form.Set("private_key_pem", keyPEM)
	resp, body := c.post(t, "/profiles", form)
	if resp.StatusCode != 422 || strings.Contains(body, keyLine) {
		t.Fatalf("refused bundle: got %d, key echoed %v; want 422 without the key", resp.StatusCode, strings.Contains(body, keyLine))
	}

	// Accepted (key field empty): the key is moved and sealed, and the edit page shows none of it.
	form.Set("private_key_pem", "")
	resp, _ = c.post(t, "/profiles", form)
	if resp.StatusCode != 303 {
		t.Fatalf("bundle: got %d, want the profile saved", resp.StatusCode)
	}
	_, edit := c.get(t, resp.Header.Get("Location")+"/edit")
	if !strings.Contains(edit, "BEGIN CERTIFICATE") || strings.Contains(edit, keyLine) || strings.Contains(edit, "PRIVATE KEY-----") {
		t.Fatal("the edit page echoes the private key, or lost the certificate")
	}
}
