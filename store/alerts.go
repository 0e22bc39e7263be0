package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
)

// Codes of the alert settings' own messages.
const (
	CodeAlertSecretShort    = "store.alert_secret_short"
	CodeAlertSecretMissing  = "store.alert_secret_missing"
	CodeAlertRecipients     = "store.alert_recipients_too_many"
	CodeAlertSenderMissing  = "store.alert_sender_missing"
	CodeAlertSenderNoSecret = "store.alert_sender_no_credential"
	minWebhookSecret        = 16
	maxWebhookSecret        = 256
)

// AlertSettings are where alerts go. They never hold the webhook's signing secret: only when
// it was set.
type AlertSettings struct {
	WebhookURL         string
	WebhookSecretSetAt time.Time
	// SenderProfileID is the connection alert e-mails are sent through; 0 means none.
	SenderProfileID int64
	SenderName      string
	Recipients      []string
	UpdatedAt       time.Time
	UpdatedBy       string
}

// WebhookOn reports whether the webhook channel is configured.
func (s *AlertSettings) WebhookOn() bool { return s.WebhookURL != "" && !s.WebhookSecretSetAt.IsZero() }

// EmailOn reports whether the e-mail channel is configured.
func (s *AlertSettings) EmailOn() bool { return s.SenderProfileID != 0 && len(s.Recipients) > 0 }

// AlertSettingsInput is what an admin submits. WebhookSecret is write-only: empty keeps the
// stored one. An empty WebhookURL turns the webhook off and forgets the secret.
type AlertSettingsInput struct {
	WebhookURL    string
	WebhookSecret string
	// SenderProfileID 0 and no recipients turn e-mail off.
	SenderProfileID int64
	// Recipients are addresses separated by commas, semicolons, spaces or lines.
	Recipients string
}

// AlertSettings returns the alert settings.
func (db *DB) AlertSettings(ctx context.Context) (*AlertSettings, error) {
	var s AlertSettings
	var setAt, updatedAt sql.NullString
	var sender sql.NullInt64
	var senderName sql.NullString
	var recipients string
	err := db.read.QueryRowContext(ctx, `SELECT a.webhook_url, a.webhook_secret_set_at, a.sender_profile_id, p.name, a.recipients,
		a.updated_at, a.updated_by FROM alert_settings a LEFT JOIN profiles p ON p.id = a.sender_profile_id WHERE a.id = 1`).
		Scan(&s.WebhookURL, &setAt, &sender, &senderName, &recipients, &updatedAt, &s.UpdatedBy)
	if err != nil {
		return nil, err
	}
	s.WebhookSecretSetAt, s.UpdatedAt = parseTime(setAt), parseTime(updatedAt)
	s.SenderProfileID, s.SenderName = sender.Int64, senderName.String
	s.Recipients = splitRecipients(recipients)
	return &s, nil
}

func splitRecipients(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// UpdateAlertSettings validates and saves the settings, all or nothing.
func (db *DB) UpdateAlertSettings(ctx context.Context, in AlertSettingsInput, by string) error {
	in.WebhookURL = strings.TrimSpace(in.WebhookURL)
	old, err := db.AlertSettings(ctx)
	if err != nil {
		return err
	}
	recipients := splitRecipients(in.Recipients)
	f := newFields()
	if in.WebhookURL != "" {
		var ue *fleet.URLError
		if _, _, err := fleet.ParseWebhookURL(in.WebhookURL); errors.As(err, &ue) {
			f.add("webhook_url", mailer.Msg(ue.Code))
		}
		switch n := utf8.RuneCountInString(in.WebhookSecret); {
		case n == 0 && old.WebhookSecretSetAt.IsZero():
			f.add("webhook_secret", mailer.Msg(CodeAlertSecretMissing))
		case n > 0 && (n < minWebhookSecret || len(in.WebhookSecret) > maxWebhookSecret):
			f.add("webhook_secret", mailer.Msg(CodeAlertSecretShort))
		}
	}
	if len(recipients) > 0 && in.SenderProfileID == 0 {
		f.add("sender", mailer.Msg(CodeAlertSenderMissing))
	}
	if len(recipients) > 10 {
		f.add("recipients", mailer.Msg(CodeAlertRecipients))
	}
	for _, r := range recipients {
		var fe *mailer.FieldError
		if errors.As(mailer.ValidateMailbox("recipients", r), &fe) {
			f.add("recipients", fe.Message)
		}
	}
	if in.SenderProfileID != 0 {
		p, err := db.Profile(ctx, in.SenderProfileID)
		switch {
		case errors.Is(err, ErrNotFound):
			f.add("sender", mailer.Msg(CodeAlertSenderMissing))
		case err != nil:
			return err
		case !p.HasCredential():
			f.add("sender", mailer.Msg(CodeAlertSenderNoSecret))
		}
	}
	if err := f.err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE alert_settings SET webhook_url = ?, sender_profile_id = ?, recipients = ?,
			updated_at = ?, updated_by = ? WHERE id = 1`, in.WebhookURL, nullID(in.SenderProfileID), strings.Join(recipients, ", "), now, by); err != nil {
			return err
		}
		switch {
		case in.WebhookURL == "":
			_, err := tx.ExecContext(ctx, "UPDATE alert_settings SET webhook_secret_sealed = NULL, webhook_secret_set_at = NULL WHERE id = 1")
			return err
		case in.WebhookSecret != "":
			if err := db.sealingKeyActive(ctx, tx); err != nil {
				return err
			}
			sealed, err := db.keys.seal([]byte(in.WebhookSecret), "alert_settings", "webhook_secret_sealed", 1)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, "UPDATE alert_settings SET webhook_secret_sealed = ?, webhook_secret_set_at = ? WHERE id = 1", sealed, now)
			return err
		}
		return nil
	})
}

// AlertWebhookSecret opens the webhook's signing secret, on its way to the webhook channel.
// ErrNotFound means none is set.
func (db *DB) AlertWebhookSecret(ctx context.Context) ([]byte, error) {
	var sealed []byte
	if err := db.read.QueryRowContext(ctx, "SELECT webhook_secret_sealed FROM alert_settings WHERE id = 1").Scan(&sealed); err != nil {
		return nil, err
	}
	if sealed == nil {
		return nil, ErrNotFound
	}
	return db.keys.open(sealed, "alert_settings", "webhook_secret_sealed", 1)
}

// resealAlertSecret re-seals the webhook's secret under next during a key rotation.
func (db *DB) resealAlertSecret(ctx context.Context, tx *sql.Tx, next *Keyring) error {
	var sealed []byte
	err := tx.QueryRowContext(ctx, "SELECT webhook_secret_sealed FROM alert_settings WHERE id = 1").Scan(&sealed)
	if err != nil || sealed == nil {
		return err
	}
	plain, err := db.keys.open(sealed, "alert_settings", "webhook_secret_sealed", 1)
	if err != nil {
		return err
	}
	resealed, err := next.seal(plain, "alert_settings", "webhook_secret_sealed", 1)
	clear(plain)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE alert_settings SET webhook_secret_sealed = ? WHERE id = 1", resealed)
	return err
}
