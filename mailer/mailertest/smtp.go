package mailertest

import (
	"bufio"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

// Session records what one client sent, line by line (plaintext, also after STARTTLS).
type Session struct {
	Lines []string
}

// Exchange Online's reply texts, as its servers send them (see the reply corpus in
// mailer/exchange/testdata/replies for the public sources).
const (
	replyEHLOPreTLS = "250-%s Hello [%s]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8"
	replyEHLONoTLS  = "250-%s Hello [%s]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8"
	replyEHLOTLS    = "250-%s Hello [%s]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH LOGIN XOAUTH2\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8"
	reply535        = "535 5.7.3 Authentication unsuccessful %s"
	replyTenantOff  = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. %s"
	replyMailboxOff = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. %s"
	replyBasicOff   = "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. %s"
)

var ehloArg = regexp.MustCompile(`^(?i)(([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?|\[[0-9.]+\]|\[IPv6:[0-9a-f:.]+\])$`)

func (s *Server) acceptSMTP() {
	defer s.wg.Done()
	for {
		c, err := s.smtpLn.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		sess := &Session{}
		s.sessions = append(s.sessions, sess)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				// The demo runs this fake inside the console: a bug in it ends one connection with a
				// temporary reply the transcript shows, never the console.
				if p := recover(); p != nil {
					fmt.Fprintf(c, "421 4.3.0 simulated Exchange failed: %v\r\n", p)
				}
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			sc := &smtpConn{srv: s, conn: c, rd: bufio.NewReaderSize(c, maxLine), sess: sess, faults: s.currentFaults()}
			defer func() {
				if sc.authUser != "" {
					s.sessionEnded(sc.authUser)
				}
			}()
			sc.serve()
		}()
	}
}

// smtpConn is one client connection's state.
type smtpConn struct {
	srv      *Server
	conn     net.Conn
	rd       *bufio.Reader
	sess     *Session
	faults   Faults
	tls      bool
	authUser string
	authOID  string
	// overLimit: the mailbox had SenderThreadLimit sessions already when this one authenticated.
	overLimit bool
	from      string
	rcpts     []string
}

var errDrop = errors.New("dropped by fault")

func (c *smtpConn) serve() {
	c.hold("BANNER")
	if c.faults.StallBanner {
		// Read until the client gives up; never greet.
		c.conn.SetReadDeadline(time.Now().Add(time.Minute))
		c.rd.ReadString(0)
		return
	}
	if r, ok := c.faults.Replies["BANNER"]; ok {
		c.reply(r)
		return
	}
	var id [8]byte
	rand.Read(id[:])
	c.reply(fmt.Sprintf("220 %s Microsoft ESMTP MAIL Service ready at %s [%X]", frontend, c.srv.now().Format("Mon, 2 Jan 2006 15:04:05 -0700"), id[:]))
	for {
		c.conn.SetReadDeadline(time.Now().Add(time.Minute))
		line, err := c.readLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if c.faults.DropAt != "" && strings.EqualFold(c.faults.DropAt, verb) {
			return
		}
		c.hold(verb)
		if r, ok := c.faults.Replies[verb]; ok && verb != "AUTH" {
			if err := c.reply(r); err != nil {
				return
			}
			continue
		}
		if err := c.command(verb, arg); err != nil {
			return
		}
	}
}

func (c *smtpConn) hold(step string) {
	if c.faults.Hold != nil {
		c.faults.Hold(step)
	}
}

// maxLine bounds a line the client sends, CRLF included, as real servers bound theirs: the demo
// runs this fake inside the console, and an endless line must not fill its memory. It is above
// 4 KiB because an AUTH XOAUTH2 line carries a whole access token, which can pass that.
const maxLine = 16 << 10

var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most maxLine bytes; a longer one is answered as Exchange
// would and ends the connection.
func (c *smtpConn) readLine() (string, error) {
	b, err := c.rd.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		c.reply("500 5.5.2 Line too long")
		return "", errLineTooLong
	}
	if err != nil {
		return "", err
	}
	line := strings.TrimRight(string(b), "\r\n")
	c.srv.mu.Lock()
	c.sess.Lines = append(c.sess.Lines, line)
	c.srv.mu.Unlock()
	return line, nil
}

func (c *smtpConn) reply(text string) error {
	_, err := c.conn.Write([]byte(text + "\r\n"))
	return err
}

func (c *smtpConn) remoteIP() string {
	host, _, _ := net.SplitHostPort(c.conn.RemoteAddr().String())
	return host
}

