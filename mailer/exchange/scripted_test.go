package exchange_test

import (
	"bufio"
	"cmp"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

// A scripted SMTP server, in the manner of go-smtp's client tests: it plays a fixed list of
// replies, one per client command, and records exactly what the client sent. Unlike the fake
// Exchange it has no logic of its own, so every edge of the protocol can be played on purpose.

// turn is what the scripted server does after the client's next command; the first turn is
// the greeting. After a 354 the next "command" is the whole message up to its ".".
type turn struct {
	reply   string        // lines separated by "\n", each sent with CRLF
	close   bool          // close the connection after the reply
	stall   bool          // after the reply, if any, send nothing more; keep reading until the client leaves
	advance time.Duration // move the test clock before replying
}

// scriptAddr is the SMTP address checks are given; the dialer takes them to the script instead.
const scriptAddr = "127.0.0.1:587"

// scriptToken is the bearer token of scripted checks.
const scriptToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.scripted-token.c2lnbmF0dXJl"

// scriptXOAUTH2 is the line that carries scriptToken for billing@contoso.com.
var scriptXOAUTH2 = base64.StdEncoding.EncodeToString([]byte("user=billing@contoso.com\x01auth=Bearer " + scriptToken + "\x01\x01"))

// scriptClock is a clock only the script moves, so that stage timings are exact.
type scriptClock struct{ offset atomic.Int64 }

var scriptEpoch = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func (c *scriptClock) Now() time.Time          { return scriptEpoch.Add(time.Duration(c.offset.Load())) }
func (c *scriptClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// scripted is one scripted session: what the client sent, and the message it sent after DATA.
type scripted struct {
	mu      sync.Mutex
	lines   []string
	message string
	done    chan struct{}
	clock   *scriptClock
	cert    tls.Certificate
}

func (s *scripted) record(line string) {
	s.mu.Lock()
	s.lines = append(s.lines, line)
	s.mu.Unlock()
}

// sent is what the client sent, one line each, with the message as "<message>"; it waits for
// the session to end.
func (s *scripted) sent(t *testing.T) []string {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the scripted session did not end")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

func (s *scripted) serve(t *testing.T, conn net.Conn, turns []turn) {
	defer close(s.done)
	defer conn.Close()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("scripted server failed: %v", p)
		}
	}()
	rd := bufio.NewReader(conn)
	var last, answered string
	for i, tn := range turns {
		if i > 0 {
			if strings.HasPrefix(answered, "354") {
				msg, ok := readMessage(rd)
				if !ok {
					return
				}
				s.mu.Lock()
				s.message = msg
				s.mu.Unlock()
				s.record("<message>")
				last = "<message>"
			} else {
				line, err := rd.ReadString('\n')
				if err != nil {
					return
				}
				last = strings.TrimSuffix(line, "\r\n")
				s.record(last)
			}
		}
		s.clock.advance(tn.advance)
		answered = tn.reply
		if tn.reply != "" {
			if _, err := conn.Write([]byte(strings.ReplaceAll(tn.reply, "\n", "\r\n") + "\r\n")); err != nil || tn.close {
				return
			}
		}
		if tn.stall {
			s.drain(rd)
			return
		}
		if strings.EqualFold(last, "STARTTLS") && strings.HasPrefix(tn.reply, "220") {
			tconn := tls.Server(conn, &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
				s.clock.advance(time.Second) // the handshake takes exactly one second of test time
				return &s.cert, nil
			}})
			if tconn.Handshake() != nil {
				return
			}
			conn, rd = tconn, bufio.NewReader(tconn)
		}
	}
	s.drain(rd) // lines after the script, such as a QUIT nobody answers
}

// drain records lines until the client closes the connection.
func (s *scripted) drain(rd *bufio.Reader) {
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return
		}
		s.record(strings.TrimSuffix(line, "\r\n"))
	}
}

func readMessage(rd *bufio.Reader) (string, bool) {
	var b strings.Builder
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return "", false
		}
		if line == ".\r\n" {
			return b.String(), true
		}
		b.WriteString(line)
	}
}

// runScripted runs the SMTP dialogue of a check against a script on a loopback listener.
func runScripted(t *testing.T, req mailer.Request, replyTimeout time.Duration, turns ...turn) (*mailer.Result, *scripted) {
	t.Helper()
	run := prepareScript(t, req, replyTimeout, turns...)
	return run()
}

// prepareScript sets up a scripted session in the test's goroutine; the returned function runs
// the check and may be called from any goroutine, so that slow cases can run side by side.
func prepareScript(t *testing.T, req mailer.Request, replyTimeout time.Duration, turns ...turn) func() (*mailer.Result, *scripted) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	cert, pool := scriptCert(t)
	policy, err := mailer.NewPolicy(mailer.PolicyConfig{AllowEndpoints: []string{scriptAddr}})
	if err != nil {
		t.Fatal(err)
	}
	s := &scripted{done: make(chan struct{}), clock: &scriptClock{}, cert: cert}
	checker := &exchange.Checker{RootCAs: pool, ReplyTimeout: replyTimeout, ConnectTimeout: 5 * time.Second, Deadline: time.Minute,
		Policy: policy, Now: s.clock.Now,
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr != scriptAddr {
				return nil, fmt.Errorf("the check dialled %s, not the script", addr)
			}
			return (&net.Dialer{}).DialContext(ctx, network, ln.Addr().String())
		}}
	if req.Mailbox == "" {
		req.Mailbox = "billing@contoso.com"
	}
	req.SMTPAddr, req.ProfileName = scriptAddr, cmp.Or(req.ProfileName, "Scripted")
	return func() (*mailer.Result, *scripted) {
		go func() {
			conn, err := ln.Accept()
			if err != nil {
				close(s.done)
				return
			}
			s.serve(t, conn, turns)
		}()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return checker.DialogueForTest(ctx, req, scriptToken), s
	}
}

var scriptCertOnce = sync.OnceValues(func() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "scripted smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
})

// scriptCert is a self-signed certificate for 127.0.0.1 and a pool that trusts it.
func scriptCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	cert, err := scriptCertOnce()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return cert, pool
}
