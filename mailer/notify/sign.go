package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The webhook's headers. SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256>", where
// the HMAC is keyed with the webhook's signing secret and taken over the timestamp, a dot, and
// the raw request body: "1764590400.{...}". A receiver recomputes it over the body as received,
// compares in constant time, and refuses a timestamp further than a few minutes from its clock,
// so that a captured request cannot be replayed later. DeliveryHeader is the alert's ID, the
// same on every retry, so that a receiver can drop a duplicate.
const (
	SignatureHeader = "Smtpoauth-Signature"
	DeliveryHeader  = "Smtpoauth-Alert-Id"
)

// DefaultTolerance is how far a signature's timestamp may be from the receiver's clock.
const DefaultTolerance = 5 * time.Minute

// Sign returns the signature header's value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Errors Verify returns.
var (
	ErrSignatureMalformed = errors.New("the signature header is not t=<seconds>,v1=<hex>")
	ErrSignatureMismatch  = errors.New("the signature does not match the body")
	ErrSignatureStale     = errors.New("the signature's timestamp is outside the tolerance")
)

// Verify checks a signature header against body at now: what a receiver does (the README shows
// the same in a few lines of Python). Any v1 entry may match, so that a secret can be rotated
// with both signatures sent for a while.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrSignatureMalformed
	}
	if d := now.Sub(time.Unix(secs, 0)); d > tolerance || d < -tolerance {
		return ErrSignatureStale
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return ErrSignatureMismatch
}
