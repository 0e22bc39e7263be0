package mailer

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

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
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
}

func (e *TokenError) Error() string {
	switch {
	case e.Entra != nil:
		return fmt.Sprintf("token request refused by Entra ID: %s", e.Entra.Message())
	case e.Kind == "not_json":
		return fmt.Sprintf("token endpoint %s answered HTTP %d with something that is not Entra ID's JSON", e.URL, e.HTTPStatus)
	case e.Kind == "server_error":
		return fmt.Sprintf("token endpoint %s answered HTTP %d", e.URL, e.HTTPStatus)
	}
	return fmt.Sprintf("token endpoint %s could not be reached: %v", e.URL, e.Err)
}

func (e *TokenError) Unwrap() error { return e.Err }

var aadstsPattern = regexp.MustCompile(`AADSTS(\d+)`)

// parseEntraError reads Entra's error JSON; ok is false when the body is not that JSON.
func parseEntraError(status int, body []byte) (*EntraError, bool) {
	var raw struct {
		Error         string `json:"error"`
		Description   string `json:"error_description"`
		Codes         []int  `json:"error_codes"`
		Timestamp     string `json:"timestamp"`
		TraceID       string `json:"trace_id"`
		CorrelationID string `json:"correlation_id"`
		ErrorURI      string `json:"error_uri"`
	}
	if err := json.Unmarshal(body, &raw); err != nil || raw.Error == "" {
		return nil, false
	}
	e := &EntraError{HTTPStatus: status, Error: raw.Error, Description: raw.Description, Timestamp: raw.Timestamp,
		TraceID: raw.TraceID, CorrelationID: raw.CorrelationID, ErrorURI: raw.ErrorURI}
	if len(raw.Codes) > 0 {
		e.Code = raw.Codes[0]
	} else if m := aadstsPattern.FindStringSubmatch(raw.Description); m != nil {
		e.Code, _ = strconv.Atoi(m[1])
	}
	return e, true
}

// fetchToken runs the client-credentials grant. The secret or assertion travels only in the
// POST body over TLS; nothing of it reaches an error message.
func fetchToken(ctx context.Context, hc *http.Client, tokenURL, clientID, scope string, cred Credential, now time.Time) (string, error) {
	cfg := clientcredentials.Config{
		ClientID: clientID, TokenURL: tokenURL, Scopes: []string{scope},
		// Entra accepts both; parameters in the body are what its documentation shows.
		AuthStyle: oauth2.AuthStyleInParams,
	}
	switch {
	case cred.Certificate != nil:
		assertion, err := cred.Certificate.clientAssertion(clientID, tokenURL, now)
		if err != nil {
			return "", fmt.Errorf("signing the client assertion: %w", err)
		}
		cfg.EndpointParams = url.Values{
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":      {assertion},
		}
	case cred.Secret != "":
		cfg.ClientSecret = cred.Secret
	default:
		return "", errNoCredential
	}
	tok, err := cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, hc))
	if err == nil {
		if tok.AccessToken == "" {
			return "", &TokenError{URL: tokenURL, Kind: "not_json", HTTPStatus: http.StatusOK, Err: errors.New("no access_token in the answer")}
		}
		return tok.AccessToken, nil
	}
	return "", classifyTokenError(tokenURL, err)
}

func classifyTokenError(tokenURL string, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		if e, ok := parseEntraError(status, re.Body); ok {
			return &TokenError{URL: tokenURL, Entra: e, HTTPStatus: status, Kind: "entra"}
		}
		kind := "not_json"
		if status >= 500 {
			kind = "server_error"
		}
		return &TokenError{URL: tokenURL, Kind: kind, HTTPStatus: status, Err: fmt.Errorf("HTTP %d", status)}
	}
	// Transport failures come back as *url.Error; anything else is an answer x/oauth2 could not read.
	var ue *url.Error
	if errors.As(err, &ue) {
		return &TokenError{URL: tokenURL, Kind: networkKind(err), Err: ue.Err}
	}
	return &TokenError{URL: tokenURL, Kind: "not_json", HTTPStatus: http.StatusOK, Err: err}
}
