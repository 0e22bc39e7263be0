package handlers_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
)

const pfxPassword = "Pfx-Pass-7781"

// certificateForm is the wizard's form for the fake's certificate app, with no credential typed.
func certificateForm(t *testing.T, c *console) (url.Values, *mailer.Certificate) {
	t.Helper()
	sc, _ := mailertest.ScenarioByName(c.Scenarios, "certificate")
	cert, err := mailer.ParseCertificate(sc.CertPEM, sc.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	f := c.scenarioForm(t, "certificate")
	f.Del("secret")
	f.Set("credential_kind", "certificate")
	f.Set("mode", "none")
	return f, cert
}

func selfSigned(t *testing.T, notAfter time.Time) ([]byte, *rsa.PrivateKey) {
	t.Helper()
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "smtpoauth-test"},
		NotBefore: notAfter.Add(-48 * time.Hour), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

func pemOf(typ string, b []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}) }

// A PFX (modern AES or legacy 3DES) or a PEM bundle uploaded as the certificate is saved, and its
// key signs in; the PFX password is nowhere afterwards.
func TestCertificateUpload_OK(t *testing.T) {
	c := newConsole(t)
	f, cert := certificateForm(t, c)
	modern, err := pkcs12.Modern2023.Encode(cert.Key, cert.Leaf, nil, pfxPassword)
	if err != nil {
		t.Fatal(err)
	}
	legacy, _ := pkcs12.LegacyDES.Encode(cert.Key, cert.Leaf, nil, pfxPassword)
	kb, _ := x509.MarshalPKCS8PrivateKey(cert.Key)
	bundle := append(pemOf("CERTIFICATE", cert.Leaf.Raw), pemOf("PRIVATE KEY", kb)...)
	for i, file := range map[string][]byte{"PFXModern": modern, "PFXLegacy": legacy, "PEMBundle": bundle} {
		t.Run(i, func(t *testing.T) {
			f.Set("name", "Upload "+i)
			f.Set("certificate_password", pfxPassword)
			resp, body := c.postMultipart(t, "/wizard", f, map[string][]byte{"certificate_file": file})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("got %d, want the connection saved\n%s", resp.StatusCode, body)
			}
			id := resp.Header.Get("Location")[len("/profiles/"):]
			ps, _ := c.DB.Profiles(t.Context(), "Upload "+i)
			if len(ps) != 1 || ps[0].CredentialKind != store.KindCertificate {
				t.Fatalf("profile %s not saved with a certificate", id)
			}
			cred, err := c.DB.Credential(t.Context(), ps[0].ID)
			if err != nil || cred.Certificate == nil || cred.Certificate.Thumbprint() != cert.Thumbprint() {
				t.Fatalf("stored certificate: %v, want thumbprint %s", err, cert.Thumbprint())
			}
			_, edit := c.get(t, resp.Header.Get("Location")+"/edit")
			if strings.Contains(edit, pfxPassword) || strings.Contains(edit, "PRIVATE KEY-----") {
				t.Fatal("the edit page shows the password or the key")
			}
		})
	}
	_, audit := c.get(t, "/audit.csv")
	if strings.Contains(audit, pfxPassword) {
		t.Fatal("the PFX password reached the audit log")
	}
	// Step 1's check (htmx) takes the file too, and fetches a token with it.
	f.Set("name", "Checked")
	_, frag := c.postMultipart(t, "/wizard/token", f, map[string][]byte{"certificate_file": modern}, "HX-Request", "true")
	if testid(doc(t, frag), "token-ok").Length() != 1 {
		t.Fatalf("the check with an uploaded PFX did not pass:\n%s", frag)
	}
}

