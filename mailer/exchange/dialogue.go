package exchange

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"slices"
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

// quitWait bounds the wait for the answer to a QUIT sent after a failure: the verdict is known,
// the person is waiting, and a server that did not answer before will rarely answer now.
const quitWait = 2 * time.Second

func (r *checkRun) dialogue(ctx context.Context) error {
	host, _, err := net.SplitHostPort(r.ep.SMTPAddr)
	if err != nil {
		return mailer.NewFieldError("smtp_host", mailer.FieldVerbatim, err.Error())
	}
	s := &session{checkRun: r, ctx: ctx, host: host}
	if err := r.timed(mailer.StageConnect, s.connect); err != nil {
		return err
	}
	defer s.conn.Close()
	// Closing the connection is what unblocks a read when the caller cancels.
	stop := context.AfterFunc(ctx, func() { s.conn.Close() })
	defer stop()
	if err := s.converse(); err != nil {
		s.quitAfter(err)
		return err
	}
	return nil
}

// converse runs the dialogue from the banner to QUIT. Each step is timed under the stage named
// after what it measures, and the first failure ends it.
func (s *session) converse() error {
	steps := []struct {
		stage mailer.Stage
		run   func() error
	}{
		{mailer.StageBanner, func() error { _, err := s.expect(mailer.StageBanner, 220); return err }},
		{mailer.StageEHLO, func() error { return s.ehlo(mailer.StageEHLO) }},
		{mailer.StageSTARTTLS, s.startTLS},
		{mailer.StageTLS, s.handshake},
		{mailer.StageEHLOTLS, func() error { return s.ehlo(mailer.StageEHLOTLS) }},
		{mailer.StageAuth, s.auth},
	}
	for _, st := range steps {
		if err := s.timed(st.stage, st.run); err != nil {
			return err
		}
	}
	if s.req.To != "" {
		if err := s.sendMessage(); err != nil {
			return err
		}
		s.res.Sent = true
	}
	return s.timed(mailer.StageQuit, s.quit)
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

// ehlo greets the server and records the extensions it offers; stage tells the first EHLO from
// the one over TLS, whose answer is the only one AUTH may trust.
func (s *session) ehlo(stage mailer.Stage) error {
	if err := s.send(stage, "EHLO "+s.ehloName(), ""); err != nil {
		return err
	}
	reply, err := s.expect(stage, 250)
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

func (s *session) offers(keyword string) bool {
	_, ok := s.ext[keyword]
	return ok
}

// startTLS is the STARTTLS command and its 220; the handshake is the next stage.
func (s *session) startTLS() error {
	if !s.offers("STARTTLS") {
		s.tr.infof(mailer.StageSTARTTLS, "the server does not offer STARTTLS: stopping before anything secret is sent")
		return &mailer.NetError{Stage: mailer.StageSTARTTLS, Kind: "no_starttls", Addr: s.ep.SMTPAddr, Err: errors.New("STARTTLS not offered")}
	}
	if err := s.send(mailer.StageSTARTTLS, "STARTTLS", ""); err != nil {
		return err
	}
	_, err := s.expect(mailer.StageSTARTTLS, 220)
	return err
}

// handshake is the TLS handshake after the server's 220 to STARTTLS.
func (s *session) handshake() error {
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
	// A new reader: anything the server sent in clear after its 220 is dropped, never read as
	// if it had come over TLS.
	s.conn, s.rd, s.tls = tconn, bufio.NewReader(tconn), true
	st := tconn.ConnectionState()
	s.tr.infof(mailer.StageTLS, "TLS established: %s, %s", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
	if len(st.PeerCertificates) > 0 {
		c := st.PeerCertificates[0]
		s.tr.infof(mailer.StageTLS, "server certificate: subject %q, issuer %q, names %s, valid until %s (verified for %s)",
			c.Subject.String(), c.Issuer.String(), strings.Join(append(c.DNSNames, ipStrings(c.IPAddresses)...), ", "),
			c.NotAfter.UTC().Format("2006-01-02"), s.host)
	}
	return nil
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
	if !slices.Contains(mechs, XOAUTH2) {
		s.tr.infof(mailer.StageAuth, "the server offers AUTH %q, not XOAUTH2", s.ext["AUTH"])
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
	if _, err := s.expect(mailer.StageAuth, 334); err != nil {
		return err
	}
	summary := fmt.Sprintf("<redacted: user=%s, %s>", s.req.Mailbox, TokenSummary(s.token))
	if err := s.send(mailer.StageAuth, base64.StdEncoding.EncodeToString(ir), summary); err != nil {
		return err
	}
	reply, err := s.expect(mailer.StageAuth, 235, 334)
	for err == nil && reply.Code == 334 {
		// An error challenge: the client's answer (empty for XOAUTH2) brings the final reply.
		resp, nerr := client.Next(decodeChallenge(reply))
		if nerr != nil {
			// The client has no answer (XOAUTH2's second challenge). Cancelling (RFC 4954 §4)
			// ends the exchange instead of answering challenges for ever; the challenge is what
			// the check reports.
			s.tr.infof(mailer.StageAuth, "a second challenge after the empty response: cancelling the authentication")
			if err := s.send(mailer.StageAuth, "*", ""); err != nil {
				return err
			}
			if _, err := s.readReply(mailer.StageAuth); err != nil {
				return err
			}
			return s.refused(mailer.StageAuth, reply)
		}
		shown := "(empty response to the error challenge)"
		if len(resp) > 0 {
			shown = "<redacted: response to the challenge>"
		}
		if err := s.send(mailer.StageAuth, base64.StdEncoding.EncodeToString(resp), shown); err != nil {
			return err
		}
		reply, err = s.expect(mailer.StageAuth, 235, 334)
	}
	return err
}

func (s *session) sendMessage() error {
	msg, eightBit := s.compose(s.offers("8BITMIME"))
	mail := "MAIL FROM:<" + s.req.Sender() + ">"
	if eightBit && s.offers("8BITMIME") {
		// RFC 6152: 8-bit data only when announced, and only to a server that offers it.
		mail += " BODY=8BITMIME"
	}
	if !isASCII(s.req.Sender()) || !isASCII(s.req.To) {
		if s.offers("SMTPUTF8") {
			mail += " SMTPUTF8" // RFC 6531: an address outside ASCII needs the server's consent
		} else {
			s.tr.infof(mailer.StageMail, "an address is not plain ASCII and the server does not offer SMTPUTF8: it will probably refuse it")
		}
	}
	steps := []struct {
		stage mailer.Stage
		line  string
		want  int
	}{
		{mailer.StageMail, mail, 250},
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
			return err
		}
	}
	return s.timed(mailer.StageData, func() error {
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

// quitAfter ends the session politely after a failure: QUIT, and a short wait for any answer,
// which changes nothing. Its lines keep the stage that failed, so the console's progress stays
// on that step; its time counts under quit. It sends nothing where QUIT could not arrive or be
// understood.
func (s *session) quitAfter(err error) {
	stage := s.res.Stage
	var ne *mailer.NetError
	switch {
	case s.ctx.Err() != nil:
		return // cancelled or past the deadline: the connection is already closed
	case stage == mailer.StageQuit:
		return // QUIT itself failed
	case stage == mailer.StageTLS:
		return // after a failed handshake the channel is neither plain text nor TLS
	case errors.As(err, &ne) && ne.Kind == "closed":
		return // the connection is gone
	}
	start := s.now()
	defer func() { s.res.Timings[mailer.StageQuit] += s.now().Sub(start).Milliseconds() }()
	wait := min(quitWait, s.replyTimeout())
	if err := s.write(stage, "QUIT", "", s.until(wait)); err != nil {
		s.tr.infof(stage, "QUIT could not be sent: %v", stripOpError(err))
		return
	}
	if _, err := s.readReplyBy(stage, s.until(wait)); err != nil {
		switch networkKind(err) {
		case "timeout":
			s.tr.infof(stage, "no answer to QUIT within %s: closing the connection", wait)
		case "closed":
			s.tr.infof(stage, "no answer to QUIT: the server closed the connection")
		default:
			s.tr.infof(stage, "no answer to QUIT: %v", stripOpError(err))
		}
	}
}

// send writes one command line within the reply timeout. shown, if not empty, replaces the line
// in the transcript.
func (s *session) send(stage mailer.Stage, line, shown string) error {
	if err := s.write(stage, line, shown, s.until(s.replyTimeout())); err != nil {
		return s.netErr(stage, err)
	}
	return nil
}

func (s *session) write(stage mailer.Stage, line, shown string, deadline time.Time) error {
	if shown == "" {
		shown = line
	}
	s.tr.add(mailer.Client, stage, shown)
	s.conn.SetWriteDeadline(deadline)
	_, err := s.conn.Write([]byte(line + "\r\n"))
	return err
}

// until is the deadline d from now, or the check's own deadline if that comes first.
func (s *session) until(d time.Duration) time.Time {
	t := time.Now().Add(d)
	if dl, ok := s.ctx.Deadline(); ok && dl.Before(t) {
		return dl
	}
	return t
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
