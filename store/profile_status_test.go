package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
)

// mustRun records a finished run of p started at start.
func mustRun(tb testing.TB, db *store.DB, p *store.Profile, start time.Time, ok bool) *store.Run {
	tb.Helper()
	ctx := context.Background()
	r := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: "t", StartedAt: start}
	if err := db.StartRun(ctx, r); err != nil {
		tb.Fatal(err)
	}
	res := &mailer.Result{OK: ok, Stage: mailer.StageDone, Finished: start.Add(time.Second)}
	if !ok {
		res.Stage = mailer.StageToken
		res.Diagnosis = &mailer.Diagnosis{Code: "TOKEN_SECRET_EXPIRED", Title: "expired"}
	}
	if err := db.FinishRun(ctx, r.ID, res); err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestProfile_Status(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	t.Run("NeverTested", func(t *testing.T) {
		db := MustOpenDB(t)
		if p := MustCreateProfile(t, db, validInput()); p.Status.State() != store.StateUntested || !p.Status.TestedAt.IsZero() {
			t.Fatalf("got %+v, want never tested", p.Status)
		}
	})
	t.Run("LatestFinishedRunWins", func(t *testing.T) {
		db := MustOpenDB(t)
		p := MustCreateProfile(t, db, validInput())
		mustRun(t, db, p, t0, true)
		failed := mustRun(t, db, p, t0.Add(time.Minute), false)
		p, _ = db.Profile(ctx, p.ID)
		if p.Status.State() != store.StateFailing || p.Status.RunID != failed.ID || p.Status.DiagnosisCode != "TOKEN_SECRET_EXPIRED" || !p.Status.TestedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("got %+v, want failing from run %s", p.Status, failed.ID)
		}
	})
	t.Run("EarlierRunFinishingLateChangesNothing", func(t *testing.T) {
		db := MustOpenDB(t)
		p := MustCreateProfile(t, db, validInput())
		// Started first, finishes last: a fleet run's order.
		early := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: "t", StartedAt: t0}
		if err := db.StartRun(ctx, early); err != nil {
			t.Fatal(err)
		}
		mustRun(t, db, p, t0.Add(500*time.Millisecond), true)
		if err := db.FinishRun(ctx, early.ID, &mailer.Result{Stage: mailer.StageToken, Finished: t0.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if p, _ = db.Profile(ctx, p.ID); p.Status.State() != store.StatePassing {
			t.Fatalf("got %+v, want passing: the later-started run is the status", p.Status)
		}
	})
	t.Run("InterruptedChangesNothing", func(t *testing.T) {
		db := MustOpenDB(t)
		p := MustCreateProfile(t, db, validInput())
		mustRun(t, db, p, t0, true)
		r := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: "t", StartedAt: t0.Add(time.Hour)}
		db.StartRun(ctx, r)
		if err := db.InterruptRun(ctx, r.ID, &mailer.Result{Finished: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if p, _ = db.Profile(ctx, p.ID); p.Status.State() != store.StatePassing {
			t.Fatalf("got %+v, want passing kept after an interrupted run", p.Status)
		}
	})
	t.Run("UpgradeTakesStatusFromRuns", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), store.FileName)
		if err := store.OpenAtVersion(ctx, path, 8); err != nil {
			t.Fatal(err)
		}
		// Version 8 has no status columns: the upgrade must find the latest finished run itself.
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = raw.Exec(`INSERT INTO profiles (id, name, cloud, tenant, client_id, credential_kind, mailbox, created_at, created_by, updated_at, updated_by)
			VALUES (1, 'old', 'global', 'contoso.onmicrosoft.com', '11111111-aaaa-4bbb-8ccc-000000000001', 'secret', 'a@contoso.com', '', '', '', '');
			INSERT INTO runs (id, profile_id, profile_name, started_by, started_at, outcome, diagnosis_code) VALUES
			('r1', 1, 'old', 't', '2026-11-01T10:00:00Z', 'passed', ''),
			('r2', 1, 'old', 't', '2026-11-02T10:00:00Z', 'failed', 'TOKEN_SECRET_EXPIRED'),
			('r3', 1, 'old', 't', '2026-11-03T10:00:00Z', 'interrupted', '')`)
		raw.Close()
		if err != nil {
			t.Fatal(err)
		}
		db := MustOpenDBAt(t, path, testKey)
		p, err := db.Profile(ctx, 1)
		if err != nil || p.Status.State() != store.StateFailing || p.Status.RunID != "r2" || p.Status.DiagnosisCode != "TOKEN_SECRET_EXPIRED" {
			t.Fatalf("got %+v (%v), want failing from r2, the latest finished run", p.Status, err)
		}
	})
}

func TestProfile_CertNotAfter(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	certPEM, keyPEM := rsaCert(t)
	in := validInput()
	in.CredentialKind, in.Secret, in.CertificatePEM, in.PrivateKeyPEM = store.KindCertificate, "", certPEM, keyPEM
	p := MustCreateProfile(t, db, in)
	cert, _ := mailer.ParseCertificate([]byte(certPEM), []byte(keyPEM))
	if want := cert.Leaf.NotAfter.UTC().Truncate(time.Second); !p.CertNotAfter.Equal(want) || !p.ExpiresAt().Equal(want) {
		t.Fatalf("got NotAfter %v (expires %v), want %v", p.CertNotAfter, p.ExpiresAt(), want)
	}
	// Back to a secret: the certificate's date no longer applies.
	in = validInput()
	in.SecretExpiresOn = "2027-03-01"
	p, err := db.UpdateProfile(ctx, p.ID, in, "t")
	if err != nil || !p.CertNotAfter.IsZero() || !p.ExpiresAt().Equal(time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("got %v, %v (%v), want no NotAfter and the end of the secret's day", p.CertNotAfter, p.ExpiresAt(), err)
	}
}
