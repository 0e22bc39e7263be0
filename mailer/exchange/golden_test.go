package exchange_test

import (
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/exchange"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var (
	dateLine  = regexp.MustCompile(`^(Date: |Sent at:  ).*$`)
	messageID = regexp.MustCompile(`^Message-ID: <[0-9a-f-]+@`)
)

// clientBytes is what the client sent, line by line, with the two values that differ per run
// (the token, and the message's date and ID) replaced after checking them.
func clientBytes(t *testing.T, srv *mailertest.Server) string {
	t.Helper()
	tokens := srv.IssuedTokens()
	var b strings.Builder
	for _, sess := range srv.Sessions() {
		for _, line := range sess.Lines {
			if dec, err := base64.StdEncoding.DecodeString(line); err == nil && strings.HasPrefix(string(dec), "user=") {
				user, token, err := exchange.ParseXOAUTH2(dec)
				if err != nil || len(tokens) == 0 || token != tokens[len(tokens)-1] {
					t.Fatalf("the XOAUTH2 line does not carry the issued token: %v", err)
				}
				line = "<base64 of user=" + user + "^Aauth=Bearer <the issued token>^A^A>"
			}
			line = dateLine.ReplaceAllString(line, "${1}<now>")
			line = messageID.ReplaceAllString(line, "Message-ID: <random-guid@")
			b.WriteString(line + "\r\n")
		}
	}
	return b.String()
}

func TestGolden_ClientBytes(t *testing.T) {
	for _, name := range []string{"works", "no-service-principal", "wrong-object-id", "no-mailbox-permission", "smtp-auth-disabled", "smtp-auth-disabled-mailbox"} {
		t.Run(name, func(t *testing.T) {
			srv, scenarios := mustFake(t)
			res, _ := runScenario(t, srv, mustScenario(t, scenarios, name))
			if name == "works" && !res.OK {
				t.Fatalf("works failed: %v", res.Err)
			}
			got := clientBytes(t, srv)
			path := filepath.Join("testdata", "golden", name+".txt")
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run: go test ./mailer/exchange -run Golden -update)", err)
			}
			if got != string(want) {
				t.Fatalf("client bytes differ from %s\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}
