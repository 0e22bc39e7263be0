package exchange

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Checker runs send tests against Entra ID and Exchange Online; it is the mailer.Checker the
// console and the CLI are handed. Its zero value is ready: system roots, default timeouts.
type Checker struct {
	// RootCAs verifies both the token endpoint and the SMTP server; nil means the system roots.
	RootCAs *x509.CertPool
	// ConnectTimeout bounds the TCP connect; ReplyTimeout each server reply; Deadline the whole check.
	ConnectTimeout time.Duration
	ReplyTimeout   time.Duration
	Deadline       time.Duration
	// EHLOName is sent in EHLO; empty means an address literal of the local address, which is always valid.
	EHLOName string
	// Now is the clock; nil means time.Now.
	Now mailer.Clock
	// Dial opens the TCP connection; nil means a net.Dialer with ConnectTimeout.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Policy says where checks may connect (token endpoint and SMTP server); nil means
	// DefaultPolicy: Microsoft's endpoints on their ports, public addresses only.
	Policy *mailer.Policy
	// Resolver resolves host names before the policy sees their addresses; nil means net.DefaultResolver.
	Resolver Resolver
	// Proxy chooses the token request's HTTP proxy; nil means the environment's (HTTPS_PROXY).
	Proxy func(*http.Request) (*url.URL, error)
}

var _ mailer.Checker = (*Checker)(nil)

// Default timeouts: generous enough for a slow tenant, short enough for a person waiting.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultReplyTimeout   = 30 * time.Second
	DefaultDeadline       = 2 * time.Minute
)

