package exchange_test

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

// A token endpoint that redirects does not get the client secret posted on to wherever it
// points: the check stops at the redirect and says the endpoint answered unexpectedly.
func TestToken_RedirectNotFollowedWithTheSecret(t *testing.T) {
	var followed atomic.Int32
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			followed.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"x","token_type":"Bearer","expires_in":3600}`))
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer ts.Close()
	roots := x509.NewCertPool()
	roots.AddCert(ts.Certificate())
	policy, err := mailer.NewPolicy(mailer.PolicyConfig{AllowEndpoints: []string{ts.Listener.Addr().String()}})
	if err != nil {
		t.Fatal(err)
	}
	c := &exchange.Checker{RootCAs: roots, Policy: policy, ReplyTimeout: 5 * time.Second, ConnectTimeout: 5 * time.Second, Deadline: 30 * time.Second}
	req := mailer.Request{Cloud: mailer.CloudGlobal, Tenant: "7c0c36f5-af83-4c24-8844-9962e0163719", ClientID: "11111111-aaaa-4bbb-8ccc-000000000001",
		Credential: mailer.Credential{Secret: "Abc8Q~super.secret.value-0123456789"}, Mailbox: "billing@contoso.com", Authority: ts.URL}
	tc := c.Token(context.Background(), req)
	if n := followed.Load(); n != 0 {
		t.Fatalf("the redirect was followed %d times: the secret went to its target", n)
	}
	if tc.OK || tc.Diagnosis == nil || tc.Diagnosis.Code != mailer.CodeTokenNotJSON {
		t.Fatalf("got OK=%v, diagnosis %+v; want the token endpoint's unexpected answer", tc.OK, tc.Diagnosis)
	}
}