// Each way an upload can be wrong has its own words at the file field, nothing is saved, and the
// password is never echoed.
func TestCertificateUpload_Errors(t *testing.T) {
	c := newConsole(t)
	f, cert := certificateForm(t, c)
	pfx, _ := pkcs12.Modern2023.Encode(cert.Key, cert.Leaf, nil, pfxPassword)
	noKeyPFX, _ := pkcs12.Modern2023.EncodeTrustStore([]*x509.Certificate{cert.Leaf}, pfxPassword)
	_, otherKey := selfSigned(t, time.Now().Add(time.Hour))
	otherKB, _ := x509.MarshalPKCS8PrivateKey(otherKey)
	expiredDER, expiredKey := selfSigned(t, time.Now().Add(-24*time.Hour))
	expiredKB, _ := x509.MarshalPKCS8PrivateKey(expiredKey)
	expiredPFX, _ := pkcs12.Modern2023.Encode(expiredKey, mustCert(t, expiredDER), nil, pfxPassword)
	cases := []struct {
		name, password string
		file           []byte
		want           string
	}{
		{"ErrWrongPassword", "not-" + pfxPassword, pfx, "password is wrong"},
		{"ErrNoPrivateKeyPFX", pfxPassword, noKeyPFX, "no private key"},
		{"ErrNoPrivateKeyPEM", "", pemOf("CERTIFICATE", cert.Leaf.Raw), "no private key"},
		{"ErrKeyMismatch", "", append(pemOf("CERTIFICATE", cert.Leaf.Raw), pemOf("PRIVATE KEY", otherKB)...), "does not belong"},
		{"ErrExpiredPEM", "", append(pemOf("CERTIFICATE", expiredDER), pemOf("PRIVATE KEY", expiredKB)...), "expired on"},
		{"ErrExpiredPFX", pfxPassword, expiredPFX, "expired on"},
		{"ErrEncryptedPEM", "", append(pemOf("CERTIFICATE", cert.Leaf.Raw), pemOf("ENCRYPTED PRIVATE KEY", []byte{1, 2, 3})...), "encrypted"},
		{"ErrNotACertificate", "", []byte("PK\x03\x04 this is a zip file"), "neither"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.Set("certificate_password", tc.password)
			resp, body := c.postMultipart(t, "/wizard", f, map[string][]byte{"certificate_file": tc.file})
			d := doc(t, body)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(testid(d, "error-certificate_file").Text(), tc.want) {
				t.Fatalf("got %d, error %q; want 422 with %q at the file field", resp.StatusCode, testid(d, "error-certificate_file").Text(), tc.want)
			}
			if d.Find("#certificate_file[autofocus]").Length() != 1 {
				t.Error("the focus is not on the file field")
			}
			if strings.Contains(body, tc.password) && tc.password != "" {
				t.Error("the password came back in the page")
			}
			if ps, _ := c.DB.Profiles(t.Context(), ""); len(ps) != 0 {
				t.Fatal("a refused upload saved a connection")
			}
			// htmx's check says the same, in its list.
			_, frag := c.postMultipart(t, "/wizard/token", f, map[string][]byte{"certificate_file": tc.file}, "HX-Request", "true")
			if !strings.Contains(testid(doc(t, frag), "token-errors").Text(), tc.want) {
				t.Errorf("the check's answer lacks %q:\n%s", tc.want, frag)
			}
		})
	}
	// A file beyond the upload limit is refused before anything reads it.
	f.Set("certificate_password", "")
	resp, _ := c.postMultipart(t, "/wizard", f, map[string][]byte{"certificate_file": make([]byte, 300<<10)})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 300 KiB file: got %d, want 413", resp.StatusCode)
	}
}

func mustCert(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A German reader gets the upload's refusal in German.
func TestCertificateUpload_ErrorInGerman(t *testing.T) {
	c := newConsole(t)
	c.post(t, "/lang", url.Values{"lang": {"de"}, "next": {"/"}})
	f, cert := certificateForm(t, c)
	pfx, _ := pkcs12.Modern2023.Encode(cert.Key, cert.Leaf, nil, pfxPassword)
	f.Set("certificate_password", "falsch")
	resp, body := c.postMultipart(t, "/wizard", f, map[string][]byte{"certificate_file": pfx})
	if got := testid(doc(t, body), "error-certificate_file").Text(); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, "PFX-Kennwort ist falsch") {
		t.Fatalf("got %d, %q; want the German refusal", resp.StatusCode, got)
	}
}
