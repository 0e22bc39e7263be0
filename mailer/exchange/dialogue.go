package exchange

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// session is the SMTP conversation of one check. Every line in either direction goes through
// send or readReply, which put it in the transcript.
type session struct {
	*checkRun
	ctx  context.Context
	conn net.Conn
	rd   *bufio.Reader
	host string
	ext  map[string]string // EHLO keywords, upper-case, to their parameters
	tls  bool
}

func (r *checkRun) dialogue(ctx context.Context) error {
	host, _, err := net.SplitHostPort(r.ep.SMTPAddr)
	if err != nil {
		return &mailer.FieldError{Field: "smtp_host", Message: err.Error(), MessageDE: err.Error()}
	}
	s := &session{checkRun: r, ctx: ctx, host: host}
	if err := r.timed(mailer.StageConnect, s.connect); err != nil {
		return err
	}
	defer s.conn.Close()
	// Closing the connection is what unblocks a read when the caller cancels.
	stop := context.AfterFunc(ctx, func() { s.conn.Close() })
	defer stop()

	if err := r.timed(mailer.StageBanner, func() error { _, err := s.expect(mailer.StageBanner, 220); return err }); err != nil {
		return err
	}
	if err := r.timed(mailer.StageEHLO, s.ehlo); err != nil {
		return err
	}
	if err := r.timed(mailer.StageSTARTTLS, s.startTLS); err != nil {
		return err
	}
	if err := r.timed(mailer.StageAuth, s.auth); err != nil {
		return err
	}
	if r.req.To != "" {
		if err := s.sendMessage(); err != nil {
			return err
		}
		r.res.Sent = true
	}
	return r.timed(mailer.StageQuit, s.quit)
}

func (s *session) connect() error {
	addr := s.ep.SMTPAddr
	s.tr.infof(mailer.StageConnect, "connecting to %s (connect timeout %s)", addr, s.connectTimeout())
	dctx, cancel := context.WithTimeout(s.ctx, s.connectTimeout())
	defer cancel()
	conn, err := s.dialContext(dctx, "tcp", addr)
	if err != nil {
		kind := networkKind(err)
		var refused *mailer.TargetRefusedError
		if errors.As(err, &refused) {
			kind = "refused_by_policy"
		}
		if errors.Is(err, context.DeadlineExceeded) {
			kind = "timeout"
		}
		s.tr.infof(mailer.StageConnect, "connection failed: %v", stripOpError(err))
		return &mailer.NetError{Stage: mailer.StageConnect, Kind: kind, Addr: addr, Err: stripOpError(err)}
	}
	s.conn = conn
	s.rd = bufio.NewReader(conn)
	s.tr.infof(mailer.StageConnect, "connected to %s from %s", conn.RemoteAddr(), conn.LocalAddr())
	return nil
}

