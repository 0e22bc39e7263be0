package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
)

// demoPrefix marks demo connections; their names are what make them findable again on restart.
const demoPrefix = "Demo · "

// startDemo starts the simulated Exchange Online and creates (or, on a restart, re-points) one
// connection per demo scenario. The fake's ports change on every start, hence the upsert.
// demoRetestMinutes is the demo's global re-test interval: often enough to watch it work.
const demoRetestMinutes = 15

func startDemo(ctx context.Context, db *store.DB, log *slog.Logger) (*mailertest.Server, error) {
	fake, err := mailertest.NewServer()
	if err != nil {
		return nil, err
	}
	scenarios, err := fake.InstallStandardWorld()
	if err != nil {
		fake.Close()
		return nil, err
	}
	for _, sc := range scenarios {
		if !sc.Demo {
			continue
		}
		to := sc.To
		if to == "" {
			to = "it@contoso.com"
		}
		in := store.ProfileInput{Name: demoPrefix + sc.Title, Cloud: "global", Tenant: sc.Tenant, ClientID: sc.ClientID,
			CredentialKind: store.KindSecret, Secret: sc.Secret, Mailbox: sc.Mailbox, From: sc.From, TestRecipient: to,
			SMTPHost: fake.SMTPAddr, Authority: fake.URL, AuthModel: string(sc.AuthModel),
			Notes: "Simulated tenant (demo mode): nothing here reaches Microsoft. Scenario: " + sc.Name + "."}
		existing, err := db.ProfileByName(ctx, in.Name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			_, err = db.CreateProfile(ctx, in, "demo")
		case err == nil:
			_, err = db.UpdateProfile(ctx, existing.ID, in, "demo")
		}
		if err != nil {
			fake.Close()
			return nil, err
		}
	}
	// The schedule is on in demo mode (off on a fresh install), unless an admin already chose.
	if err := db.InitDefaultRetest(ctx, demoRetestMinutes); err != nil {
		fake.Close()
		return nil, err
	}
	log.Info("demo mode: simulated Exchange Online started; demo connections are labelled \"simulated tenant\"", "authority", fake.URL, "smtp", fake.SMTPAddr)
	return fake, nil
}
