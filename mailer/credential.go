package mailer

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" // x5t is defined as the SHA-1 thumbprint; Entra matches certificates by it.
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"time"
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

// clientAssertion signs the JWT that replaces a client secret (FACTS.md §2.2): RS256 with x5t,
// the SHA-1 thumbprint that works everywhere, and a short lifetime.
func (c *Certificate) clientAssertion(clientID, tokenURL string, now time.Time) (string, error) {
	thumb := sha1.Sum(c.Leaf.Raw)
	header := map[string]string{"alg": "RS256", "typ": "JWT", "x5t": base64.RawURLEncoding.EncodeToString(thumb[:])}
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return "", err
	}
	claims := map[string]any{
		"aud": tokenURL, "iss": clientID, "sub": clientID, "jti": formatGUID(jti),
		"nbf": now.Unix(), "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
	}
	return SignJWT(header, claims, c.Key)
}

// SignJWT makes a compact RS256 JWS. It is exported for the fake Exchange, which issues tokens the same way.
func SignJWT(header map[string]string, claims any, key *rsa.PrivateKey) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	p, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signing := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p)
	digest := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig), nil
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

var errNoCredential = errors.New("no credential: give a client secret or a certificate")
