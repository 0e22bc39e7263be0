package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Credential kinds.
const (
	KindSecret      = "secret"
	KindCertificate = "certificate"
)

// Profile is a connection as the console shows it. It never holds a secret: only a hint and dates.
type Profile struct {
	ID              int64
	Name            string
	Cloud           mailer.Cloud
	Tenant          string
	ClientID        string
	CredentialKind  string
	SecretHint      string    // first three characters, as the Entra portal shows them
	SecretSetAt     time.Time // zero when no secret is stored
	SecretExpiresOn string    // YYYY-MM-DD, optional
	CertificatePEM  string    // public certificate; its private key is sealed
	// CertNotAfter is the certificate's NotAfter; zero for a secret.
	CertNotAfter time.Time
	// SecretLooksLikeID notes a GUID-shaped secret: probably the Secret ID pasted instead of the Value.
	SecretLooksLikeID bool
	Mailbox           string
	From              string
	TestRecipient     string
	SMTPHost          string
	Authority         string
	// AuthModel is how Exchange authorises the app, as the admin says: permission, rbac or unsure.
	AuthModel mailer.AuthModel
	Notes     string
	// Tags group connections, e.g. by customer; never nil on a profile read from the store.
	Tags []string
	// Status is the connection's latest finished run.
	Status    Status
	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
}

// HasCredential reports whether a secret or private key is stored.
func (p *Profile) HasCredential() bool { return !p.SecretSetAt.IsZero() }

// ProfileInput is what an admin submits. Secret and PrivateKeyPEM are write-only: empty keeps
// the stored value on update.
type ProfileInput struct {
	Name            string
	Cloud           string
	Tenant          string
	ClientID        string
	CredentialKind  string
	Secret          string
	CertificatePEM  string
	PrivateKeyPEM   string
	SecretExpiresOn string
	Mailbox         string
	From            string
	TestRecipient   string
	SMTPHost        string
	Authority       string
	// AuthModel is "permission", "rbac" or "unsure"; empty means unsure.
	AuthModel string
	Notes     string
	// Tags replace the stored tags; nil keeps them on update (an empty, non-nil list clears them).
	Tags []string
}

func (in *ProfileInput) normalize() {
	for _, p := range []*string{&in.Name, &in.Cloud, &in.Tenant, &in.ClientID, &in.CredentialKind, &in.SecretExpiresOn,
		&in.Mailbox, &in.From, &in.TestRecipient, &in.SMTPHost, &in.Authority, &in.AuthModel} {
		*p = strings.TrimSpace(*p)
	}
	if in.AuthModel == "" {
		in.AuthModel = string(mailer.AuthModelUnsure)
	}
	if in.Cloud == "" {
		in.Cloud = string(mailer.DefaultCloud)
	}
	if in.CredentialKind == "" {
		in.CredentialKind = KindSecret
	}
	in.Tags = normalizeTags(in.Tags)
}

// validate applies the mailer's rules, so a saved profile is one a check accepts. creating says
// whether a credential is required (on update an empty one keeps the stored value).
func (in *ProfileInput) validate(creating bool) error {
	f := newFields()
	// First, so that its message wins and no later step sees a key outside the key field.
	in.keyOutsideKeyField(f)
	add := func(err error) {
		var fe *mailer.FieldError
		if errors.As(err, &fe) {
			f.add(fe.Field, fe.Message)
		}
	}
	switch {
	case in.Name == "":
		f.add("name", mailer.Msg(CodeNameEmpty))
	case len(in.Name) > 100:
		f.add("name", mailer.Msg(CodeNameTooLong))
	default:
		add(mailer.ValidateText("name", in.Name))
	}
	if len([]rune(in.Notes)) > maxNotes {
		f.add("notes", mailer.Msg(CodeNotesTooLong))
	}
	validateTags(f, in.Tags)
	if _, err := mailer.CloudEndpoints(mailer.Cloud(in.Cloud)); err != nil {
		f.add("cloud", mailer.Msg(CodeCloudUnknown, in.Cloud))
	}
	_, err := mailer.ParseAuthModel(in.AuthModel)
	add(err)
	add(mailer.ValidateTenant(in.Tenant))
	add(mailer.ValidateClientID(in.ClientID))
	add(mailer.ValidateMailbox("mailbox", in.Mailbox))
	if in.From != "" {
		add(mailer.ValidateMailbox("from", in.From))
	}
	if in.TestRecipient != "" {
		add(mailer.ValidateMailbox("test_recipient", in.TestRecipient))
	}
	if in.SMTPHost != "" {
		add(mailer.ValidateHostPort("smtp_host", in.SMTPHost))
	}
	if in.Authority != "" {
		add(mailer.ValidateAuthority("authority", in.Authority))
	}
	if in.SecretExpiresOn != "" {
		if _, err := time.Parse(time.DateOnly, in.SecretExpiresOn); err != nil {
			f.add("secret_expires_on", mailer.Msg(CodeExpiryDate))
		}
	}
	switch in.CredentialKind {
	case KindSecret:
		if creating || in.Secret != "" {
			add(mailer.ValidateSecret(in.Secret))
		}
	case KindCertificate:
		if creating || in.CertificatePEM != "" || in.PrivateKeyPEM != "" {
			_, err := mailer.ParseCertificate([]byte(in.CertificatePEM), []byte(in.PrivateKeyPEM))
			add(err)
		}
	default:
		f.add("credential_kind", mailer.Msg(CodeCredentialKind))
	}
	return f.err()
}

