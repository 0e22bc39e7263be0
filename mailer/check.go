package mailer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Request is one send test: which app, which mailbox, and whether to send a real message.
type Request struct {
	// ProfileName names the profile in the test message and the transcript.
	ProfileName string
	Cloud       Cloud
	Tenant      string
	ClientID    string
	Credential  Credential
	// Mailbox is the mailbox that authenticates (the XOAUTH2 user=).
	Mailbox string
	// From is the header and envelope sender; empty means Mailbox. A different address needs SendAs.
	From string
	// To is the test recipient; empty stops the test after AUTH.
	To string
	// SMTPAddr and Authority override the cloud's endpoints (host:port, https URL).
	SMTPAddr  string
	Authority string
}

// Validate checks a request with the same rules the store applies to profiles.
func (r *Request) Validate() error {
	if _, err := CloudEndpoints(r.Cloud); err != nil {
		return fieldErr("cloud", err.Error(), "unbekannte Cloud: "+cloudNames())
	}
	checks := []error{ValidateTenant(r.Tenant), ValidateClientID(r.ClientID), ValidateMailbox("mailbox", r.Mailbox),
		ValidateText("profile", r.ProfileName)}
	if r.From != "" {
		checks = append(checks, ValidateMailbox("from", r.From))
	}
	if r.To != "" {
		checks = append(checks, ValidateMailbox("to", r.To))
	}
	if r.SMTPAddr != "" {
		checks = append(checks, ValidateHostPort("smtp_host", r.SMTPAddr))
	}
	if r.Authority != "" {
		checks = append(checks, ValidateAuthority("authority", r.Authority))
	}
	if r.Credential.Certificate == nil {
		checks = append(checks, ValidateSecret(r.Credential.Secret))
	}
	return errors.Join(checks...)
}

func (r *Request) endpoints() Endpoints {
	ep, _ := CloudEndpoints(r.Cloud)
	if r.SMTPAddr != "" {
		ep.SMTPAddr = r.SMTPAddr
	}
	if r.Authority != "" {
		ep.Authority = r.Authority
	}
	return ep
}

func (r *Request) from() string {
	if r.From != "" {
		return r.From
	}
	return r.Mailbox
}

// Checker runs send tests. Its zero value is ready: system roots, default timeouts.
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
	Now func() time.Time
	// Dial opens the TCP connection; nil means a net.Dialer with ConnectTimeout.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Policy says where checks may connect (token endpoint and SMTP server); nil means
	// DefaultPolicy: Microsoft's endpoints on their ports, public addresses only.
	Policy *Policy
	// Resolver resolves host names before the policy sees their addresses; nil means net.DefaultResolver.
	Resolver Resolver
	// Proxy chooses the token request's HTTP proxy; nil means the environment's (HTTPS_PROXY).
	Proxy func(*http.Request) (*url.URL, error)
}

// Default timeouts: generous enough for a slow tenant, short enough for a person waiting.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultReplyTimeout   = 30 * time.Second
	DefaultDeadline       = 2 * time.Minute
)

// Result is everything a check found out. It holds no secret and no token.
type Result struct {
	OK bool `json:"ok"`
	// Stage is the last stage reached: where it failed, or StageDone.
	Stage     Stage           `json:"stage"`
	Diagnosis *Diagnosis      `json:"diagnosis,omitempty"`
	Claims    *Claims         `json:"claims,omitempty"`
	Checks    []ClaimCheck    `json:"claim_checks,omitempty"`
	Events    []Event         `json:"transcript"`
	Timings   map[Stage]int64 `json:"timings_ms"`
	Entra     *EntraError     `json:"entra_error,omitempty"`
	Reply     *Reply          `json:"reply,omitempty"`
	Started   time.Time       `json:"started"`
	Finished  time.Time       `json:"finished"`
	Err       error           `json:"-"`
	Error     string          `json:"error,omitempty"`
	Sent      bool            `json:"message_sent"`
}

