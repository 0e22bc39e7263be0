package exchange

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/emersion/go-sasl"
)

// XOAUTH2 is the SASL mechanism name Exchange advertises for OAuth 2.0 bearer tokens.
const XOAUTH2 = "XOAUTH2"

// NewXOAUTH2Client returns a SASL client for XOAUTH2 (Microsoft Learn, "Authenticate an IMAP,
// POP or SMTP connection using OAuth"): "user=" + user + ^A + "auth=Bearer " + token + ^A^A.
// go-sasl ships OAUTHBEARER but not this older mechanism, which is the one Exchange Online
// advertises; the dialogue drives this client through go-sasl's Start and Next.
func NewXOAUTH2Client(user, token string) sasl.Client {
	return &xoauth2Client{user: user, token: token}
}

type xoauth2Client struct {
	user, token string
	sent        bool
	answered    bool
}

func (c *xoauth2Client) Start() (string, []byte, error) {
	c.sent = true
	return XOAUTH2, []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

// Next answers a server challenge. After a failed XOAUTH2 the server may send an error
// challenge (JSON); the protocol's reply to it is an empty response, after which the server
// sends its final failure code. A second challenge has no answer: the exchange is over.
func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	if !c.sent {
		return nil, errors.New("xoauth2: Next called before Start")
	}
	if c.answered {
		return nil, errors.New("xoauth2: unexpected challenge after the error challenge")
	}
	c.answered = true
	return []byte{}, nil
}

// XOAUTH2Authenticator decides a login on the server side; a non-nil error refuses it.
type XOAUTH2Authenticator func(user, token string) error

// NewXOAUTH2Server returns a SASL server for XOAUTH2, used by the fake Exchange.
func NewXOAUTH2Server(auth XOAUTH2Authenticator) sasl.Server {
	return &xoauth2Server{auth: auth}
}

type xoauth2Server struct {
	auth XOAUTH2Authenticator
	done bool
}

func (s *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	if s.done {
		return nil, false, sasl.ErrUnexpectedClientResponse
	}
	if response == nil {
		// No initial response: ask for it with an empty challenge ("334 ").
		return []byte{}, false, nil
	}
	s.done = true
	user, token, err := ParseXOAUTH2(response)
	if err != nil {
		return nil, true, err
	}
	return nil, true, s.auth(user, token)
}

// ParseXOAUTH2 splits a decoded XOAUTH2 response into its user and bearer token.
func ParseXOAUTH2(resp []byte) (user, token string, err error) {
	if !bytes.HasSuffix(resp, []byte("\x01\x01")) {
		return "", "", errors.New("xoauth2: response does not end with ^A^A")
	}
	for _, field := range bytes.Split(bytes.TrimSuffix(resp, []byte("\x01\x01")), []byte("\x01")) {
		k, v, ok := bytes.Cut(field, []byte("="))
		if !ok {
			return "", "", fmt.Errorf("xoauth2: malformed field")
		}
		switch string(k) {
		case "user":
			user = string(v)
		case "auth":
			t, ok := bytes.CutPrefix(v, []byte("Bearer "))
			if !ok {
				return "", "", errors.New("xoauth2: auth is not a Bearer token")
			}
			token = string(t)
		}
	}
	if user == "" || token == "" {
		return "", "", errors.New("xoauth2: user or token missing")
	}
	return user, token, nil
}
