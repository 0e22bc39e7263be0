package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
)

// KeySize is the master key's length: AES-256.
const KeySize = 32

// Keyring holds the master keys this process may use. The first is current and seals new secrets;
// the others only open what they sealed (during and after a rotation).
type Keyring struct {
	keys []masterKey
}

type masterKey struct {
	id   string
	aead cipher.AEAD
}

// KeyID names a key without revealing it: a short hash, shown in logs and errors.
func KeyID(key []byte) string {
	sum := sha256.Sum256(append([]byte("smtpoauth master key id\x00"), key...))
	return hex.EncodeToString(sum[:6])
}

// NewKeyring builds a keyring; keys[0] is the current key.
func NewKeyring(keys ...[]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("no master key")
	}
	kr := &Keyring{}
	for _, k := range keys {
		if len(k) != KeySize {
			return nil, fmt.Errorf("a master key must be %d bytes, got %d", KeySize, len(k))
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		kr.keys = append(kr.keys, masterKey{id: KeyID(k), aead: aead})
	}
	return kr, nil
}

// withCurrent returns a keyring whose current key is key, keeping the others for opening.
func (kr *Keyring) withCurrent(key []byte) (*Keyring, error) {
	first, err := NewKeyring(key)
	if err != nil {
		return nil, err
	}
	first.keys = append(first.keys, kr.keys...)
	return first, nil
}

// makeCurrent moves the key with this ID to the front.
func (kr *Keyring) makeCurrent(id string) {
	for i, k := range kr.keys {
		if k.id == id {
			kr.keys[0], kr.keys[i] = kr.keys[i], kr.keys[0]
			return
		}
	}
}

// CurrentID is the ID of the key that seals new secrets.
func (kr *Keyring) CurrentID() string { return kr.keys[0].id }

func (kr *Keyring) byID(id string) (masterKey, bool) {
	for _, k := range kr.keys {
		if k.id == id {
			return k, true
		}
	}
	return masterKey{}, false
}

// Sealed format: version byte, key ID length, key ID, 12-byte nonce, ciphertext with GCM tag.
const sealVersion = 1

// associatedData binds a ciphertext to its row and column: copied elsewhere, it does not open.
func associatedData(table, column string, rowID int64) []byte {
	return []byte("smtpoauth/v1\x00" + table + "\x00" + column + "\x00" + strconv.FormatInt(rowID, 10))
}

func (kr *Keyring) seal(plaintext []byte, table, column string, rowID int64) ([]byte, error) {
	return kr.sealWith(kr.keys[0], plaintext, associatedData(table, column, rowID))
}

func (kr *Keyring) sealWith(k masterKey, plaintext, ad []byte) ([]byte, error) {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := append([]byte{sealVersion, byte(len(k.id))}, k.id...)
	out = append(out, nonce...)
	return k.aead.Seal(out, nonce, plaintext, ad), nil
}

// ErrSealed is returned when a sealed value cannot be opened; the message says why, never what.
var ErrSealed = errors.New("sealed secret cannot be opened")

func (kr *Keyring) open(sealed []byte, table, column string, rowID int64) ([]byte, error) {
	return kr.openAD(sealed, associatedData(table, column, rowID), column)
}

func (kr *Keyring) openAD(sealed, ad []byte, what string) ([]byte, error) {
	// Length checks before every slice: a damaged value must give an error, never a panic.
	if len(sealed) < 2 || sealed[0] != sealVersion {
		return nil, fmt.Errorf("%w: %s has an unknown format", ErrSealed, what)
	}
	idLen := int(sealed[1])
	if len(sealed) < 2+idLen {
		return nil, fmt.Errorf("%w: %s is truncated", ErrSealed, what)
	}
	id := string(sealed[2 : 2+idLen])
	k, ok := kr.byID(id)
	if !ok {
		return nil, fmt.Errorf("%w: %s was sealed with master key %s, which is not loaded", ErrSealed, what, id)
	}
	rest := sealed[2+idLen:]
	if len(rest) < k.aead.NonceSize()+k.aead.Overhead() {
		return nil, fmt.Errorf("%w: %s is truncated", ErrSealed, what)
	}
	plain, err := k.aead.Open(nil, rest[:k.aead.NonceSize()], rest[k.aead.NonceSize():], ad)
	if err != nil {
		return nil, fmt.Errorf("%w: %s was altered or belongs to another row or column (key %s)", ErrSealed, what, id)
	}
	return plain, nil
}