// stripOpError drops net.OpError's repetition of addresses the transcript already shows.
func stripOpError(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

func (s *session) ehloName() string {
	if s.EHLOName != "" {
		return s.EHLOName
	}
	// Exchange refuses an invalid EHLO name (501 5.5.4); an address literal is always valid.
	if ta, ok := s.conn.LocalAddr().(*net.TCPAddr); ok {
		if ip4 := ta.IP.To4(); ip4 != nil {
			return "[" + ip4.String() + "]"
		}
		return "[IPv6:" + ta.IP.String() + "]"
	}
	return "localhost.localdomain"
}

func (s *session) ehlo() error {
	if err := s.send(mailer.StageEHLO, "EHLO "+s.ehloName(), ""); err != nil {
		return err
	}
	reply, err := s.expect(mailer.StageEHLO, 250)
	if err != nil {
		return err
	}
	s.ext = map[string]string{}
	for _, line := range reply.Lines[1:] {
		k, v, _ := strings.Cut(line, " ")
		s.ext[strings.ToUpper(k)] = v
	}
	return nil
}

func (s *session) startTLS() error {
	if _, ok := s.ext["STARTTLS"]; !ok {
		s.tr.infof(mailer.StageSTARTTLS, "the server does not offer STARTTLS: stopping before anything secret is sent")
		s.quietQuit()
		return &mailer.NetError{Stage: mailer.StageSTARTTLS, Kind: "no_starttls", Addr: s.ep.SMTPAddr, Err: errors.New("STARTTLS not offered")}
	}
	if err := s.send(mailer.StageSTARTTLS, "STARTTLS", ""); err != nil {
		return err
	}
	if _, err := s.expect(mailer.StageSTARTTLS, 220); err != nil {
		return err
	}
	s.res.Stage = mailer.StageTLS
	tconn := tls.Client(s.conn, s.tlsConfig(s.host))
	hctx, cancel := context.WithTimeout(s.ctx, s.replyTimeout())
	defer cancel()
	if err := tconn.HandshakeContext(hctx); err != nil {
		kind := networkKind(err)
		if kind != "tls_verify" && kind != "tls_version" && kind != "timeout" {
			kind = "tls_handshake"
		}
		s.tr.infof(mailer.StageTLS, "TLS handshake failed: %v", err)
		return &mailer.NetError{Stage: mailer.StageTLS, Kind: kind, Addr: s.ep.SMTPAddr, Err: err}
	}
	s.conn, s.rd, s.tls = tconn, bufio.NewReader(tconn), true
	st := tconn.ConnectionState()
	s.tr.infof(mailer.StageTLS, "TLS established: %s, %s", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
	if len(st.PeerCertificates) > 0 {
		c := st.PeerCertificates[0]
		s.tr.infof(mailer.StageTLS, "server certificate: subject %q, issuer %q, names %s, valid until %s (verified for %s)",
			c.Subject.String(), c.Issuer.String(), strings.Join(append(c.DNSNames, ipStrings(c.IPAddresses)...), ", "),
			c.NotAfter.UTC().Format("2006-01-02"), s.host)
	}
	return s.timed(mailer.StageTLS, s.ehlo)
}

func ipStrings(ips []net.IP) []string {
	out := make([]string, len(ips))
	for i, ip := range ips {
		out[i] = ip.String()
	}
	return out
}

func (s *session) auth() error {
	// The token goes only over a verified TLS connection: this is the one guard every path passes.
	if !s.tls {
		return errors.New("refusing to send the token before TLS is established")
	}
	mechs := strings.Fields(strings.ToUpper(s.ext["AUTH"]))
	if !containsString(mechs, XOAUTH2) {
		s.tr.infof(mailer.StageAuth, "the server offers AUTH %q, not XOAUTH2", s.ext["AUTH"])
		s.quietQuit()
		return &mailer.NetError{Stage: mailer.StageAuth, Kind: "no_xoauth2", Addr: s.ep.SMTPAddr, Err: errors.New("AUTH XOAUTH2 not offered")}
	}
	// go-sasl drives the exchange: Start gives the mechanism and the initial response, Next
	// answers each 334 challenge that follows it.
	client := NewXOAUTH2Client(s.req.Mailbox, s.token)
	mech, ir, err := client.Start()
	if err != nil {
		return err
	}
	// AUTH first, the response after 334: the initial-response form can exceed line limits
	// (Microsoft Learn, "Authenticate an IMAP, POP or SMTP connection using OAuth").
	if err := s.send(mailer.StageAuth, "AUTH "+mech, ""); err != nil {
		return err
	}
	reply, err := s.readReply(mailer.StageAuth)
	if err != nil {
		return err
	}
	if reply.Code != 334 {
		return &mailer.ReplyError{Stage: mailer.StageAuth, Reply: reply}
	}
	summary := fmt.Sprintf("<redacted: user=%s, %s>", s.req.Mailbox, TokenSummary(s.token))
	if err := s.send(mailer.StageAuth, base64.StdEncoding.EncodeToString(ir), summary); err != nil {
		return err
	}
	reply, err = s.readReply(mailer.StageAuth)
	if err != nil {
		return err
	}
	for reply.Code == 334 {
		// An error challenge: the client's answer (empty for XOAUTH2) brings the final reply. A
		// client that has no answer ends the exchange with the challenge as the failure.
		resp, err := client.Next(decodeChallenge(reply))
		if err != nil {
			break
		}
		shown := "(empty response to the error challenge)"
		if len(resp) > 0 {
			shown = "<redacted: response to the challenge>"
		}
		if err := s.send(mailer.StageAuth, base64.StdEncoding.EncodeToString(resp), shown); err != nil {
			return err
		}
		if reply, err = s.readReply(mailer.StageAuth); err != nil {
			return err
		}
	}
	if reply.Code != 235 {
		s.quietQuit()
		return &mailer.ReplyError{Stage: mailer.StageAuth, Reply: reply}
	}
	return nil
}

// decodeChallenge is a 334 reply's base64 payload; text that is not base64 is handed on as it is.
func decodeChallenge(reply mailer.Reply) []byte {
	text := strings.TrimSpace(reply.Text())
	if b, err := base64.StdEncoding.DecodeString(text); err == nil {
		return b
	}
	return []byte(text)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (s *session) sendMessage() error {
	steps := []struct {
		stage mailer.Stage
		line  string
		want  int
	}{
		{mailer.StageMail, "MAIL FROM:<" + s.req.Sender() + ">", 250},
		{mailer.StageRcpt, "RCPT TO:<" + s.req.To + ">", 250},
		{mailer.StageData, "DATA", 354},
	}
	for _, st := range steps {
		err := s.timed(st.stage, func() error {
			if err := s.send(st.stage, st.line, ""); err != nil {
				return err
			}
			_, err := s.expect(st.stage, st.want)
			return err
		})
		if err != nil {
			s.quietQuit()
			return err
		}
	}
	return s.timed(mailer.StageData, func() error {
		msg := testMessage(s.req, s.now(), s.host)
		for _, line := range strings.Split(msg, "\r\n") {
			// Dot-stuffing (RFC 5321 §4.5.2) keeps a body line "." from ending the message.
			if strings.HasPrefix(line, ".") {
				line = "." + line
			}
			if err := s.send(mailer.StageData, line, ""); err != nil {
				return err
			}
		}
		if err := s.send(mailer.StageData, ".", ""); err != nil {
			return err
		}
		_, err := s.expect(mailer.StageData, 250)
		if err != nil {
			s.quietQuit()
		}
		return err
	})
}

func (s *session) quit() error {
	if err := s.send(mailer.StageQuit, "QUIT", ""); err != nil {
		return err
	}
	_, err := s.expect(mailer.StageQuit, 221)
	return err
}

// quietQuit ends the session politely after a failure, ignoring what the server says.
func (s *session) quietQuit() {
	if s.send(mailer.StageQuit, "QUIT", "") == nil {
		s.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		s.readReply(mailer.StageQuit)
	}
}

// send writes one command line. shown, if not empty, replaces the line in the transcript.
func (s *session) send(stage mailer.Stage, line, shown string) error {
	if shown == "" {
		shown = line
	}
	s.tr.add(mailer.Client, stage, shown)
	s.conn.SetWriteDeadline(s.lineDeadline())
	if _, err := s.conn.Write([]byte(line + "\r\n")); err != nil {
		return s.netErr(stage, err)
	}
	return nil
}

func (s *session) lineDeadline() time.Time {
	d := time.Now().Add(s.replyTimeout())
	if dl, ok := s.ctx.Deadline(); ok && dl.Before(d) {
		return dl
	}
	return d
}

// readReply reads one possibly multi-line reply, putting each line in the transcript as it arrives.
func (s *session) readReply(stage mailer.Stage) (mailer.Reply, error) {
	s.conn.SetReadDeadline(s.lineDeadline())
	reply, err := readReply(s.rd, func(line string) { s.tr.add(mailer.Server, stage, line) })
	var bad *malformedError
	if errors.As(err, &bad) {
		return reply, &mailer.NetError{Stage: stage, Kind: "protocol", Addr: s.ep.SMTPAddr, Err: bad.err}
	}
	if err != nil {
		return reply, s.netErr(stage, err)
	}
	return reply, nil
}

// expect reads a reply and turns any code but want into a ReplyError.
func (s *session) expect(stage mailer.Stage, want int) (mailer.Reply, error) {
	reply, err := s.readReply(stage)
	if err != nil {
		return reply, err
	}
	if reply.Code != want {
		r := reply
		s.res.Reply = &r
		return reply, &mailer.ReplyError{Stage: stage, Reply: reply}
	}
	return reply, nil
}

func (s *session) netErr(stage mailer.Stage, err error) error {
	kind := networkKind(err)
	if s.ctx.Err() != nil {
		kind = "timeout"
		err = fmt.Errorf("the check's overall deadline passed: %w", s.ctx.Err())
	}
	msg := map[string]string{"timeout": "no answer within the reply timeout", "closed": "the server closed the connection"}[kind]
	if msg == "" {
		msg = err.Error()
	}
	s.tr.infof(stage, "%s", msg)
	return &mailer.NetError{Stage: stage, Kind: kind, Addr: s.ep.SMTPAddr, Err: err}
}
