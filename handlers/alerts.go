package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// AlertTester sends a test alert on one channel ("webhook" or "email") now and records it in
// the delivery history; cmd wires the channels in.
type AlertTester interface {
	TestAlert(ctx context.Context, channel, by string) (fleet.DeliveryRecord, error)
}

// historyRows is how many deliveries the alerts page lists.
const historyRows = 100

// alertsPage shows where alerts go and what was delivered: admins edit, the help desk reads.
func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request) {
	s.renderAlerts(w, r, http.StatusOK, web.AlertsView{})
}

func (s *Server) renderAlerts(w http.ResponseWriter, r *http.Request, status int, v web.AlertsView) {
	ctx, lang := r.Context(), i18n.From(r.Context())
	settings, err := s.DB.AlertSettings(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	history, err := s.DB.AlertDeliveries(ctx, historyRows)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Page = s.page(r, i18n.T(ctx, "alerts.title"), "alerts")
	v.CanTest = s.alerts != nil
	if v.Form == (web.AlertsForm{}) {
		v.Form = web.AlertsForm{WebhookURL: settings.WebhookURL, SenderID: settings.SenderProfileID, Recipients: strings.Join(settings.Recipients, ", ")}
	}
	v.SecretState = i18n.T(ctx, "alerts.secret_unset")
	if !settings.WebhookSecretSetAt.IsZero() {
		v.SecretState = i18n.T(ctx, "alerts.secret_set", i18n.Date(lang, settings.WebhookSecretSetAt))
	}
	v.SenderName = settings.SenderName
	if v.Page.Admin {
		profiles, err := s.DB.Profiles(ctx, "")
		if err != nil {
			s.error(w, r, err)
			return
		}
		for _, p := range profiles {
			v.Senders = append(v.Senders, web.AlertSender{ID: p.ID, Name: p.Name})
		}
	}
	for _, d := range history {
		v.History = append(v.History, web.AlertDeliveryRow{When: when(ctx, d.At), Connection: d.Connection,
			Kind: i18n.T(ctx, "alerts.kind."+d.Kind), Channel: i18n.T(ctx, "alerts.channel."+d.Channel),
			Status: i18n.T(ctx, "alerts.status."+d.Status), Sent: d.Status == fleet.DeliverySent,
			Attempts: d.Attempts, Error: d.LastError})
	}
	s.render(w, r, status, web.AlertsPage(v))
}

// saveAlerts saves the settings; the signing secret is write-only and never shown back.
func (s *Server) saveAlerts(w http.ResponseWriter, r *http.Request) {
	sender, _ := strconv.ParseInt(r.PostFormValue("sender"), 10, 64)
	in := store.AlertSettingsInput{WebhookURL: r.PostFormValue("webhook_url"), WebhookSecret: r.PostFormValue("webhook_secret"),
		SenderProfileID: sender, Recipients: r.PostFormValue("recipients")}
	err := s.DB.UpdateAlertSettings(r.Context(), in, currentUser(r))
	var ve *store.ValidationError
	switch {
	case errors.As(err, &ve):
		form := web.AlertsForm{WebhookURL: in.WebhookURL, SenderID: sender, Recipients: in.Recipients}
		s.renderAlerts(w, r, http.StatusUnprocessableEntity, web.AlertsView{Form: form, Errors: i18n.Fields(i18n.From(r.Context()), ve.Fields)})
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	detail := "webhook off"
	if in.WebhookURL != "" {
		detail = "webhook on" // the URL's path is often the receiver's own secret: not in the audit log
	}
	s.audit(r, "alerts.updated", "settings", detail)
	s.renderAlerts(w, r, http.StatusOK, web.AlertsView{Notice: i18n.T(r.Context(), "alerts.saved")})
}

// testAlert sends a test alert on one channel and says how it went.
func (s *Server) testAlert(w http.ResponseWriter, r *http.Request) {
	channel := chi.URLParam(r, "channel")
	if s.alerts == nil || (channel != "webhook" && channel != "email") {
		s.error(w, r, store.ErrNotFound)
		return
	}
	ctx := r.Context()
	rec, err := s.alerts.TestAlert(ctx, channel, currentUser(r))
	v := web.AlertsView{}
	switch {
	case errors.Is(err, fleet.ErrChannelOff):
		v.Problem = i18n.T(ctx, "alerts.channel_off")
	case err != nil:
		s.error(w, r, err)
		return
	case rec.Status != fleet.DeliverySent:
		v.Problem = i18n.T(ctx, "alerts.test_failed", rec.LastError)
	default:
		v.Notice = i18n.T(ctx, "alerts.test_sent")
	}
	s.audit(r, "alerts.test", channel, rec.Status)
	s.renderAlerts(w, r, http.StatusOK, v)
}
