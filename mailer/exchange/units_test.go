package exchange_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

func TestXOAUTH2_ClientFormat(t *testing.T) {
	// Microsoft's documented example (Microsoft Learn, "Authenticate an IMAP, POP or SMTP connection using OAuth").
	c := exchange.NewXOAUTH2Client("test@contoso.onmicrosoft.com", "EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA")
	mech, ir, err := c.Start()
	if err != nil || mech != "XOAUTH2" {
		t.Fatalf("got %q, %v", mech, err)
	}
	want := "dXNlcj10ZXN0QGNvbnRvc28ub25taWNyb3NvZnQuY29tAWF1dGg9QmVhcmVyIEV3QkFBbDNCQUFVRkZwVUFvN0ozVmUwYmpMQldaV0NjbFJDM0VvQUEBAQ=="
	if got := base64.StdEncoding.EncodeToString(ir); got != want {
		t.Fatalf("got %s, want Microsoft's example %s", got, want)
	}
	if resp, err := c.Next([]byte(`{"status":"401"}`)); err != nil || len(resp) != 0 {
		t.Fatalf("error challenge: got %q, %v; want an empty response", resp, err)
	}
}

func TestXOAUTH2_ServerRoundTrip(t *testing.T) {
	var gotUser, gotToken string
	s := exchange.NewXOAUTH2Server(func(u, tok string) error { gotUser, gotToken = u, tok; return nil })
	challenge, done, err := s.Next(nil)
	if done || err != nil || len(challenge) != 0 {
		t.Fatalf("without initial response: got %q done=%v %v, want an empty challenge", challenge, done, err)
	}
	_, ir, _ := exchange.NewXOAUTH2Client("a@b.com", "tok.en.x").Start()
	if _, done, err := s.Next(ir); !done || err != nil || gotUser != "a@b.com" || gotToken != "tok.en.x" {
		t.Fatalf("got done=%v %v user=%q token=%q", done, err, gotUser, gotToken)
	}
	for _, bad := range []string{"user=a\x01auth=Bearer t\x01", "user=a\x01auth=Basic t\x01\x01", "auth=Bearer t\x01\x01"} {
		if _, _, err := exchange.ParseXOAUTH2([]byte(bad)); err == nil {
			t.Errorf("ParseXOAUTH2(%q) accepted a malformed response", bad)
		}
	}
}

func TestDecodeClaims(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tok := enc(`{"alg":"RS256"}`) + "." + enc(`{"aud":"https://outlook.office365.com","roles":["SMTP.SendAsApp"],"tid":"t","azp":"app","oid":"o","exp":1700000000,"ver":"2.0","azpacr":"2"}`) + ".sig"
	c, err := exchange.DecodeClaims(tok)
	if err != nil {
		t.Fatal(err)
	}
	if c.AppID != "app" || c.AuthMethod != "2" || !c.HasSMTPRole() || c.ExpiresAt.Unix() != 1700000000 {
		t.Fatalf("got %+v", c)
	}
	arr := enc(`{}`) + "." + enc(`{"aud":["https://outlook.office365.com","x"]}`) + ".s"
	if c, _ := exchange.DecodeClaims(arr); c.Audience != "https://outlook.office365.com" {
		t.Fatalf("array aud: got %q", c.Audience)
	}
	for _, bad := range []string{"opaque", "a.!!!.c", "a." + enc("not json") + ".c"} {
		if _, err := exchange.DecodeClaims(bad); err == nil {
			t.Errorf("DecodeClaims(%q) accepted a non-JWT", bad)
		}
	}
}

func TestTokenSummary_SizeAndShortHashNeverTheToken(t *testing.T) {
	if s := exchange.TokenSummary(strings.Repeat("x", 2431)); !strings.HasPrefix(s, "bearer token 2,431 bytes, sha256 ") {
		t.Fatalf("got %q", s)
	}
}

func TestXOAUTH2_SecondChallengeHasNoAnswer(t *testing.T) {
	c := exchange.NewXOAUTH2Client("a@b.com", "tok.en.x")
	if _, err := c.Next(nil); err == nil {
		t.Fatal("Next before Start: got no error")
	}
	c.Start()
	if _, err := c.Next([]byte(`{"status":"401"}`)); err != nil {
		t.Fatalf("first challenge: %v", err)
	}
	if resp, err := c.Next([]byte(`{"status":"401"}`)); err == nil {
		t.Fatalf("second challenge: got %q, want the exchange to end", resp)
	}
}
