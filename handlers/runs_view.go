package handlers

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/pem"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// waitLimiter is a checker that tells how long it waits for each thing; the run page shows the
// limit beside the elapsed time. A checker without it shows no limit.
type waitLimiter interface {
	WaitLimits() (connect, reply, whole time.Duration)
}

// waitView says what a live run is waiting for, judged by its last line: the reply to the command
// it sent, the connection, the TLS handshake, or Entra ID's token. elapsed is the time since that line.
func (s *Server) waitView(ctx context.Context, events []mailer.Event, elapsed time.Duration) *web.WaitView {
	var connect, reply, whole time.Duration
	if wl, ok := s.Checker.(waitLimiter); ok {
		connect, reply, whole = wl.WaitLimits()
	}
	w := &web.WaitView{Phase: mailer.StageToken.Phase(), ElapsedMS: max(elapsed.Milliseconds(), 0)}
	key, arg, limit := "wait.token", "", whole
	if len(events) > 0 {
		last := events[len(events)-1]
		w.Phase = last.Stage.Phase()
		switch {
		case last.Stage == mailer.StageToken || last.Stage == mailer.StageInput:
			// still waiting for Entra ID
		case last.Dir == mailer.Client:
			verb, _, _ := strings.Cut(last.Text, " ")
			key, arg, limit = "wait.reply", verb, reply
			if last.Stage == mailer.StageAuth {
				arg = "AUTH XOAUTH2"
			}
		case last.Stage == mailer.StageConnect && last.Dir == mailer.Info && strings.HasPrefix(last.Text, "connecting"):
			key, limit = "wait.connect", connect
		case last.Stage == mailer.StageConnect:
			key, limit = "wait.banner", reply
		case last.Stage == mailer.StageSTARTTLS && last.Dir == mailer.Server || last.Stage == mailer.StageTLS:
			key, limit = "wait.tls", reply
		default:
			key, limit = "wait.next", 0
		}
	}
	if arg != "" {
		w.What = i18n.T(ctx, key, arg)
	} else {
		w.What = i18n.T(ctx, key)
	}
	w.TimeoutS = int(limit / time.Second)
	return w
}

// liveWait is the wait of a run being shown from the hub: the time since its last line, measured
// from the run's start (the checker's clock starts there too, within a few milliseconds).
func (s *Server) liveWait(ctx context.Context, run *store.Run, events []mailer.Event) *web.WaitView {
	since := s.now().Sub(run.StartedAt)
	if len(events) > 0 {
		since -= time.Duration(events[len(events)-1].OffsetMS) * time.Millisecond
	}
	return s.waitView(ctx, events, since)
}

// runSettings is "Use these settings in your application" for a passed run of a connection that
// still exists: the values the test used, and the snippets filled in with them.
func (s *Server) runSettings(ctx context.Context, run *store.Run) *web.SettingsView {
	if run.Result == nil || !run.Result.OK || run.ProfileDeleted() {
		return nil
	}
	p, err := s.DB.Profile(ctx, run.ProfileID)
	if err != nil {
		return nil
	}
	ep := (&mailer.Request{Cloud: p.Cloud, SMTPAddr: p.SMTPHost, Authority: p.Authority}).Endpoints()
	host, portText, err := net.SplitHostPort(ep.SMTPAddr)
	if err != nil {
		host, portText = ep.SMTPAddr, "587"
	}
	port, _ := strconv.Atoi(portText)
	from := p.From
	if from == "" {
		from = p.Mailbox
	}
	v := web.SettingsView{Host: host, Port: port, TokenURL: mailer.TokenURL(ep.Authority, p.Tenant),
		Authority: strings.TrimRight(ep.Authority, "/") + "/" + p.Tenant, Scope: ep.Scope(), ClientID: p.ClientID,
		Mailbox: p.Mailbox, From: from, Certificate: p.CredentialKind == store.KindCertificate}
	if v.Certificate {
		v.Thumbprint = thumbprint(p.CertificatePEM)
	}
	v.Snippets = web.BuildSnippets(v)
	return &v
}

// thumbprint is the SHA-1 thumbprint of a PEM certificate, as Entra and MSAL name it.
func thumbprint(certPEM string) string {
	block, _ := pem.Decode([]byte(certPEM))
	if block == nil {
		return ""
	}
	sum := sha1.Sum(block.Bytes)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