func (c *smtpConn) command(verb, arg string) error {
	switch verb {
	case "EHLO", "HELO":
		if !ehloArg.MatchString(arg) {
			return c.reply("501 5.5.4 Invalid domain name " + c.srv.suffix())
		}
		if verb == "HELO" {
			return c.reply(fmt.Sprintf("250 %s Hello [%s]", frontend, c.remoteIP()))
		}
		switch {
		case c.tls && c.faults.NoXOAUTH2:
			return c.reply(strings.Replace(fmt.Sprintf(replyEHLOTLS, frontend, c.remoteIP()), "AUTH LOGIN XOAUTH2", "AUTH LOGIN", 1))
		case c.tls:
			return c.reply(fmt.Sprintf(replyEHLOTLS, frontend, c.remoteIP()))
		case c.faults.NoSTARTTLS:
			return c.reply(fmt.Sprintf(replyEHLONoTLS, frontend, c.remoteIP()))
		}
		return c.reply(fmt.Sprintf(replyEHLOPreTLS, frontend, c.remoteIP()))
	case "STARTTLS":
		if c.tls || c.faults.NoSTARTTLS {
			return c.reply("503 5.5.2 Send hello first " + c.srv.suffix())
		}
		return c.startTLS()
	case "AUTH":
		return c.auth(arg)
	case "MAIL":
		if c.authUser == "" {
			return c.reply("530 5.7.57 Client not authenticated to send mail. " + c.srv.suffix())
		}
		addr, ok := pathArg(arg, "FROM:")
		if !ok {
			return c.reply("501 5.5.4 Invalid arguments " + c.srv.suffix())
		}
		c.from, c.rcpts = addr, nil
		return c.reply("250 2.1.0 Sender OK")
	case "RCPT":
		if c.from == "" {
			return c.reply("503 5.5.1 Need mail command " + c.srv.suffix())
		}
		addr, ok := pathArg(arg, "TO:")
		if !ok {
			return c.reply("501 5.5.4 Invalid arguments " + c.srv.suffix())
		}
		if c.unknownInternal(addr) {
			return c.reply("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient " + addr + " not found by SMTP address lookup " + c.srv.suffix())
		}
		c.rcpts = append(c.rcpts, addr)
		return c.reply("250 2.1.5 Recipient OK")
	case "DATA":
		if len(c.rcpts) == 0 {
			return c.reply("503 5.5.1 Need rcpt command " + c.srv.suffix())
		}
		return c.data()
	case "RSET":
		c.from, c.rcpts = "", nil
		return c.reply("250 2.0.0 Resetting")
	case "NOOP":
		return c.reply("250 2.0.0 OK")
	case "QUIT":
		c.reply("221 2.0.0 Service closing transmission channel")
		return errDrop
	}
	return c.reply("500 5.3.3 Unrecognized command " + c.srv.suffix())
}

func pathArg(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	rest, _, _ = strings.Cut(rest, " ") // parameters such as SIZE= are accepted and ignored
	if !strings.HasPrefix(rest, "<") || !strings.HasSuffix(rest, ">") {
		return "", false
	}
	return rest[1 : len(rest)-1], true
}

// unknownInternal: Exchange resolves recipients in its own domains at RCPT time.
func (c *smtpConn) unknownInternal(addr string) bool {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	domain := addr[strings.LastIndexByte(addr, '@')+1:]
	for _, t := range c.srv.tenants {
		if slices.ContainsFunc(t.Domains, func(d string) bool { return strings.EqualFold(d, domain) }) {
			return c.srv.mailbox(addr) == nil
		}
	}
	return false
}

func (c *smtpConn) startTLS() error {
	cfg := &tls.Config{Certificates: []tls.Certificate{c.srv.tlsCert}, MinVersion: tls.VersionTLS12}
	if c.faults.WrongCertificate {
		cfg.Certificates = []tls.Certificate{c.srv.wrongCert}
	}
	if c.faults.TLS10Only {
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS10, tls.VersionTLS10
	}
	if err := c.reply("220 2.0.0 SMTP server ready"); err != nil {
		return err
	}
	if c.faults.GarbageAfterSTARTTLS {
		c.conn.Write([]byte("220 this is not TLS\r\n"))
		c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		c.rd.ReadString(0)
		return errDrop
	}
	tc := tls.Server(c.conn, cfg)
	tc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		return err
	}
	tc.SetDeadline(time.Time{})
	c.conn, c.rd, c.tls = tc, bufio.NewReaderSize(tc, maxLine), true
	c.authUser, c.from, c.rcpts = "", "", nil
	return nil
}

func (c *smtpConn) auth(arg string) error {
	mech, ir, _ := strings.Cut(arg, " ")
	if !c.tls {
		return c.reply("504 5.7.4 Unrecognized authentication type " + c.srv.suffix())
	}
	if c.authUser != "" {
		return c.reply("503 5.5.2 Already authenticated " + c.srv.suffix())
	}
	switch strings.ToUpper(mech) {
	case "LOGIN":
		return c.reply(fmt.Sprintf(replyBasicOff, "["+frontend+"]"))
	case exchange.XOAUTH2:
	default:
		return c.reply("504 5.7.4 Unrecognized authentication type " + c.srv.suffix())
	}
	server := exchange.NewXOAUTH2Server(c.authorize)
	var resp []byte
	if ir != "" {
		var err error
		if resp, err = base64.StdEncoding.DecodeString(ir); err != nil {
			return c.reply("501 5.5.2 Cannot Decode response " + c.srv.suffix())
		}
	}
	for {
		challenge, done, err := server.Next(resp)
		if r, ok := c.faults.Replies["AUTH"]; ok && done {
			return c.reply(r)
		}
		if done {
			if err != nil {
				var re *authRefusal
				if errors.As(err, &re) {
					return c.reply(re.reply)
				}
				return c.reply(fmt.Sprintf(reply535, c.srv.suffix()))
			}
			return c.reply("235 2.7.0 Authentication successful")
		}
		if err := c.reply("334 " + base64.StdEncoding.EncodeToString(challenge)); err != nil {
			return err
		}
		line, err := c.readLine()
		if err != nil {
			return err
		}
		if line == "*" {
			return c.reply("501 5.0.0 Authentication cancelled " + c.srv.suffix())
		}
		if resp, err = base64.StdEncoding.DecodeString(line); err != nil {
			return c.reply("501 5.5.2 Cannot Decode response " + c.srv.suffix())
		}
	}
}

