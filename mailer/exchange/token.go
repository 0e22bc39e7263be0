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
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

var aadstsPattern = regexp.MustCompile(`AADSTS(\d+)`)

// parseEntraError reads Entra's error JSON; ok is false when the body is not that JSON.
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
	if err := json.Unmarshal(body, &raw); err != nil || raw.Error == "" {
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

// fetchToken runs the client-credentials grant. The secret or assertion travels only in the
// POST body over TLS; nothing of it reaches an error message.
func fetchToken(ctx context.Context, hc *http.Client, tokenURL, clientID, scope string, cred mailer.Credential, now time.Time) (string, error) {
	cfg := clientcredentials.Config{
		ClientID: clientID, TokenURL: tokenURL, Scopes: []string{scope},
		// Entra accepts both; parameters in the body are what its documentation shows.
		AuthStyle: oauth2.AuthStyleInParams,
	}
	switch {
	case cred.Certificate != nil:
		assertion, err := clientAssertion(cred.Certificate, clientID, tokenURL, now)
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
			return "", &mailer.TokenError{URL: tokenURL, Kind: "not_json", HTTPStatus: http.StatusOK, Err: errors.New("no access_token in the answer")}
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
			return &mailer.TokenError{URL: tokenURL, Entra: e, HTTPStatus: status, Kind: "entra"}
		}
		kind := "not_json"
		if status >= 500 {
			kind = "server_error"
		}
		return &mailer.TokenError{URL: tokenURL, Kind: kind, HTTPStatus: status, Err: fmt.Errorf("HTTP %d", status)}
	}
	// Transport failures come back as *url.Error; anything else is an answer x/oauth2 could not read.
	var ue *url.Error
	if errors.As(err, &ue) {
		return &mailer.TokenError{URL: tokenURL, Kind: networkKind(err), Err: ue.Err}
	}
	return &mailer.TokenError{URL: tokenURL, Kind: "not_json", HTTPStatus: http.StatusOK, Err: err}
}
