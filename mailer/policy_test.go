package mailer_test

import (
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
)

func TestNewPolicy_MalformedAllowedHostRefused(t *testing.T) {
	for _, entry := range []string{"relay.example.net:0", "relay.example.net:99999", "relay.example.net:smtp", "https://relay.example.net/x", ":587"} {
		if _, err := mailer.NewPolicy(mailer.PolicyConfig{AllowedHosts: []string{entry}}); err == nil {
			t.Errorf("%q: accepted, want an error", entry)
		}
	}
	if _, err := mailer.NewPolicy(mailer.PolicyConfig{AllowEndpoints: []string{"localhost:80"}}); err == nil {
		t.Error("an endpoint that is not ip:port was accepted")
	}
}
