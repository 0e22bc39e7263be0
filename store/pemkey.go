package store

import (
	"context"
	"database/sql"
	"regexp"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// privateKeyBlock matches a PEM private key of any kind (PRIVATE KEY, RSA/EC/ENCRYPTED PRIVATE
// KEY, OPENSSH PRIVATE KEY, PGP PRIVATE KEY BLOCK), up to its end line or, when a paste was cut
// short, the end of text.
var privateKeyBlock = regexp.MustCompile(`(?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)`)

// HasPrivateKey reports whether s holds a PEM private key.
func HasPrivateKey(s string) bool { return privateKeyBlock.MatchString(s) }

// WithoutPrivateKeys returns s with every PEM private key removed: what a page may echo back
// of a form, so that a key pasted into the wrong field never reaches the browser again.
func WithoutPrivateKeys(s string) string {
	if !HasPrivateKey(s) {
		return s
	}
	return strings.TrimSpace(privateKeyBlock.ReplaceAllString(s, ""))
}

// keyOutsideKeyField checks that no field but the private key field holds a private key. A key
// pasted with the certificate (a "bundle") is moved to the key field when that is empty and the
// key fits the certificate; otherwise it is refused. Either way the certificate keeps no key.
func (in *ProfileInput) keyOutsideKeyField(f *fields) {
	if keys := privateKeyBlock.FindAllString(in.CertificatePEM, -1); len(keys) > 0 {
		in.CertificatePEM = WithoutPrivateKeys(in.CertificatePEM)
		if in.CertificatePEM != "" {
			in.CertificatePEM += "\n"
		}
		switch {
		case in.CredentialKind == KindCertificate && in.PrivateKeyPEM == "" && len(keys) == 1 && keyFits(in.CertificatePEM, keys[0]):
			in.PrivateKeyPEM = keys[0]
		case in.PrivateKeyPEM != "":
			f.add("certificate", mailer.Msg(CodeCertWithKey))
		default:
			f.add("certificate", mailer.Msg(CodeCertUnusableKey))
		}
	}
	for _, field := range []struct {
		name  string
		value *string
	}{{"name", &in.Name}, {"cloud", &in.Cloud}, {"tenant", &in.Tenant}, {"client_id", &in.ClientID}, {"credential_kind", &in.CredentialKind},
		{"secret", &in.Secret}, {"secret_expires_on", &in.SecretExpiresOn}, {"mailbox", &in.Mailbox}, {"from", &in.From},
		{"test_recipient", &in.TestRecipient}, {"smtp_host", &in.SMTPHost}, {"authority", &in.Authority}, {"notes", &in.Notes}} {
		if HasPrivateKey(*field.value) {
			f.add(field.name, mailer.Msg(CodeKeyMisplaced))
		}
	}
}

// CheckKeyPlacement is the store's misplaced-key check on its own, for a caller that checks a
// profile without saving it (the wizard's token check): run it before any other validation,
// whose messages may quote a field's value. A bundled key that fits moves to the key field.
func (in *ProfileInput) CheckKeyPlacement() error {
	f := newFields()
	in.keyOutsideKeyField(f)
	return f.err()
}

func keyFits(certPEM, keyPEM string) bool {
	_, err := mailer.ParseCertificate([]byte(certPEM), []byte(keyPEM))
	return err == nil
}

// sealStrayKeys repairs profiles saved before bundles were split: a private key kept in clear in
// the certificate column is sealed into the key column (when that is empty and the key fits)
// or dropped (the key column already holds the key in use). secure_delete zeroes the old bytes
// and a checkpoint empties the WAL, so that no clear copy lingers in the files.
func (db *DB) sealStrayKeys(ctx context.Context) (int, error) {
	type stray struct {
		id         int64
		kind, cert string
		hasKey     bool
	}
	rows, err := db.write.QueryContext(ctx, `SELECT id, credential_kind, certificate_pem, private_key_sealed IS NOT NULL
		FROM profiles WHERE certificate_pem LIKE '%PRIVATE KEY-----%'`)
	if err != nil {
		return 0, err
	}
	var all []stray
	for rows.Next() {
		var s stray
		if err := rows.Scan(&s.id, &s.kind, &s.cert, &s.hasKey); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(all) == 0 {
		return 0, err
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.sealingKeyActive(ctx, tx); err != nil {
			return err
		}
		for _, s := range all {
			keys := privateKeyBlock.FindAllString(s.cert, -1)
			cert := WithoutPrivateKeys(s.cert) + "\n"
			var sealed []byte
			if s.kind == KindCertificate && !s.hasKey && len(keys) == 1 && keyFits(cert, keys[0]) {
				var err error
				if sealed, err = db.keys.seal([]byte(keys[0]), "profiles", "private_key_sealed", s.id); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, "UPDATE profiles SET certificate_pem = ?, private_key_sealed = COALESCE(?, private_key_sealed) WHERE id = ?",
				cert, sealed, s.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	_, err = db.write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return len(all), err
}
