package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

var (
	aadstsPattern = regexp.MustCompile(`AADSTS(\d+)`)
	// A body cut by a log or a proxy still carries Entra's fields; these read them one by one.
	looseError       = regexp.MustCompile(`"error"\s*:\s*"([^"\\]*)"`)
	looseDescription = regexp.MustCompile(`"error_description"\s*:\s*"((?:[^"\\]|\\.)*)`)
	htmlTitle        = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
)

// parseEntraError reads Entra's error JSON; ok is false when the body is not Entra's answer.
// A body that is not whole JSON still counts when it carries Entra's fields or an AADSTS code,
// so a cut-off answer is diagnosed from what it says.
func parseEntraError(status int, body []byte) (*mailer.EntraError, bool) {
	var raw struct {
		Error         string `json:"error"`
		Description   string `json:"error_description"`
		Codes         []int  `json:"error_codes"`
		Timestamp     string `json:"timestamp"`
		TraceID       string `json:"trace_id"`
		CorrelationID string `json:"correlation_id"`
		ErrorURI      string `json:"error_uri"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		raw.Error, raw.Description = looseEntraFields(body)
	}
	if raw.Error == "" && !aadstsPattern.MatchString(raw.Description) {
		return nil, false
	}
	e := &mailer.EntraError{HTTPStatus: status, Error: raw.Error, Description: raw.Description, Timestamp: raw.Timestamp,
		TraceID: raw.TraceID, CorrelationID: raw.CorrelationID, ErrorURI: raw.ErrorURI}
	if len(raw.Codes) > 0 {
		e.Code = raw.Codes[0]
	} else if m := aadstsPattern.FindStringSubmatch(raw.Description); m != nil {
		e.Code, _ = strconv.Atoi(m[1])
	}
	return e, true
}

// looseEntraFields reads error and error_description from a body that is not whole JSON. An
// HTML page is never read this way: Entra's sign-in pages mention AADSTS codes of their own.
func looseEntraFields(body []byte) (errValue, desc string) {
	if isHTML(body) {
		return "", ""
	}
	if m := looseError.FindSubmatch(body); m != nil {
		errValue = string(m[1])
	}
	if m := looseDescription.FindSubmatch(body); m != nil {
		if err := json.Unmarshal([]byte(`"`+string(m[1])+`"`), &desc); err != nil {
			desc = string(m[1])
		}
	} else if loc := aadstsPattern.FindIndex(body); loc != nil && errValue == "" {
		// A plain-text answer that starts Entra's message, as some proxies pass it on.
		desc = strings.TrimSpace(string(body[loc[0]:min(len(body), loc[0]+2048)]))
	}
	return errValue, desc
}

func isHTML(body []byte) bool {
	head := strings.ToLower(strings.TrimSpace(string(body[:min(len(body), 512)])))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") || strings.Contains(head, "<head")
}

// pageSummary is what a body that is not Entra's JSON shows of itself, in its own words: an
// HTML page's title element, else the start of the text, made safe and short.
func pageSummary(body []byte) string {
	if isHTML(body) {
		if m := htmlTitle.FindSubmatch(body); m != nil {
			if t := strings.Join(strings.Fields(SanitizeLine(string(m[1]))), " "); t != "" {
				return "<title>" + truncate(t, 120) + "</title>"
			}
		}
		return "<html>…</html>"
	}
	return truncate(strings.Join(strings.Fields(SanitizeLine(string(body[:min(len(body), 512)]))), " "), 120)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date relative to now.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}

// fetchToken runs the client-credentials grant. The secret or assertion travels only in the
// POST body over TLS; nothing of it reaches an error message.
func fetchToken(ctx context.Context, hc *http.Client, tokenURL, clientID, scope string, cred mailer.Credential, now time.Time) (mailer.Token, error) {
	cfg := clientcredentials.Config{
		ClientID: clientID, TokenURL: tokenURL, Scopes: []string{scope},
		// Entra accepts both; parameters in the body are what its documentation shows.
		AuthStyle: oauth2.AuthStyleInParams,
	}
	switch {
	case cred.Certificate != nil:
		assertion, err := clientAssertion(cred.Certificate, clientID, tokenURL, now)
		if err != nil {
			return mailer.Token{}, fmt.Errorf("signing the client assertion: %w", err)
		}
		cfg.EndpointParams = url.Values{
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":      {assertion},
		}
	case cred.Secret != "":
		cfg.ClientSecret = cred.Secret
	default:
		return mailer.Token{}, errNoCredential
	}
	tok, err := cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, hc))
	if err == nil {
		if tok.AccessToken == "" {
			return mailer.Token{}, &mailer.TokenError{URL: tokenURL, Kind: "not_json", HTTPStatus: http.StatusOK, Err: errors.New("no access_token in the answer")}
		}
		return mailer.Token{Value: tok.AccessToken, Expires: tok.Expiry}, nil
	}
	return mailer.Token{}, classifyTokenError(tokenURL, err, now)
}

func classifyTokenError(tokenURL string, err error, now time.Time) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status, header := 0, http.Header{}
		if re.Response != nil {
			status, header = re.Response.StatusCode, re.Response.Header
		}
		return tokenErrorFromAnswer(tokenURL, status, header, re.Body, now)
	}
	// Transport failures come back as *url.Error; anything else is an answer x/oauth2 could not read.
	var ue *url.Error
	if errors.As(err, &ue) {
		return &mailer.TokenError{URL: tokenURL, Kind: networkKind(err), Err: ue.Err}
	}
	return &mailer.TokenError{URL: tokenURL, Kind: "not_json", HTTPStatus: http.StatusOK, Err: err}
}

// tokenErrorFromAnswer is the error for a token endpoint's refusal: Entra's own answer when the
// body is one, else what the body is (an HTML page, a text), with the status and the wait asked for.
func tokenErrorFromAnswer(tokenURL string, status int, header http.Header, body []byte, now time.Time) *mailer.TokenError {
	wait := retryAfter(header, now)
	if e, ok := parseEntraError(status, body); ok {
		return &mailer.TokenError{URL: tokenURL, Entra: e, HTTPStatus: status, Kind: "entra", RetryAfter: wait}
	}
	kind := "not_json"
	if status >= 500 {
		kind = "server_error"
	}
	page := pageSummary(body)
	return &mailer.TokenError{URL: tokenURL, Kind: kind, HTTPStatus: status, Err: fmt.Errorf("HTTP %d: %s", status, page),
		RetryAfter: wait, Page: page}
}
