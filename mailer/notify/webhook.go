package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
)

// DialFunc opens a TCP connection.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Bounds of one webhook request: an alert is small, and a receiver's answer is only read for
// its status.
const (
	MaxBody        = 64 << 10
	maxAnswer      = 4 << 10
	requestTimeout = 30 * time.Second
)

// Webhook posts alerts as signed JSON to one URL.
type Webhook struct {
	URL    string
	Secret []byte
	// Policy is the product's outbound policy. The saved URL's host and port are added to it by
	// name (an admin chose them), but the addresses they resolve to are checked as always: a
	// webhook on loopback, a private range or a metadata address is refused unless the operator
	// allowed exactly that endpoint (--allowed-hosts with an address, or --allow-private).
	Policy *mailer.Policy
	// DialerFor is the checker's policy-enforcing dial under a given policy
	// (exchange.Checker.DialerFor): the webhook has no dialer of its own.
	DialerFor func(*mailer.Policy) func(ctx context.Context, network, addr string) (net.Conn, error)
	// RootCAs verifies the receiver; nil means the system roots.
	RootCAs *x509.CertPool
	// Words renders the alert's text into the payload's "text"; nil leaves it out.
	Words mailer.Words
	Now   func() time.Time
}

// Payload is the JSON body: the alert's codes and parameters, and its text in the console's
// language when one was configured.
type Payload struct {
	fleet.Alert
	Text   string    `json:"text,omitempty"`
	SentAt time.Time `json:"sent_at"`
}

// Channel names the channel in the history.
func (w *Webhook) Channel() string { return "webhook" }

// Notify posts a once. A refused target, a redirect and a 4xx answer (but 408 and 429) are
// permanent; everything else may be retried. No error holds the URL's path or query, which are
// often the receiver's own secret.
func (w *Webhook) Notify(ctx context.Context, a fleet.Alert) error {
	host, port, err := fleet.ParseWebhookURL(w.URL)
	if err != nil {
		return fleet.Permanent(fmt.Errorf("webhook URL: %w", err))
	}
	target := net.JoinHostPort(host, strconv.Itoa(int(port)))
	if w.Policy == nil || w.DialerFor == nil {
		return fleet.Permanent(errors.New("webhook: no outbound policy configured"))
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	p := Payload{Alert: a, SentAt: now().UTC()}
	if w.Words != nil {
		p.Text = alertText(w.Words, a)
	}
	body, err := json.Marshal(p)
	if err != nil {
		return fleet.Permanent(err)
	}
	if len(body) > MaxBody {
		return fleet.Permanent(fmt.Errorf("webhook: the alert is %d bytes, more than %d", len(body), MaxBody))
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fleet.Permanent(fmt.Errorf("webhook at %s: the request cannot be built", target))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "smtpoauth-alerts")
	req.Header.Set(DeliveryHeader, a.Key)
	req.Header.Set(SignatureHeader, Sign(w.Secret, now(), body))
	resp, err := w.client(host, port).Do(req)
	if err != nil {
		return w.transportErr(target, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code >= 300 && code < 400:
		return fleet.Permanent(fmt.Errorf("webhook at %s answered %d: redirects are not followed", target, code))
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		return fmt.Errorf("webhook at %s answered %d", target, code)
	default:
		return fleet.Permanent(fmt.Errorf("webhook at %s answered %d", target, code))
	}
}

// client connects through the policy (with the saved host added by name) and nothing else: no
// proxy from the environment, no redirect, no kept-alive connection between alerts.
func (w *Webhook) client(host string, port uint16) *http.Client {
	dial := w.DialerFor(w.Policy.WithName(host, port))
	return &http.Client{
		Transport: &http.Transport{
			DialContext:            dial,
			TLSClientConfig:        &tls.Config{RootCAs: w.RootCAs, MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:    10 * time.Second,
			ResponseHeaderTimeout:  15 * time.Second,
			MaxResponseHeaderBytes: 16 << 10,
			DisableKeepAlives:      true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       requestTimeout,
	}
}

// transportErr drops url.Error's copy of the URL and says whether the policy refused.
func (w *Webhook) transportErr(target string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var refused *mailer.TargetRefusedError
	if errors.As(err, &refused) {
		return fleet.Permanent(fmt.Errorf("webhook: %w", refused))
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("webhook at %s: no answer in time", target)
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		err = oe.Err
	}
	return fmt.Errorf("webhook at %s: %v", target, err)
}
