package store

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id's cost settings for new hashes: passes, memory in KiB, lanes.
type PasswordParams struct {
	Time, Memory uint32
	Threads      uint8
}

// DefaultPasswordParams are OWASP's Password Storage Cheat Sheet's first option, 19 MiB, two
// passes, one lane. Each hash holds its memory while it runs, so the small memory cost is what
// lets the console bound a burst of sign-ins (see Options.HashLimit); the second pass keeps the
// work per guess at the level OWASP asks for. Hashes made with other parameters keep verifying,
// since each hash carries its own.
var DefaultPasswordParams = PasswordParams{Time: 2, Memory: 19 * 1024, Threads: 1}

// MinPasswordLength is the shortest password the console accepts.
const MinPasswordLength = 12

//go:embed common_passwords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(commonPasswordList) {
		m[strings.ToLower(p)] = true
	}
	return m
}()

// WeakPasswordError says why a password is too weak, as a message code and arguments.
type WeakPasswordError struct{ mailer.Message }

func (e *WeakPasswordError) Error() string { return "weak password: " + e.Code }

// CheckPassword says why a password is too weak, in the user's words.
func CheckPassword(pw, username string) error {
	switch {
	case len([]rune(pw)) < MinPasswordLength:
		return &WeakPasswordError{mailer.Msg(CodePasswordTooShort, strconv.Itoa(MinPasswordLength))}
	case commonPasswords[strings.ToLower(pw)]:
		return &WeakPasswordError{mailer.Msg(CodePasswordCommon)}
	case username != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(username)):
		return &WeakPasswordError{mailer.Msg(CodePasswordHasName)}
	}
	return nil
}

// HashPassword returns an argon2id hash of pw with cost p in PHC string format. It does not wait
// for a hash slot: the store's own methods do (see Options.HashLimit).
func HashPassword(pw string, p PasswordParams) (string, error) { return hashPassword(pw, p, nil) }

// hashPassword is HashPassword calling hook, if set, before the computation.
func hashPassword(pw string, p PasswordParams, hook func()) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if hook != nil {
		hook()
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword compares in constant time, with the parameters stored in the hash.
func VerifyPassword(hash, pw string) bool { return verifyPassword(hash, pw, nil) }

// verifyPassword is VerifyPassword calling hook, if set, before the computation.
func verifyPassword(hash, pw string, hook func()) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	if hook != nil {
		hook()
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
