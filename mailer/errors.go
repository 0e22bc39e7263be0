package mailer

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// EntraError is Entra ID's error answer from the token endpoint. The trace and correlation IDs
// are kept because Microsoft support asks for them.
type EntraError struct {
	HTTPStatus    int    `json:"http_status"`
	Error         string `json:"error"`
	Code          int    `json:"aadsts"` // the AADSTS number, e.g. 7000215
	Description   string `json:"description"`
	TraceID       string `json:"trace_id,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
	Timestamp     string `json:"timestamp,omitempty"`
	ErrorURI      string `json:"error_uri,omitempty"`
}

// Message is the description's first sentence block without the trailing IDs, which are kept apart.
func (e *EntraError) Message() string {
	d := e.Description
	if i := strings.Index(d, "Trace ID:"); i >= 0 {
		d = d[:i]
	}
	return strings.TrimSpace(d)
}

// TokenError is why no token came back: Entra said no (Entra set), or the endpoint could not be
// reached or answered something that is not Entra's JSON.
type TokenError struct {
	URL        string
	Entra      *EntraError
	HTTPStatus int
	// Kind is "entra", "unreachable", "timeout", "dns", "not_json" or "server_error".
	Kind string
	Err  error
	// RetryAfter is the wait the endpoint asked for (Retry-After), zero when it named none.
	RetryAfter time.Duration
	// Page is what a body that is not Entra's JSON says about itself: an HTML page's title or
	// the first words of a text body, made safe to show.
	Page string
}

func (e *TokenError) Error() string {
	switch {
	case e.Entra != nil:
		return fmt.Sprintf("token request refused by Entra ID: %s", e.Entra.Message())
	case e.Kind == "not_json" && e.Page != "":
		return fmt.Sprintf("token endpoint %s answered HTTP %d with something that is not Entra ID's JSON: %s", e.URL, e.HTTPStatus, e.Page)
	case e.Kind == "not_json":
		return fmt.Sprintf("token endpoint %s answered HTTP %d with something that is not Entra ID's JSON", e.URL, e.HTTPStatus)
	case e.Kind == "server_error":
		return fmt.Sprintf("token endpoint %s answered HTTP %d", e.URL, e.HTTPStatus)
	}
	return fmt.Sprintf("token endpoint %s could not be reached: %v", e.URL, e.Err)
}

func (e *TokenError) Unwrap() error { return e.Err }

// ReplyError is an SMTP reply that ended a check, with the stage it answered.
type ReplyError struct {
	Stage Stage
	Reply Reply
}

func (e *ReplyError) Error() string {
	return fmt.Sprintf("%s: server replied %s", e.Stage, e.Reply.String())
}

// Temporary reports a 4xx reply whose enhanced code does not say otherwise: trying again
// later may work. Exchange answers a missing STARTTLS with 451 5.7.3; the 5.x.x says that
// retrying unchanged will not. Diagnose knows more (421 4.7.66 needs a client change too).
func (e *ReplyError) Temporary() bool {
	return e.Reply.Code/100 == 4 && !strings.HasPrefix(e.Reply.Enhanced, "5.")
}

// Code is the three-digit reply code.
func (e *ReplyError) Code() int { return e.Reply.Code }

// Enhanced is the enhanced status code, such as "5.7.3".
func (e *ReplyError) Enhanced() string { return e.Reply.Enhanced }

// Reply is one SMTP reply, possibly of several lines.
type Reply struct {
	Code int
	// Enhanced is the RFC 3463 status such as "5.7.3", empty when the server sent none.
	Enhanced string
	// Lines are the texts after the code, without the enhanced status.
	Lines []string
}

// Text joins the reply's lines as one message.
func (r Reply) Text() string { return strings.Join(r.Lines, " ") }

// String is the reply as the server worded it (first line), for messages and diagnoses.
func (r Reply) String() string {
	s := strconv.Itoa(r.Code)
	if r.Enhanced != "" {
		s += " " + r.Enhanced
	}
	if t := r.Text(); t != "" {
		s += " " + t
	}
	return s
}

// NetError is a failure below SMTP: DNS, connect, TLS, timeout or a dropped connection.
type NetError struct {
	Stage Stage
	// Kind is "dns", "refused", "timeout", "unreachable", "closed", "tls_verify" or "tls_version".
	Kind string
	Addr string
	Err  error
}

func (e *NetError) Error() string {
	return string(e.Stage) + ": " + e.Addr + ": " + e.Err.Error()
}

func (e *NetError) Unwrap() error { return e.Err }

// Temporary reports failures that may pass on their own.
func (e *NetError) Temporary() bool { return e.Kind == "timeout" || e.Kind == "closed" }

// TargetRefusedError says the outbound policy forbids a connection: which host and port, the
// address when the refusal came after resolving, and why. It never carries request data.
type TargetRefusedError struct {
	Host, Port string
	// Addr is the refused address, empty when the name itself was refused.
	Addr   string
	Reason string
}

func (e *TargetRefusedError) Error() string {
	target := net.JoinHostPort(e.Host, e.Port)
	if e.Addr != "" && e.Addr != e.Host {
		target += " (address " + e.Addr + ")"
	}
	return "refused by the outbound policy: " + target + ": " + e.Reason
}