// Run performs a check: token, claims, SMTP dialogue. onEvent, if not nil, receives each
// transcript event as it happens (from the checking goroutine; it must not block for long).
func (c *Checker) Run(ctx context.Context, req mailer.Request, onEvent func(mailer.Event)) *mailer.Result {
	now := c.now
	res := &mailer.Result{Started: now(), Timings: map[mailer.Stage]int64{}}
	tr := &transcript{start: res.Started, now: now, listener: onEvent}
	if req.Credential.Secret != "" {
		tr.redact = append(tr.redact, req.Credential.Secret)
	}
	deadline := c.Deadline
	if deadline <= 0 {
		deadline = DefaultDeadline
	}
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()

	run := &checkRun{Checker: c, req: req, ep: req.Endpoints(), tr: tr, res: res}
	err := run.do(ctx)
	res.Finished = now()
	res.Events = tr.snapshot()
	res.OK = err == nil
	if err != nil {
		res.Err = err
		res.Error = tr.scrub(err.Error())
		res.Diagnosis = mailer.Diagnose(run.facts(err))
	} else {
		res.Stage = mailer.StageDone
	}
	return res
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// checkRun is the state of one Run.
type checkRun struct {
	*Checker
	req   mailer.Request
	ep    mailer.Endpoints
	tr    *transcript
	res   *mailer.Result
	token string
}

func (r *checkRun) do(ctx context.Context) error {
	r.res.Stage = mailer.StageInput
	if err := r.req.Validate(); err != nil {
		return err
	}
	if err := r.timed(mailer.StageToken, func() error { return r.fetchToken(ctx) }); err != nil {
		return err
	}
	if err := r.timed(mailer.StageClaims, r.inspect); err != nil {
		return err
	}
	return r.dialogue(ctx)
}

// timed records how long a stage took and marks it reached.
func (r *checkRun) timed(stage mailer.Stage, f func() error) error {
	r.res.Stage = stage
	start := r.now()
	err := f()
	r.res.Timings[stage] += r.now().Sub(start).Milliseconds()
	return err
}

func (r *checkRun) tlsConfig(serverName string) *tls.Config {
	return &tls.Config{ServerName: serverName, RootCAs: r.RootCAs, MinVersion: tls.VersionTLS12}
}

func (r *checkRun) fetchToken(ctx context.Context) error {
	tokenURL := mailer.TokenURL(r.ep.Authority, r.req.Tenant)
	var (
		tok    mailer.Token
		reused bool
		err    error
	)
	if r.req.Tokens != nil {
		tok, reused, err = r.req.Tokens.Token(ctx, r.req, func(ctx context.Context) (mailer.Token, error) {
			return r.requestToken(ctx, tokenURL)
		})
	} else {
		tok, err = r.requestToken(ctx, tokenURL)
	}
	if err != nil {
		var te *mailer.TokenError
		if errors.As(err, &te) && te.Entra != nil {
			r.res.Entra = te.Entra
			r.tr.infof(mailer.StageToken, "Entra ID refused (HTTP %d, %s): %s", te.Entra.HTTPStatus, te.Entra.Error, te.Entra.Message())
			if te.Entra.TraceID != "" || te.Entra.CorrelationID != "" {
				r.tr.infof(mailer.StageToken, "trace ID %s, correlation ID %s, timestamp %s", te.Entra.TraceID, te.Entra.CorrelationID, te.Entra.Timestamp)
			}
		} else {
			r.tr.infof(mailer.StageToken, "no token: %v", err)
		}
		return err
	}
	r.token = tok.Value
	r.res.TokenReused = reused
	r.tr.redact = append(r.tr.redact, tok.Value)
	if reused {
		r.tr.infof(mailer.StageToken, "reusing the token an earlier test of this connection fetched (expires %s): %s",
			tok.Expires.UTC().Format(time.RFC3339), TokenSummary(tok.Value))
		return nil
	}
	r.tr.infof(mailer.StageToken, "token received: %s", TokenSummary(tok.Value))
	return nil
}

// requestToken asks Entra ID for a new token.
func (r *checkRun) requestToken(ctx context.Context, tokenURL string) (mailer.Token, error) {
	kind := "client secret"
	if r.req.Credential.Certificate != nil {
		kind = "certificate " + r.req.Credential.Certificate.Thumbprint()
	}
	r.tr.infof(mailer.StageToken, "requesting an app-only token from %s (scope %s, client %s, %s)", tokenURL, r.ep.Scope(), r.req.ClientID, kind)
	// A redirect would re-post the client secret (307/308) to wherever it points: never follow.
	hc := &http.Client{Transport: r.tokenTransport(tokenURL), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer hc.CloseIdleConnections()
	return fetchToken(ctx, hc, tokenURL, r.req.ClientID, r.ep.Scope(), r.req.Credential, r.now())
}

func (r *checkRun) inspect() error {
	claims, err := DecodeClaims(r.token)
	if err != nil {
		r.tr.infof(mailer.StageClaims, "%v", err)
		return &mailer.ClaimsError{Code: mailer.CodeClaimsNotJWT, Detail: err.Error()}
	}
	r.res.Claims = claims
	checks, failure := mailer.InspectClaims(claims, r.ep, r.req.Tenant, r.req.ClientID, r.now())
	r.res.Checks = checks
	for _, c := range checks {
		mark := "ok"
		if !c.OK {
			mark = "PROBLEM"
		}
		r.tr.infof(mailer.StageClaims, "claim %s %s: %s", c.Claim, mark, c.Detail)
	}
	if failure != "" {
		return &mailer.ClaimsError{Code: failure}
	}
	return nil
}

// WaitLimits says how long a check waits at most for the TCP connection, for each server reply,
// and for the whole check (the token request included): the console shows them beside the
// elapsed time.
func (c *Checker) WaitLimits() (connect, reply, whole time.Duration) {
	r := &checkRun{Checker: c}
	whole = c.Deadline
	if whole <= 0 {
		whole = DefaultDeadline
	}
	return r.connectTimeout(), r.replyTimeout(), whole
}

func (r *checkRun) connectTimeout() time.Duration {
	if r.ConnectTimeout > 0 {
		return r.ConnectTimeout
	}
	return DefaultConnectTimeout
}

func (r *checkRun) replyTimeout() time.Duration {
	if r.ReplyTimeout > 0 {
		return r.ReplyTimeout
	}
	return DefaultReplyTimeout
}

// Token fetches a token and inspects its claims without any SMTP traffic: the wizard's first step.
func (c *Checker) Token(ctx context.Context, req mailer.Request) *mailer.TokenCheck {
	res := &mailer.Result{Started: c.now(), Timings: map[mailer.Stage]int64{}}
	tr := &transcript{start: res.Started, now: c.now}
	if req.Credential.Secret != "" {
		tr.redact = append(tr.redact, req.Credential.Secret)
	}
	run := &checkRun{Checker: c, req: req, ep: req.Endpoints(), tr: tr, res: res}
	err := req.Validate()
	if err == nil {
		res.Stage = mailer.StageToken
		if err = run.fetchToken(ctx); err == nil {
			res.Stage = mailer.StageClaims
			err = run.inspect()
		}
	}
	tc := &mailer.TokenCheck{OK: err == nil, Claims: res.Claims, Checks: res.Checks, Events: tr.snapshot()}
	if err != nil {
		tc.Diagnosis = mailer.Diagnose(run.facts(err))
	}
	return tc
}

func (r *checkRun) facts(err error) mailer.Facts {
	return mailer.Facts{Stage: r.res.Stage, Err: err, Claims: r.res.Claims, Req: r.req, Ep: r.ep}
}
