package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// A connection's state as the dashboard counts it, from its latest finished run.
const (
	StatePassing  = "passing"
	StateFailing  = "failing"
	StateUntested = "untested" // no run has finished yet
)

// Status is a connection's latest finished run (passed or failed; running and interrupted runs
// do not change it). It is kept on the connection, written in the transaction that saves the
// run, so that thousands of connections are counted, sorted and paged in one query.
type Status struct {
	RunID string
	// Outcome is OutcomePassed, OutcomeFailed, or "" when never tested.
	Outcome                       string
	DiagnosisCode, DiagnosisTitle string
	// TestedAt is when that run started; zero when never tested.
	TestedAt time.Time
}

// State is StatePassing, StateFailing or StateUntested.
func (s Status) State() string {
	switch s.Outcome {
	case OutcomePassed:
		return StatePassing
	case OutcomeFailed:
		return StateFailing
	}
	return StateUntested
}

// ExpiresAt is when the connection's credential stops working: the certificate's NotAfter, or
// the end of the secret's expiry date; zero when unknown.
func (p *Profile) ExpiresAt() time.Time {
	if p.CredentialKind == KindCertificate {
		return p.CertNotAfter
	}
	at, _ := mailer.SecretExpiryTime(p.SecretExpiresOn)
	return at
}

// Expiry is the credential's expiry warning at now.
func (p *Profile) Expiry(now time.Time) mailer.Expiry { return mailer.ExpiryAt(p.ExpiresAt(), now) }

// notAfterFormat stores a certificate's NotAfter with a fixed width, so that SQL compares it as text.
const notAfterFormat = "2006-01-02T15:04:05Z"

// expiresAtSQL sorts by ExpiresAt without parsing dates: a certificate's NotAfter as stored, and
// a secret's date followed by T24:00:00Z, which sorts after every time of that day and before the
// next one; NULL when unknown ('unreadable' and ” are not dates).
const expiresAtSQL = `(CASE WHEN credential_kind = 'certificate' THEN (CASE WHEN certificate_not_after >= '0' THEN certificate_not_after END)
	WHEN secret_expires_on >= '0' THEN secret_expires_on || 'T24:00:00Z' END)`

// expiringSQL holds connections whose credential ends at or before a cutoff (arguments: the
// cutoff in notAfterFormat, then the last secret date that ends by it). It compares the stored
// text as it is, so that counting thousands of connections parses no date.
const expiringSQL = `(CASE WHEN credential_kind = 'certificate' THEN certificate_not_after >= '0' AND certificate_not_after <= ?
	ELSE secret_expires_on >= '0' AND secret_expires_on <= ? END)`

// expiringArgs are expiringSQL's arguments for now: a secret dated D ends at the start of D+1,
// which is at or before the cutoff when D+1 is at most the cutoff's date.
func expiringArgs(now time.Time) []any {
	cutoff := now.Add(mailer.ExpiryWindow).UTC()
	return []any{cutoff.Format(notAfterFormat), cutoff.AddDate(0, 0, -1).Format(time.DateOnly)}
}

// certNotAfter is the NotAfter of the certificate being saved, or "" for a secret.
func certNotAfter(in *ProfileInput) string {
	if in.CredentialKind != KindCertificate {
		return ""
	}
	cert, err := mailer.ParseCertificate([]byte(in.CertificatePEM), []byte(in.PrivateKeyPEM))
	if err != nil || cert.Leaf == nil {
		return ""
	}
	return cert.Leaf.NotAfter.UTC().Format(notAfterFormat)
}

// recordStatus makes a finished run its connection's status unless a later-started run already
// is: runs of one connection may finish out of order in a fleet run.
func recordStatus(ctx context.Context, tx *sql.Tx, runID, outcome string) error {
	if outcome != OutcomePassed && outcome != OutcomeFailed {
		return nil
	}
	var pid sql.NullInt64
	var started, code, title string
	err := tx.QueryRowContext(ctx, "SELECT profile_id, started_at, diagnosis_code, diagnosis_title FROM runs WHERE id = ?", runID).
		Scan(&pid, &started, &code, &title)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !pid.Valid) {
		return nil
	}
	if err != nil {
		return err
	}
	var last string
	if err := tx.QueryRowContext(ctx, "SELECT last_tested_at FROM profiles WHERE id = ?", pid.Int64).Scan(&last); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	}
	// Compared as times: RFC 3339 with trimmed fractions does not sort as text within a second.
	if last != "" {
		lt, _ := time.Parse(timeFormat, last)
		st, _ := time.Parse(timeFormat, started)
		if st.Before(lt) {
			return nil
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE profiles SET last_run_id = ?, last_outcome = ?, last_tested_at = ?, last_diagnosis_code = ?,
		last_diagnosis_title = ? WHERE id = ?`, runID, outcome, started, code, title, pid.Int64)
	return err
}
