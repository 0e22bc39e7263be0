package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/mailer/notify"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/store/queue"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// alerting wires the alerts: the rules (fleet.Alerts) with the store as their log, channels
// built from the saved settings for each alert, and delivery as River jobs on the console's
// queue (or, without one, in this process with bounded retries).
type alerting struct {
	db       *store.DB
	checker  *exchange.Checker
	words    mailer.Words
	console  atomic.Pointer[string]
	log      *slog.Logger
	alerts   *fleet.Alerts
	delivery *fleet.InProcess // nil when the queue delivers
}

// newAlerting builds the alerts and makes the store report every saved run to them. With a
// queue (before its Start) deliveries and the daily expiry check are its jobs; without one,
// ctx bounds the in-process deliveries (cancel it at shutdown, then call Wait) and nothing
// checks expiry on its own (tests call checkExpiry).
func newAlerting(ctx context.Context, db *store.DB, checker *exchange.Checker, lang i18n.Lang, log *slog.Logger, jobs *queue.Queue) (*alerting, error) {
	a := &alerting{db: db, checker: checker, words: i18n.WordsIn(lang), log: log}
	a.alerts = &fleet.Alerts{Log: db}
	if jobs != nil {
		d, err := queue.RegisterAlerts(jobs, queue.Alerts{Channels: a.channels, Log: db, CheckExpiry: a.checkExpiry, Retry: fleet.DefaultRetry})
		if err != nil {
			return nil, err
		}
		a.alerts.Dispatch = d
	} else {
		a.delivery = &fleet.InProcess{Ctx: ctx, Channels: a.channels, Log: db, Retry: fleet.DefaultRetry, Logger: log}
		a.alerts.Dispatch = a.delivery
	}
	db.ObserveRuns(a.runSaved)
	return a, nil
}

// SetConsoleURL is the console's address, linked from alert e-mails; known once it listens.
func (a *alerting) SetConsoleURL(u string) { a.console.Store(&u) }

func (a *alerting) consoleURL() string {
	if u := a.console.Load(); u != nil {
		return *u
	}
	return ""
}

// runSaved raises the transition alert a saved run may be worth.
func (a *alerting) runSaved(ctx context.Context, rf store.RunFinished) {
	if _, err := a.alerts.RunSaved(ctx, rf.Connection, rf.Prev, rf.Run); err != nil {
		a.log.Error("transition alert not raised", "connection", rf.Connection.ID, "run", rf.Run.ID, "err", err)
	}
}

// checkExpiry raises the expiry warnings due now (the daily job).
func (a *alerting) checkExpiry(ctx context.Context) (int, error) {
	conns, err := a.db.AlertConnections(ctx)
	if err != nil {
		return 0, err
	}
	return a.alerts.CheckExpiry(ctx, conns)
}

// channels builds the channels the saved settings configure, fresh for each alert, so that a
// changed setting applies to the next alert and no secret is kept between alerts.
func (a *alerting) channels(ctx context.Context) ([]fleet.Notifier, error) {
	s, err := a.db.AlertSettings(ctx)
	if err != nil {
		return nil, err
	}
	var out []fleet.Notifier
	if s.WebhookOn() {
		secret, err := a.db.AlertWebhookSecret(ctx)
		if err != nil {
			return nil, fmt.Errorf("alert webhook secret: %w", err)
		}
		out = append(out, &notify.Webhook{URL: s.WebhookURL, Secret: secret, Policy: a.checker.OutboundPolicy(),
			DialerFor: a.checker.DialerFor, RootCAs: a.checker.RootCAs, Words: a.words})
	}
	if s.EmailOn() {
		sender := s.SenderProfileID
		out = append(out, &notify.Email{
			Sender: func(ctx context.Context) (mailer.Request, error) {
				p, err := a.db.Profile(ctx, sender)
				if err != nil {
					return mailer.Request{}, err
				}
				return a.db.Request(ctx, p, "")
			},
			Send: func(ctx context.Context, req mailer.Request, subject, body string) *mailer.Result {
				return a.checker.Send(ctx, req, exchange.Message{Subject: subject, Body: body})
			},
			Recipients: s.Recipients, Words: a.words, ConsoleURL: a.consoleURL(),
		})
	}
	return out, nil
}

// TestAlert sends a test alert on one channel now, once, and records it in the history: what
// the alerts page's "Send test webhook" and "Send test e-mail" buttons do.
func (a *alerting) TestAlert(ctx context.Context, channel, by string) (fleet.DeliveryRecord, error) {
	chans, err := a.channels(ctx)
	if err != nil {
		return fleet.DeliveryRecord{}, err
	}
	for _, n := range chans {
		if n.Channel() != channel {
			continue
		}
		alert := fleet.TestAlert(by, time.Now())
		rec := fleet.Deliver(ctx, n, alert, fleet.Retry{Attempts: 1, PerTry: 30 * time.Second}, nil, time.Now)
		return rec, a.db.RecordDelivery(ctx, rec)
	}
	return fleet.DeliveryRecord{}, fleet.ErrChannelOff
}
