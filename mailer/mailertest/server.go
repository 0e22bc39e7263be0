// Package mailertest is a fake Exchange Online for tests, benchmarks and the demo: an Entra ID
// token endpoint with OpenID discovery, and an SMTP submission server with STARTTLS and XOAUTH2,
// both on loopback with a test CA, in the spirit of net/http/httptest.
//
// Tenants, apps, secrets, certificates and mailboxes are data; every failure smtpoauth diagnoses
// can be switched on with Faults. Replies use Exchange Online's and Entra ID's real wording.
package mailertest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

// Faults switch on server-wide misbehaviour. Data-level failures (wrong secret, missing role,
// no service principal, no permission, SMTP AUTH disabled) come from the world instead.
type Faults struct {
	// TokenHTTPStatus makes the token endpoint answer this status with an HTML page (e.g. 503).
	TokenHTTPStatus int
	// TokenNotJSON makes the token endpoint answer 200 with an HTML page.
	TokenNotJSON bool
	// TokenRetryAfter, with TokenHTTPStatus, sends a Retry-After header of this many seconds.
	TokenRetryAfter int
	// TokenError makes the token endpoint refuse every request with this AADSTS code.
	TokenError int
	// OpaqueToken issues an access token that is not a JWT.
	OpaqueToken bool
	// MutateClaims edits the claims of issued tokens (wrong audience, wrong tenant, …).
	MutateClaims func(claims map[string]any)
	// NoSTARTTLS leaves STARTTLS out of EHLO, like an SMTP-inspecting firewall.
	NoSTARTTLS bool
	// TLS10Only makes STARTTLS negotiate TLS 1.0 at most.
	TLS10Only bool
	// GarbageAfterSTARTTLS answers 220 to STARTTLS and then sends bytes that are not TLS.
	GarbageAfterSTARTTLS bool
	// NoXOAUTH2 advertises only AUTH LOGIN after STARTTLS.
	NoXOAUTH2 bool
	// Replies replaces the server's answer at one point of the dialogue with a verbatim reply:
	// "BANNER", a command verb ("EHLO", "AUTH", "MAIL", "RCPT", "DATA") or "MESSAGE" for the end of
	// DATA. For AUTH the XOAUTH2 exchange happens first. It reproduces Exchange replies the world cannot.
	Replies map[string]string
	// WrongCertificate presents a certificate from a CA the client does not trust.
	WrongCertificate bool
	// StallBanner accepts connections and never greets.
	StallBanner bool
	// DropAt closes the connection instead of answering this command ("EHLO", "AUTH", "DATA" …).
	DropAt string
	// ThreadLimit answers the end of DATA with 432 4.3.2 (more than three concurrent submissions)
	// on every session; without it only a session beyond SenderThreadLimit gets that answer.
	ThreadLimit bool
	// Hold, if set, is called before the server answers each command (with "BANNER" before the greeting);
	// a test can block in it to watch a check in progress.
	Hold func(command string)
}

// Server is a running fake Exchange Online.
type Server struct {
	// URL is the authority, used instead of https://login.microsoftonline.com.
	URL string
	// SMTPAddr is host:port of the SMTP submission server.
	SMTPAddr string
	// CACertPEM is the test CA that signed both servers' certificates.
	CACertPEM []byte
	// RootCAs trusts the test CA only.
	RootCAs *x509.CertPool
	// Cloud is the cloud whose Exchange resource this fake serves.
	Cloud mailer.Endpoints
	// Now is the fake's clock.
	Now func() time.Time

	mu        sync.Mutex
	faults    Faults
	tenants   []*Tenant
	apps      []*App
	mailboxes []*Mailbox
	// scopes and assignments are Exchange RBAC for Applications (world_rbac.go).
	scopes      []*ManagementScope
	assignments []*RoleAssignment
	sessions    []*Session
	messages    []Message
	issued      []string
	// Counters (limits.go): token requests, authenticated sessions per mailbox now and at most.
	tokenRequests int
	threadLimited int
	active        map[string]int
	peak          map[string]int

	signKey   *rsa.PrivateKey
	https     *httptest.Server
	smtpLn    net.Listener
	tlsCert   tls.Certificate
	wrongCert tls.Certificate
	wg        sync.WaitGroup
	conns     map[net.Conn]struct{}
	closed    bool
}