const profileColumns = `id, name, cloud, tenant, client_id, credential_kind, secret_hint, secret_set_at, secret_expires_on,
	certificate_pem, secret_looks_like_id, mailbox, from_address, test_recipient, smtp_host, authority, auth_model, notes, created_at, created_by, updated_at, updated_by,
	certificate_not_after, last_run_id, last_outcome, last_tested_at, last_diagnosis_code, last_diagnosis_title`

type scanner interface{ Scan(dest ...any) error }

func scanProfile(s scanner) (*Profile, error) {
	var p Profile
	var cloud, model string
	var setAt sql.NullString
	var created, updated sql.NullString
	var notAfter, testedAt string
	err := s.Scan(&p.ID, &p.Name, &cloud, &p.Tenant, &p.ClientID, &p.CredentialKind, &p.SecretHint, &setAt, &p.SecretExpiresOn,
		&p.CertificatePEM, &p.SecretLooksLikeID, &p.Mailbox, &p.From, &p.TestRecipient, &p.SMTPHost, &p.Authority, &model, &p.Notes, &created, &p.CreatedBy, &updated, &p.UpdatedBy,
		&notAfter, &p.Status.RunID, &p.Status.Outcome, &testedAt, &p.Status.DiagnosisCode, &p.Status.DiagnosisTitle)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	p.Cloud, p.AuthModel = mailer.Cloud(cloud), mailer.AuthModel(model)
	p.SecretSetAt, p.CreatedAt, p.UpdatedAt = parseTime(setAt), parseTime(created), parseTime(updated)
	p.CertNotAfter, _ = time.Parse(notAfterFormat, notAfter)
	p.Status.TestedAt = parseTime(sql.NullString{String: testedAt, Valid: testedAt != ""})
	return &p, nil
}

// secretHint is what the Entra portal shows of a secret: its first three characters.
func secretHint(in *ProfileInput) string {
	if in.CredentialKind == KindCertificate {
		cert, err := mailer.ParseCertificate([]byte(in.CertificatePEM), []byte(in.PrivateKeyPEM))
		if err != nil {
			return ""
		}
		return cert.Thumbprint()[:8]
	}
	if len(in.Secret) < 3 {
		return ""
	}
	return in.Secret[:3]
}

