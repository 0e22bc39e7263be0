package exchange

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1" // x5t is defined as the SHA-1 thumbprint; Entra matches certificates by it.
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// clientAssertion signs the JWT that replaces a client secret (Microsoft identity platform,
// "Certificate credentials for application authentication"): RS256 with x5t, the SHA-1
// thumbprint that works everywhere, and a short lifetime.
func clientAssertion(c *mailer.Certificate, clientID, tokenURL string, now time.Time) (string, error) {
	thumb := sha1.Sum(c.Leaf.Raw)
	header := map[string]string{"alg": "RS256", "typ": "JWT", "x5t": base64.RawURLEncoding.EncodeToString(thumb[:])}
	claims := map[string]any{
		"aud": tokenURL, "iss": clientID, "sub": clientID, "jti": mailer.NewGUID(),
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

var errNoCredential = errors.New("no credential: give a client secret or a certificate")
