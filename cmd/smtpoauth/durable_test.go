package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// selfSigned writes a certificate for 127.0.0.1 and its key into dir.
func selfSigned(t *testing.T, dir, name string) (certFile, keyFile string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "console.contoso.com"}, DNSNames: []string{"console.contoso.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalPKCS8PrivateKey(key)
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

func TestHealthcheck_TLSConsoleIsHealthy(t *testing.T) {
	dir := t.TempDir()
	// Issued for a name, not for 127.0.0.1: the health check must still trust it.
	certFile, keyFile := selfSigned(t, dir, "console")
	otherCert, _ := selfSigned(t, dir, "other")
	env := map[string]string{"SMTPOAUTH_TLS_CERT": certFile, "SMTPOAUTH_TLS_KEY": keyFile}
	base, stop := startServe(t, env, "--data-dir", filepath.Join(dir, "data"))
	defer stop()
	u, _ := url.Parse(base)

	if res := runCLI(t, env, "", "healthcheck", "--addr", u.Host); res.code != 0 || !strings.Contains(res.stdout, "ready") {
		t.Fatalf("healthcheck of a TLS console: got exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	// Another certificate than the console's is not trusted: the chain is still checked.
	if res := runCLI(t, env, "", "healthcheck", "--addr", u.Host, "--tls-cert", otherCert); res.code == 0 {
		t.Fatal("healthcheck trusted a certificate the console does not use")
	}
}

func TestKeyRotate_RefusesWhileConsoleRunsNamingTheLock(t *testing.T) {
	dir := t.TempDir()
	_, stop := startServe(t, map[string]string{}, "--data-dir", dir)
	before, _ := os.ReadFile(filepath.Join(dir, "master.key"))
	res := runCLI(t, map[string]string{}, "", "key", "rotate", "--data-dir", dir)
	after, _ := os.ReadFile(filepath.Join(dir, "master.key"))
	if res.code == 0 || !strings.Contains(res.stderr, "smtpoauth.lock") || !strings.Contains(res.stderr, "console stopped") {
		t.Fatalf("key rotate while serving: got exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if string(before) != string(after) {
		t.Fatal("the refused rotation changed master.key")
	}
	if _, err := stop(); err != nil {
		t.Fatal(err)
	}
	if res := runCLI(t, map[string]string{}, "", "key", "rotate", "--data-dir", dir); res.code != 0 {
		t.Fatalf("key rotate after the console stopped: got exit %d\n%s", res.code, res.stderr)
	}
}

func TestServe_MissingKeyRefusesWithoutWritingOne(t *testing.T) {
	dir := t.TempDir()
	res := runCLI(t, map[string]string{}, "Abc8Q~super.secret.value-0123456789\n", "profile", "add", "--secret-file", "-", "--data-dir", dir, "--name", "Contoso", "--tenant", "7c0c36f5-af83-4c24-8844-9962e0163719",
		"--client-id", "11111111-aaaa-4bbb-8ccc-000000000001", "--mailbox", "billing@contoso.com")
	if res.code != 0 {
		t.Fatalf("profile add: %d %s", res.code, res.stderr)
	}
	os.Remove(filepath.Join(dir, "master.key"))
	res = runCLI(t, map[string]string{}, "", "serve", "--addr", "127.0.0.1:0", "--data-dir", dir)
	if res.code != 1 || !strings.Contains(res.stderr, "sealed with key") || !strings.Contains(res.stderr, "nothing was written") {
		t.Fatalf("got exit %d:\n%s", res.code, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "master.key")); !os.IsNotExist(err) {
		t.Fatalf("a new master.key was written for a database sealed with another key (stat: %v)", err)
	}
}