// CreateProfile validates and saves a new profile with its credential sealed, all or nothing.
func (db *DB) CreateProfile(ctx context.Context, in ProfileInput, by string) (*Profile, error) {
	in.normalize()
	if err := in.validate(true); err != nil {
		return nil, err
	}
	var id int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.insertProfile(ctx, tx, &in, by, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.Profile(ctx, id)
}

// insertProfile saves a validated profile inside a write transaction; withCredential false
// leaves its secret missing (an import from the web).
func (db *DB) insertProfile(ctx context.Context, tx *sql.Tx, in *ProfileInput, by string, withCredential bool) (int64, error) {
	now := db.now()
	res, err := tx.ExecContext(ctx, `INSERT INTO profiles (name, cloud, tenant, client_id, credential_kind, secret_expires_on,
		mailbox, from_address, test_recipient, smtp_host, authority, auth_model, notes, created_at, created_by, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.Name, in.Cloud, in.Tenant, in.ClientID, in.CredentialKind, in.SecretExpiresOn, in.Mailbox, in.From,
		in.TestRecipient, in.SMTPHost, in.Authority, in.AuthModel, in.Notes, now, by, now, by)
	if err != nil {
		return 0, nameConflict(err, in.Name)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if err := setTags(ctx, tx, id, in.Tags); err != nil {
		return 0, err
	}
	if !withCredential {
		return id, nil
	}
	// The row ID is part of the sealed value's associated data, so sealing comes after the insert.
	return id, db.storeCredential(ctx, tx, id, in)
}

// UpdateProfile validates and saves changes; an empty secret or key keeps the stored one.
func (db *DB) UpdateProfile(ctx context.Context, id int64, in ProfileInput, by string) (*Profile, error) {
	in.normalize()
	old, err := db.Profile(ctx, id)
	if err != nil {
		return nil, err
	}
	// The edit form shows the stored certificate again and never the key: that certificate
	// coming back without a key is no change, and the sealed key stays.
	if in.CredentialKind == KindCertificate && old.CredentialKind == KindCertificate && in.PrivateKeyPEM == "" &&
		strings.TrimSpace(in.CertificatePEM) == strings.TrimSpace(old.CertificatePEM) {
		in.CertificatePEM = ""
	}
	// Switching credential kind needs the new credential; otherwise an empty field keeps the old.
	if err := in.validate(in.CredentialKind != old.CredentialKind); err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE profiles SET name = ?, cloud = ?, tenant = ?, client_id = ?, credential_kind = ?,
			secret_expires_on = ?, mailbox = ?, from_address = ?, test_recipient = ?, smtp_host = ?, authority = ?, auth_model = ?,
			notes = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			in.Name, in.Cloud, in.Tenant, in.ClientID, in.CredentialKind, in.SecretExpiresOn, in.Mailbox, in.From,
			in.TestRecipient, in.SMTPHost, in.Authority, in.AuthModel, in.Notes, db.now(), by, id)
		if err != nil {
			return nameConflict(err, in.Name)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if in.Tags != nil {
			if err := setTags(ctx, tx, id, in.Tags); err != nil {
				return err
			}
		}
		if in.Secret == "" && in.PrivateKeyPEM == "" {
			return nil
		}
		return db.storeCredential(ctx, tx, id, &in)
	})
	if err != nil {
		return nil, err
	}
	return db.Profile(ctx, id)
}

func nameConflict(err error, name string) error {
	if strings.Contains(err.Error(), "UNIQUE constraint failed: profiles.name") {
		return &ConflictError{Field: "name", Message: mailer.Msg(CodeProfileNameTaken, name)}
	}
	return err
}

// storeCredential seals the secret or private key into the row; the other kind's columns are cleared.
func (db *DB) storeCredential(ctx context.Context, tx *sql.Tx, id int64, in *ProfileInput) error {
	if err := db.sealingKeyActive(ctx, tx); err != nil {
		return err
	}
	var secret, key []byte
	var err error
	switch in.CredentialKind {
	case KindSecret:
		secret, err = db.keys.seal([]byte(in.Secret), "profiles", "secret_sealed", id)
	case KindCertificate:
		key, err = db.keys.seal([]byte(in.PrivateKeyPEM), "profiles", "private_key_sealed", id)
	}
	if err != nil {
		return err
	}
	looksLikeID := in.CredentialKind == KindSecret && mailer.SecretLooksLikeID(in.Secret)
	_, err = tx.ExecContext(ctx, `UPDATE profiles SET secret_sealed = ?, private_key_sealed = ?, certificate_pem = ?,
		secret_hint = ?, secret_set_at = ?, secret_looks_like_id = ?, certificate_not_after = ? WHERE id = ?`,
		secret, key, certificateOrEmpty(in), secretHint(in), db.now(), looksLikeID, certNotAfter(in), id)
	return err
}

func certificateOrEmpty(in *ProfileInput) string {
	if in.CredentialKind == KindCertificate {
		return in.CertificatePEM
	}
	return ""
}

// Profile returns one profile.
func (db *DB) Profile(ctx context.Context, id int64) (*Profile, error) {
	return db.withTags(ctx)(scanProfile(db.read.QueryRowContext(ctx, "SELECT "+profileColumns+" FROM profiles WHERE id = ?", id)))
}

// ProfileByName returns the profile with this name (case-insensitive).
func (db *DB) ProfileByName(ctx context.Context, name string) (*Profile, error) {
	return db.withTags(ctx)(scanProfile(db.read.QueryRowContext(ctx, "SELECT "+profileColumns+" FROM profiles WHERE name = ?", strings.TrimSpace(name))))
}

// withTags completes a profile just read with its tags.
func (db *DB) withTags(ctx context.Context) func(*Profile, error) (*Profile, error) {
	return func(p *Profile, err error) (*Profile, error) {
		if err != nil {
			return nil, err
		}
		if err := db.loadTags(ctx, []*Profile{p}); err != nil {
			return nil, err
		}
		return p, nil
	}
}

// Profiles lists profiles by name; filter, if set, matches name, tenant or mailbox.
func (db *DB) Profiles(ctx context.Context, filter string) ([]*Profile, error) {
	q := "SELECT " + profileColumns + " FROM profiles"
	var args []any
	if filter = strings.TrimSpace(filter); filter != "" {
		q += ` WHERE name LIKE ? ESCAPE '\' OR tenant LIKE ? ESCAPE '\' OR mailbox LIKE ? ESCAPE '\'`
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(filter) + "%"
		args = []any{like, like, like}
	}
	rows, err := db.read.QueryContext(ctx, q+" ORDER BY name COLLATE NOCASE", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Profile
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.loadTags(ctx, out)
}

// DeleteProfile removes a profile; its runs stay, under the name it had.
func (db *DB) DeleteProfile(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM profiles WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// CountProfiles counts all profiles.
func (db *DB) CountProfiles(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM profiles").Scan(&n)
	return n, err
}

// maxNotes is how many characters a profile's notes may have.
const maxNotes = 10000

// UpdateNotes changes only a profile's notes: what the help desk may edit.
func (db *DB) UpdateNotes(ctx context.Context, id int64, notes, by string) error {
	if HasPrivateKey(notes) {
		return invalid("notes", CodeKeyMisplaced)
	}
	if len([]rune(notes)) > maxNotes {
		return invalid("notes", CodeNotesTooLong)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE profiles SET notes = ?, updated_at = ?, updated_by = ? WHERE id = ?", notes, db.now(), by, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}
