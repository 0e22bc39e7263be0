package exchange_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

// Replies as people paste them: MailKit's rendering, Exchange's 451 5.7.3 (a 5.x.x code on a
// 4xx reply), a bare 334, and a multi-line reply a log cut off.
func TestParseReplyText_ReadsTheShapesRealReportsShow(t *testing.T) {
	cases := []struct {
		in       string
		code     int
		enhanced string
		text     string
	}{
		{"535: 5.7.3 Authentication unsuccessful [AM0PR06CA0126.eurprd06.prod.outlook.com]", 535, "5.7.3", "Authentication unsuccessful [AM0PR06CA0126.eurprd06.prod.outlook.com]"},
		{"451 5.7.3 STARTTLS is required to send mail [SG2PR02CA0073.apcprd02.prod.outlook.com]", 451, "5.7.3", "STARTTLS is required to send mail [SG2PR02CA0073.apcprd02.prod.outlook.com]"},
		{"334", 334, "", ""},
		{"250-AM3PR05CA0094.outlook.office365.com Hello [77.233.241.24]", 250, "", "AM3PR05CA0094.outlook.office365.com Hello [77.233.241.24]"},
		{"250 5.0.0 a failure class on a success reply is text", 250, "", "5.0.0 a failure class on a success reply is text"},
	}
	for _, tc := range cases {
		r, err := exchange.ParseReplyText(tc.in)
		if err != nil || r.Code != tc.code || r.Enhanced != tc.enhanced || r.Text() != tc.text {
			t.Errorf("%q: got %d %q %q (%v), want %d %q %q", tc.in, r.Code, r.Enhanced, r.Text(), err, tc.code, tc.enhanced, tc.text)
		}
	}
	if _, err := exchange.ParseReplyText("HTTP/1.1 400 Bad Request"); err == nil {
		t.Error("a non-SMTP line was read as a reply")
	}
}

func tokenErr(t *testing.T, status int, header http.Header, body string) *mailer.TokenError {
	t.Helper()
	var te *mailer.TokenError
	if err := exchange.TokenErrorForTest(status, header, []byte(body), time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)); !errors.As(err, &te) {
		t.Fatalf("got %T, want *mailer.TokenError", err)
	}
	return te
}

// The wait comes from Retry-After in either form; a body that is not Entra's JSON is named by
// its title; a body a proxy or log cut off is still read as Entra's answer.
func TestTokenError_ReadsWaitPageAndCutAnswers(t *testing.T) {
	te := tokenErr(t, 429, http.Header{"Retry-After": {"120"}}, "Too Many Requests")
	if te.RetryAfter != 2*time.Minute || te.Entra != nil || te.Page != "Too Many Requests" {
		t.Errorf("seconds: got wait %v page %q entra %v", te.RetryAfter, te.Page, te.Entra)
	}
	te = tokenErr(t, 503, http.Header{"Retry-After": {"Tue, 01 Dec 2026 10:00:45 GMT"}}, "")
	if te.RetryAfter != 45*time.Second {
		t.Errorf("HTTP date: got wait %v, want 45s", te.RetryAfter)
	}
	te = tokenErr(t, 200, nil, "<!DOCTYPE html>\n<html><head><title>Sign in to your account</title></head><body>AADSTS50058</body></html>")
	if te.Entra != nil || te.Page != "<title>Sign in to your account</title>" || !strings.Contains(te.Error(), "Sign in to your account") {
		t.Errorf("HTML: got page %q entra %v", te.Page, te.Entra)
	}
	te = tokenErr(t, 400, nil, `"error":"invalid_request","error_description":"AADSTS900144: The request body must contain the following parameter: 'grant_type'.\r\nTrace ID: a9`)
	if te.Entra == nil || te.Entra.Code != 900144 || te.Entra.Error != "invalid_request" || !strings.HasPrefix(te.Entra.Description, "AADSTS900144: The request body") {
		t.Errorf("cut JSON: got %+v", te.Entra)
	}
	te = tokenErr(t, 400, nil, `{"error_description":"AADSTS7000215: Invalid client secret is provided."}`)
	if te.Entra == nil || te.Entra.Code != 7000215 {
		t.Errorf("no error value: got %+v", te.Entra)
	}
}
