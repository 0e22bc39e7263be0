package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// rsaCert returns a self-signed certificate and its PKCS#8 key, as PEM.
func rsaCert(tb testing.TB) (certPEM, keyPEM string) {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "smtpoauth-contoso"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	kb, _ := x509.MarshalPKCS8PrivateKey(key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}))
}

// keyLine is one line of the key's base64 body: enough to find the key in any file.
func keyLine(keyPEM string) string { return strings.Split(keyPEM, "\n")[3] }

// assertNotOnDisk fails when the database file or its WAL holds needle in clear.
func assertNotOnDisk(tb testing.TB, db *store.DB, needle string) {
	tb.Helper()
	for _, path := range []string{db.Path, db.Path + "-wal"} {
		b, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			tb.Fatal(err)
		}
		if bytes.Contains(b, []byte(needle)) {
			tb.Fatalf("%s holds the private key in clear", path)
		}
	}
}

func TestCreateProfile_CertificateBundle(t *testing.T) {
	certPEM, keyPEM := rsaCert(t)
	bundle := certPEM + keyPEM

	t.Run("KeyMovedToSealedColumn", func(t *testing.T) {
		db := MustOpenDB(t)
		in := validInput()
		in.CredentialKind, in.Secret, in.CertificatePEM = store.KindCertificate, "", bundle
		p := MustCreateProfile(t, db, in)
		if strings.Contains(p.CertificatePEM, "PRIVATE KEY") || !strings.Contains(p.CertificatePEM, "BEGIN CERTIFICATE") {
			t.Fatalf("certificate column holds:\n%s\nwant the certificate alone", p.CertificatePEM)
		}
		cred, err := db.Credential(context.Background(), p.ID)
		if err != nil || cred.Certificate == nil {
			t.Fatalf("the moved key does not open: %v", err)
		}
		assertNotOnDisk(t, db, keyLine(keyPEM))
	})

	t.Run("ErrKeyAlsoInKeyField", func(t *testing.T) {
		db := MustOpenDB(t)
		in := validInput()
		in.CredentialKind, in.Secret, in.CertificatePEM, in.PrivateKeyPEM = store.KindCertificate, "", bundle, keyPEM
		_, err := db.CreateProfile(context.Background(), in, "tester")
		var ve *store.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(i18n.Msg(i18n.EN, ve.Fields["certificate"]), "private key") || !strings.Contains(i18n.Msg(i18n.DE, ve.Fields["certificate"]), "privaten Schlüssel") {
			t.Fatalf("got %v, want a certificate field error in English and German", err)
		}
		if n, _ := db.CountProfiles(context.Background()); n != 0 {
			t.Fatalf("a refused profile was saved")
		}
	})

	for name, key := range map[string]string{
		"ErrEncryptedKey": "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI\n-----END ENCRYPTED PRIVATE KEY-----\n",
		"ErrOtherKey":     func() string { _, k := rsaCert(t); return k }(),
	} {
		t.Run(name, func(t *testing.T) {
			db := MustOpenDB(t)
			in := validInput()
			in.CredentialKind, in.Secret, in.CertificatePEM = store.KindCertificate, "", certPEM+key
			_, err := db.CreateProfile(context.Background(), in, "tester")
			var ve *store.ValidationError
			if !errors.As(err, &ve) || ve.Fields["certificate"].Code == "" {
				t.Fatalf("got %v, want the certificate refused", err)
			}
		})
	}

	t.Run("ErrKeyInNotes", func(t *testing.T) {
		db := MustOpenDB(t)
		in := validInput()
		in.Notes = "key for later:\n" + keyPEM
		_, err := db.CreateProfile(context.Background(), in, "tester")
		var ve *store.ValidationError
		if !errors.As(err, &ve) || ve.Fields["notes"].Code == "" {
			t.Fatalf("got %v, want the notes refused", err)
		}
		p := MustCreateProfile(t, db, validInput())
		if err := db.UpdateNotes(context.Background(), p.ID, "-----BEGIN RSA PRIVATE KEY-----\nMIIE", "hank"); !errors.As(err, &ve) {
			t.Fatalf("help desk notes with a key: got %v, want refused", err)
		}
		assertNotOnDisk(t, db, keyLine(keyPEM))
	})
}

func TestLoadKeys_MissingKeyFileForSealedDatabaseWritesNothing(t *testing.T) {
	dir := t.TempDir()
	env := func(string) string { return "" }
	kr, _, err := store.LoadKeys(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), dir+"/"+store.FileName, kr)
	if err != nil {
		t.Fatal(err)
	}
	MustCreateProfile(t, db, validInput())
	db.Close()
	os.Remove(dir + "/" + store.KeyFileName)

	_, _, err = store.LoadKeys(env, dir)
	if err == nil || !strings.Contains(err.Error(), kr.CurrentID()) {
		t.Fatalf("got %v, want a refusal naming key %s", err, kr.CurrentID())
	}
	if _, err := os.Stat(dir + "/" + store.KeyFileName); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a key file was written before refusing (stat: %v)", err)
	}
}

func TestOpen_KeyLeftInCertificateColumnIsSealedAndWiped(t *testing.T) {
	certPEM, keyPEM := rsaCert(t)
	path := t.TempDir() + "/" + store.FileName
	db := MustOpenDBAt(t, path, testKey)
	in := validInput()
	in.CredentialKind, in.Secret, in.CertificatePEM, in.PrivateKeyPEM = store.KindCertificate, "", certPEM, keyPEM
	p := MustCreateProfile(t, db, in)
	db.Close()

	// What an earlier version stored for a bundle: the key in clear, nothing sealed.
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE profiles SET certificate_pem = ?, private_key_sealed = NULL WHERE id = ?", certPEM+keyPEM, p.ID); err != nil {
		t.Fatal(err)
	}
	raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	raw.Close()
	if b, _ := os.ReadFile(path); !bytes.Contains(b, []byte(keyLine(keyPEM))) {
		t.Fatal("test setup: the key is not in the file in clear")
	}

	db = MustOpenDBAt(t, path, testKey)
	got, err := db.Profile(context.Background(), p.ID)
	if err != nil || strings.Contains(got.CertificatePEM, "PRIVATE KEY") {
		t.Fatalf("certificate column after reopening: %v\n%s", err, got.CertificatePEM)
	}
	if cred, err := db.Credential(context.Background(), p.ID); err != nil || cred.Certificate == nil {
		t.Fatalf("the key was not sealed into its column: %v", err)
	}
	assertNotOnDisk(t, db, keyLine(keyPEM))
}

// Every kind of private key pasted into a notes field is refused, an armoured PGP key too.
func TestUpdateNotes_PGPPrivateKeyRefused(t *testing.T) {
	db := MustOpenDB(t)
	p := MustCreateProfile(t, db, validInput())
	for _, key := range []string{
		"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGXfake0BCAC1\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----",
		"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
	} {
		var ve *store.ValidationError
		if err := db.UpdateNotes(context.Background(), p.ID, "our key:\n"+key, "tester"); !errors.As(err, &ve) || ve.Fields["notes"].Code == "" {
			t.Errorf("notes holding %.40q: got %v, want refused", key, err)
		}
		if store.WithoutPrivateKeys("x "+key) != "x" {
			t.Errorf("%.40q is echoed back", key)
		}
	}
}