type authRefusal struct{ reply string }

func (e *authRefusal) Error() string { return e.reply }

// authorize decides XOAUTH2 as Exchange does for app-only tokens: valid token, SMTP AUTH allowed,
// a service principal registered with the Enterprise application's object ID, and then either
// model: SMTP.SendAsApp in the token and FullAccess on the mailbox named in user=, or no role and
// a role assignment 'Application SMTP.SendAsApp' over a scope that holds that mailbox.
func (c *smtpConn) authorize(user, token string) error {
	claims, ok := c.srv.verifyToken(token)
	deny := &authRefusal{fmt.Sprintf(reply535, c.srv.suffix())}
	if !ok {
		return deny
	}
	tid, _ := claims["tid"].(string)
	oid, _ := claims["oid"].(string)
	roles, _ := claims["roles"].([]any)
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	tenant := s.tenantByName(tid)
	mbx := s.mailbox(user)
	app := s.appByObjectID(oid)
	if tenant == nil || mbx == nil || !strings.EqualFold(mbx.TenantID, tenant.ID) {
		return deny
	}
	switch {
	case mbx.SMTPAuth == "disabled":
		return &authRefusal{fmt.Sprintf(replyMailboxOff, s.suffix())}
	case tenant.SMTPAuthDisabled && mbx.SMTPAuth != "enabled":
		return &authRefusal{fmt.Sprintf(replyTenantOff, s.suffix())}
	}
	// Both models need the service principal registered with the Enterprise application's object ID.
	if app == nil || app.ExchangeServicePrincipal != oid {
		return deny
	}
	// With SMTP.SendAsApp in the token Exchange checks mailbox permissions; without, only a role
	// assignment over a scope that holds the mailbox authorises the app (Exchange RBAC for Applications).
	hasRole := slices.ContainsFunc(roles, func(r any) bool { return r == mailer.SMTPRole })
	if hasRole && !slices.Contains(mbx.FullAccess, oid) || !hasRole && !s.rbacAllows(tenant.ID, app.ClientID, mbx) {
		return deny
	}
	c.authUser, c.authOID = mbx.Address, oid
	c.overLimit = s.sessionStartedLocked(mbx.Address)
	return nil
}

func (c *smtpConn) data() error {
	if err := c.reply("354 Start mail input; end with <CRLF>.<CRLF>"); err != nil {
		return err
	}
	var b strings.Builder
	for {
		line, err := c.readLine()
		if err != nil {
			return err
		}
		if line == "." {
			break
		}
		b.WriteString(strings.TrimPrefix(line, ".") + "\r\n")
	}
	host := "DBBPR03MB5414.eurprd03.prod.outlook.com"
	if r, ok := c.faults.Replies["MESSAGE"]; ok {
		return c.reply(r)
	}
	if c.faults.ThreadLimit || c.overLimit {
		c.srv.mu.Lock()
		c.srv.threadLimited++
		c.srv.mu.Unlock()
		return c.reply(fmt.Sprintf(replyThreadLimit, host))
	}
	msg, err := mail.ReadMessage(strings.NewReader(b.String()))
	var from string
	if err == nil {
		if a, err := mail.ParseAddress(msg.Header.Get("From")); err == nil {
			from = a.Address
		}
	}
	if from == "" {
		from = c.from
	}
	if !strings.EqualFold(from, c.authUser) && !c.maySendAs(from) {
		return c.reply(fmt.Sprintf("554 5.2.252 SendAsDenied; %s not allowed to send as %s; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. 0.35250:0A000000, 1.36674:0A000000, 1.61250:00000000 [Hostname=%s]", c.authUser, from, host))
	}
	var id [12]byte
	rand.Read(id[:])
	c.srv.mu.Lock()
	c.srv.messages = append(c.srv.messages, Message{From: c.from, To: c.rcpts, Data: b.String()})
	c.srv.mu.Unlock()
	c.from, c.rcpts = "", nil
	return c.reply(fmt.Sprintf("250 2.0.0 OK <%X@%s> [Hostname=%s]", id[:], host, host))
}

func (c *smtpConn) maySendAs(from string) bool {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	m := c.srv.mailbox(from)
	return m != nil && slices.Contains(m.SendAs, c.authOID)
}
