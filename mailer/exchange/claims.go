package exchange

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// DecodeClaims reads the payload of a JWT access token without checking its signature.
func DecodeClaims(token string) (*mailer.Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("the access token is not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, errors.New("the access token's payload is not base64url")
	}
	var raw struct {
		Aud     json.RawMessage `json:"aud"`
		Roles   []string        `json:"roles"`
		Tid     string          `json:"tid"`
		Appid   string          `json:"appid"`
		Azp     string          `json:"azp"`
		Oid     string          `json:"oid"`
		Iss     string          `json:"iss"`
		Ver     string          `json:"ver"`
		Exp     float64         `json:"exp"`
		Appidac string          `json:"appidacr"`
		Azpacr  string          `json:"azpacr"`
	}
	if err := json.Unmarshal(payload, &raw); err != nil {
		return nil, errors.New("the access token's payload is not JSON")
	}
	c := &mailer.Claims{Roles: raw.Roles, TenantID: raw.Tid, AppID: firstNonEmpty(raw.Appid, raw.Azp), ObjectID: raw.Oid,
		Issuer: raw.Iss, Version: raw.Ver, AuthMethod: firstNonEmpty(raw.Appidac, raw.Azpacr)}
	if raw.Exp > 0 {
		c.ExpiresAt = time.Unix(int64(raw.Exp), 0).UTC()
	}
	// aud is a string in Entra tokens, but JWT allows an array.
	var auds []string
	if json.Unmarshal(raw.Aud, &c.Audience) != nil && json.Unmarshal(raw.Aud, &auds) == nil && len(auds) > 0 {
		c.Audience = auds[0]
	}
	return c, nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
