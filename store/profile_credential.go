package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Credential opens the profile's sealed secret or key. It is the only way plaintext leaves the
// store, and its one caller hands the result straight to the mailer.
func (db *DB) Credential(ctx context.Context, id int64) (mailer.Credential, error) {
	var kind, certPEM string
	var secret, key []byte
	var noSecret, noKey bool
	err := db.read.QueryRowContext(ctx, `SELECT credential_kind, secret_sealed, private_key_sealed, certificate_pem,
		secret_sealed IS NULL, private_key_sealed IS NULL FROM profiles WHERE id = ?`, id).
		Scan(&kind, &secret, &key, &certPEM, &noSecret, &noKey)
	if errors.Is(err, sql.ErrNoRows) {
		return mailer.Credential{}, ErrNotFound
	}
	if err != nil {
		return mailer.Credential{}, err
	}
	// A connection imported without its secret has nothing sealed: say so, not "cannot be opened".
	// (Asked of SQL: an empty value, which a broken file may hold, scans as nil too.)
	if (kind == KindCertificate && noKey) || (kind != KindCertificate && noSecret) {
		return mailer.Credential{}, invalid("secret", CodeSecretMissing)
	}
	if kind == KindCertificate {
		plain, err := db.keys.open(key, "profiles", "private_key_sealed", id)
		if err != nil {
			return mailer.Credential{}, err
		}
		cert, err := mailer.ParseCertificate([]byte(certPEM), plain)
		return mailer.Credential{Certificate: cert}, err
	}
	plain, err := db.keys.open(secret, "profiles", "secret_sealed", id)
	if err != nil {
		return mailer.Credential{}, err
	}
	return mailer.Credential{Secret: string(plain)}, nil
}

// Request builds the mailer request for a profile, credential included.
func (db *DB) Request(ctx context.Context, p *Profile, to string) (mailer.Request, error) {
	cred, err := db.Credential(ctx, p.ID)
	if err != nil {
		return mailer.Request{}, err
	}
	return mailer.Request{ProfileName: p.Name, Cloud: p.Cloud, Tenant: p.Tenant, ClientID: p.ClientID, Credential: cred,
		Mailbox: p.Mailbox, From: p.From, To: to, SMTPAddr: p.SMTPHost, Authority: p.Authority, AuthModel: p.AuthModel}, nil
}
