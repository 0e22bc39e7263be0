package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// check --json says whether retrying unchanged can succeed: throttling and a closed service
// yes; a 4xx that needs a change (STARTTLS, TLS 1.2) no.
func TestCheckCLI_JSONSaysWhetherRetryingCanSucceed(t *testing.T) {
	cases := []struct {
		name   string
		faults mailertest.Faults
		want   bool
	}{
		{"TokenThrottled", mailertest.Faults{TokenHTTPStatus: 429}, true},
		{"ThreadLimit", mailertest.Faults{ThreadLimit: true}, true},
		{"ServiceNotActive", mailertest.Faults{Replies: map[string]string{"EHLO": "421 4.3.2 Service not active" + suffix}}, true},
		{"STARTTLSRequired", mailertest.Faults{Replies: map[string]string{"MAIL": "451 5.7.3 STARTTLS is required to send mail" + suffix}}, false},
		{"TLS10", mailertest.Faults{Replies: map[string]string{"AUTH": "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2."}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, scenarios, caFile := fakeExchange(t)
			srv.SetFaults(tc.faults)
			args, env := checkArgs(t, srv, scenario(t, scenarios, "works"), caFile)
			res := runCLI(t, env, "", append(args, "--json")...)
			var out struct {
				Diagnosis map[string]any `json:"diagnosis"`
			}
			if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
				t.Fatalf("--json output is not JSON: %v\n%s", err, res.stdout)
			}
			if got, ok := out.Diagnosis["temporary"].(bool); !ok || got != tc.want {
				t.Fatalf("got temporary %v (%s), want %v", out.Diagnosis["temporary"], out.Diagnosis["code"], tc.want)
			}
		})
	}
}

// The human verdict says when the same check can succeed, with the wait Microsoft asked for.
func TestCheckCLI_VerdictNamesTheWait(t *testing.T) {
	srv, scenarios, caFile := fakeExchange(t)
	srv.SetFaults(mailertest.Faults{TokenHTTPStatus: 429, TokenRetryAfter: 30})
	args, env := checkArgs(t, srv, scenario(t, scenarios, "works"), caFile)
	res := runCLI(t, env, "", args...)
	if !strings.Contains(res.stdout, "can succeed after 30 seconds") {
		t.Fatalf("verdict lacks the wait:\n%s", res.stdout)
	}
	srv.SetFaults(mailertest.Faults{Replies: map[string]string{"MAIL": "451 5.7.3 STARTTLS is required to send mail" + suffix}})
	if res := runCLI(t, env, "", args...); strings.Contains(res.stdout, "Temporary:") {
		t.Fatalf("a reply that needs a change is called temporary:\n%s", res.stdout)
	}
}