// Message is a message the SMTP server accepted.
type Message struct {
	From string
	To   []string
	Data string
}

var (
	keyOnce sync.Once
	signKey *rsa.PrivateKey
	keyErr  error
)

// sharedSigningKey is generated once per process: RSA key generation is slow, and tests start many fakes.
func sharedSigningKey() (*rsa.PrivateKey, error) {
	keyOnce.Do(func() { signKey, keyErr = rsa.GenerateKey(rand.Reader, 2048) })
	return signKey, keyErr
}

// NewServer starts a fake Exchange Online for the global cloud with an empty world.
func NewServer() (*Server, error) {
	ep, _ := mailer.CloudEndpoints(mailer.CloudGlobal)
	ca, err := newTestCA("smtpoauth fake Exchange test CA")
	if err != nil {
		return nil, err
	}
	other, err := newTestCA("Untrusted interception CA")
	if err != nil {
		return nil, err
	}
	s := &Server{Cloud: ep, Now: time.Now, CACertPEM: ca.pem, RootCAs: x509.NewCertPool(), conns: map[net.Conn]struct{}{}}
	s.RootCAs.AddCert(ca.cert)
	if s.signKey, err = sharedSigningKey(); err != nil {
		return nil, err
	}
	if s.tlsCert, err = ca.leaf("smtp.office365.com"); err != nil {
		return nil, err
	}
	if s.wrongCert, err = other.leaf("smtp.office365.com"); err != nil {
		return nil, err
	}
	httpsCert, err := ca.leaf("login.microsoftonline.com")
	if err != nil {
		return nil, err
	}
	s.https = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	// Handshake failures are what some tests provoke; they belong in the test's result, not the log.
	s.https.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.https.TLS = &tls.Config{Certificates: []tls.Certificate{httpsCert}, MinVersion: tls.VersionTLS12}
	s.https.StartTLS()
	s.URL = s.https.URL
	if s.smtpLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		s.https.Close()
		return nil, err
	}
	s.SMTPAddr = s.smtpLn.Addr().String()
	s.wg.Add(1)
	go s.acceptSMTP()
	return s, nil
}

// SetFaults replaces the server-wide faults.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

func (s *Server) currentFaults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// HTTPClient returns a client that trusts the fake's test CA.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}}}
}

// Checker returns an exchange.Checker that trusts the fake's test CA and nothing else, and whose
// outbound policy allows exactly the fake's two loopback endpoints besides Microsoft's.
func (s *Server) Checker() *exchange.Checker {
	policy, err := mailer.NewPolicy(mailer.PolicyConfig{AllowEndpoints: s.Endpoints()})
	if err != nil {
		panic(err) // the fake's own addresses are always ip:port
	}
	return &exchange.Checker{RootCAs: s.RootCAs, ReplyTimeout: 5 * time.Second, ConnectTimeout: 5 * time.Second, Deadline: 30 * time.Second,
		Policy: policy}
}

// Endpoints are the fake's token and SMTP endpoints as ip:port, for an outbound policy's
// AllowEndpoints: the narrow exemption demo mode and tests need, instead of allowing loopback.
func (s *Server) Endpoints() []string {
	return []string{s.https.Listener.Addr().String(), s.SMTPAddr}
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// IssuedTokens returns every access token issued, so tests can prove none of them leaked.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// Sessions returns what clients sent, line by line, per connection.
func (s *Server) Sessions() []*Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Session(nil), s.sessions...)
}

// Close stops both servers and waits for their connections to end.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.smtpLn.Close()
	s.https.Close()
	s.wg.Wait()
}

func (s *Server) now() time.Time { return s.Now().UTC() }

// frontend is the Exchange front-end host name that appears in banners and reply suffixes.
const frontend = "PN4P287CA0064.outlook.office365.com"

// suffix is the "[HOST TIMESTAMP ID]" trailer Exchange puts on error replies.
func (s *Server) suffix() string {
	var id [8]byte
	rand.Read(id[:])
	return fmt.Sprintf("[%s %s %X]", frontend, s.now().Format("2006-01-02T15:04:05.000Z"), id[:])
}
