package mailer

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" // x5t is defined as the SHA-1 thumbprint; Entra matches certificates by it.
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// Credential is how the app proves itself to Entra: a client secret or a certificate.
// Exactly one of Secret and Certificate is set.
type Credential struct {
	Secret      string
	Certificate *Certificate
}

// Certificate is an app's certificate credential: the certificate uploaded to the app
// registration and its RSA private key.
type Certificate struct {
	Leaf *x509.Certificate
	Key  *rsa.PrivateKey
}

// ParseCertificate reads a PEM certificate and a PEM private key (PKCS#8 or PKCS#1 RSA).
func ParseCertificate(certPEM, keyPEM []byte) (*Certificate, error) {
	cb, _ := pem.Decode(certPEM)
	if cb == nil || cb.Type != "CERTIFICATE" {
		return nil, fieldErr("certificate", FieldCertNoPEM)
	}
	leaf, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fieldErr("certificate", FieldCertUnreadable, err.Error())
	}
	kb, _ := pem.Decode(keyPEM)
	if kb == nil {
		return nil, fieldErr("private_key", FieldKeyNoPEM)
	}
	var key any
	switch kb.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(kb.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(kb.Bytes)
	}
	if err != nil {
		// The parser's message never contains key material, only its structure.
		return nil, fieldErr("private_key", FieldKeyUnreadable, err.Error())
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fieldErr("private_key", FieldKeyNotRSA)
	}
	pub, ok := leaf.PublicKey.(*rsa.PublicKey)
	if !ok || !pub.Equal(&rsaKey.PublicKey) {
		return nil, fieldErr("private_key", FieldKeyMismatch)
	}
	return &Certificate{Leaf: leaf, Key: rsaKey}, nil
}

// Thumbprint is the certificate's SHA-1 thumbprint in hex, as the Entra portal shows it.
func (c *Certificate) Thumbprint() string {
	sum := sha1.Sum(c.Leaf.Raw)
	return fmt.Sprintf("%X", sum[:])
}

// formatGUID shapes 16 random bytes as a version-4 GUID.
func formatGUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// NewGUID returns a random version-4 GUID.
func NewGUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return formatGUID(b)
}