// Run performs a check: token, claims, SMTP dialogue. onEvent, if not nil, receives each
// transcript event as it happens (from the checking goroutine; it must not block for long).
func (c *Checker) Run(ctx context.Context, req Request, onEvent func(Event)) *Result {
	now := c.now
	res := &Result{Started: now(), Timings: map[Stage]int64{}}
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

	run := &checkRun{Checker: c, req: req, ep: req.endpoints(), tr: tr, res: res}
	err := run.do(ctx)
	res.Finished = now()
	res.Events = tr.snapshot()
	res.OK = err == nil
	if err != nil {
		res.Err = err
		res.Error = tr.scrub(err.Error())
		res.Diagnosis = Diagnose(run.facts(err))
	} else {
		res.Stage = StageDone
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
	req   Request
	ep    Endpoints
	tr    *transcript
	res   *Result
	token string
}

func (r *checkRun) do(ctx context.Context) error {
	r.res.Stage = StageInput
	if err := r.req.Validate(); err != nil {
		return err
	}
	if err := r.timed(StageToken, func() error { return r.fetchToken(ctx) }); err != nil {
		return err
	}
	if err := r.timed(StageClaims, r.inspect); err != nil {
		return err
	}
	return r.dialogue(ctx)
}

// timed records how long a stage took and marks it reached.
func (r *checkRun) timed(stage Stage, f func() error) error {
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
	tokenURL := TokenURL(r.ep.Authority, r.req.Tenant)
	kind := "client secret"
	if r.req.Credential.Certificate != nil {
		kind = "certificate " + r.req.Credential.Certificate.Thumbprint()
	}
	r.tr.infof(StageToken, "requesting an app-only token from %s (scope %s, client %s, %s)", tokenURL, r.ep.Scope(), r.req.ClientID, kind)
	// A redirect would re-post the client secret (307/308) to wherever it points: never follow.
	hc := &http.Client{Transport: r.tokenTransport(tokenURL), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer hc.CloseIdleConnections()
	tok, err := fetchToken(ctx, hc, tokenURL, r.req.ClientID, r.ep.Scope(), r.req.Credential, r.now())
	if err != nil {
		var te *TokenError
		if errors.As(err, &te) && te.Entra != nil {
			r.res.Entra = te.Entra
			r.tr.infof(StageToken, "Entra ID refused (HTTP %d, %s): %s", te.Entra.HTTPStatus, te.Entra.Error, te.Entra.Message())
			if te.Entra.TraceID != "" || te.Entra.CorrelationID != "" {
				r.tr.infof(StageToken, "trace ID %s, correlation ID %s, timestamp %s", te.Entra.TraceID, te.Entra.CorrelationID, te.Entra.Timestamp)
			}
		} else {
			r.tr.infof(StageToken, "no token: %v", err)
		}
		return err
	}
	r.token = tok
	r.tr.redact = append(r.tr.redact, tok)
	r.tr.infof(StageToken, "token received: %s", TokenSummary(tok))
	return nil
}

func (r *checkRun) inspect() error {
	claims, err := DecodeClaims(r.token)
	if err != nil {
		r.tr.infof(StageClaims, "%v", err)
		return &ClaimsError{Code: CodeClaimsNotJWT, Detail: err.Error()}
	}
	r.res.Claims = claims
	checks, failure := InspectClaims(claims, r.ep, r.req.Tenant, r.req.ClientID, r.now())
	r.res.Checks = checks
	for _, c := range checks {
		mark := "ok"
		if !c.OK {
			mark = "PROBLEM"
		}
		r.tr.infof(StageClaims, "claim %s %s: %s", c.Claim, mark, c.Detail)
	}
	if failure != "" {
		return &ClaimsError{Code: failure}
	}
	return nil
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

// ClaimsError stops a check before SMTP because the token cannot work.
type ClaimsError struct {
	Code   string
	Detail string
}

func (e *ClaimsError) Error() string {
	if e.Detail != "" {
		return "token check: " + e.Detail
	}
	return "token check failed: " + e.Code
}

// TokenCheck is the answer to "does Entra give this app a token Exchange will accept?".
type TokenCheck struct {
	OK        bool
	Claims    *Claims
	Checks    []ClaimCheck
	Diagnosis *Diagnosis
	Events    []Event
}

// Token fetches a token and inspects its claims without any SMTP traffic: the wizard's first step.
func (c *Checker) Token(ctx context.Context, req Request) *TokenCheck {
	res := &Result{Started: c.now(), Timings: map[Stage]int64{}}
	tr := &transcript{start: res.Started, now: c.now}
	if req.Credential.Secret != "" {
		tr.redact = append(tr.redact, req.Credential.Secret)
	}
	run := &checkRun{Checker: c, req: req, ep: req.endpoints(), tr: tr, res: res}
	err := req.Validate()
	if err == nil {
		res.Stage = StageToken
		if err = run.fetchToken(ctx); err == nil {
			res.Stage = StageClaims
			err = run.inspect()
		}
	}
	tc := &TokenCheck{OK: err == nil, Claims: res.Claims, Checks: res.Checks, Events: tr.snapshot()}
	if err != nil {
		tc.Diagnosis = Diagnose(run.facts(err))
	}
	return tc
}

// AuthPassed reports whether Exchange accepted the token: the check got past AUTH, even if
// sending failed later.
func (r *Result) AuthPassed() bool {
	switch r.Stage {
	case StageMail, StageRcpt, StageData, StageQuit, StageDone:
		return true
	}
	return false
}
