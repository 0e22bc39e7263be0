package fleet

import (
	"net/url"
	"strconv"
)

// MaxWebhookURL bounds a webhook URL's length.
const MaxWebhookURL = 2048

// Codes of a webhook URL's problems; web/i18n puts them into words.
const (
	CodeURLInvalid  = "alerts.url_invalid"
	CodeURLNotHTTPS = "alerts.url_not_https"
	CodeURLUserinfo = "alerts.url_userinfo"
	CodeURLTooLong  = "alerts.url_too_long"
	CodeURLPort     = "alerts.url_port"
)

// URLCodes lists the webhook URL codes, for web/i18n's completeness test.
func URLCodes() []string {
	return []string{CodeURLInvalid, CodeURLNotHTTPS, CodeURLUserinfo, CodeURLTooLong, CodeURLPort}
}

// URLError says why a webhook URL was refused, as a code.
type URLError struct{ Code string }

func (e *URLError) Error() string {
	return map[string]string{
		CodeURLInvalid:  "the URL is not an absolute https:// URL",
		CodeURLNotHTTPS: "the URL must start with https://",
		CodeURLUserinfo: "the URL must not hold a user name or password",
		CodeURLTooLong:  "the URL is too long",
		CodeURLPort:     "the URL's port is not a number from 1 to 65535",
	}[e.Code]
}

// ParseWebhookURL checks a webhook URL and returns its host and port: https only (an alert names
// customers), no user name or password (the signing secret authenticates the alert), at most
// MaxWebhookURL bytes. Where it may connect is the outbound policy's decision, not this one's.
func ParseWebhookURL(raw string) (host string, port uint16, err error) {
	if len(raw) > MaxWebhookURL {
		return "", 0, &URLError{CodeURLTooLong}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || (u.Scheme == "https" && u.Hostname() == "") {
		return "", 0, &URLError{CodeURLInvalid}
	}
	if u.Scheme != "https" {
		return "", 0, &URLError{CodeURLNotHTTPS}
	}
	if u.User != nil {
		return "", 0, &URLError{CodeURLUserinfo}
	}
	p := uint64(443)
	if u.Port() != "" {
		if p, err = strconv.ParseUint(u.Port(), 10, 16); err != nil || p == 0 {
			return "", 0, &URLError{CodeURLPort}
		}
	}
	return u.Hostname(), uint16(p), nil
}
