package exchange_test

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Replies of a well-behaved Exchange, turn by turn.
var (
	greet   = turn{reply: "220 mx.test Microsoft ESMTP MAIL Service ready"}
	ehloPre = turn{reply: "250-mx.test Hello [127.0.0.1]\n250-SIZE 157286400\n250-STARTTLS\n250-8BITMIME\n250 SMTPUTF8"}
	goAhead = turn{reply: "220 2.0.0 SMTP server ready"}
	ehloTLS = turn{reply: "250-mx.test Hello [127.0.0.1]\n250-AUTH LOGIN XOAUTH2\n250-8BITMIME\n250 SMTPUTF8"}
	ehlo7   = turn{reply: "250-mx.test Hello [127.0.0.1]\n250 AUTH LOGIN XOAUTH2"} // no 8BITMIME, no SMTPUTF8
	authGo  = turn{reply: "334 "}
	authOK  = turn{reply: "235 2.7.0 Authentication successful"}
	mailOK  = turn{reply: "250 2.1.0 Sender OK"}
	rcptOK  = turn{reply: "250 2.1.5 Recipient OK"}
	dataGo  = turn{reply: "354 Start mail input; end with <CRLF>.<CRLF>"}
	queued  = turn{reply: "250 2.6.0 Queued mail for delivery"}
	bye     = turn{reply: "221 2.0.0 Service closing transmission channel"}
)

const ehloLine = "EHLO [127.0.0.1]"

// What the client sends up to and including the token, when all goes well.
var uptoToken = []string{ehloLine, "STARTTLS", ehloLine, "AUTH XOAUTH2", scriptXOAUTH2}

func lines(parts ...any) []string {
	var out []string
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			out = append(out, v)
		case []string:
			out = append(out, v...)
		}
	}
	return out
}

func turns(parts ...any) []turn {
	var out []turn
	for _, p := range parts {
		switch v := p.(type) {
		case turn:
			out = append(out, v)
		case []turn:
			out = append(out, v...)
		}
	}
	return out
}

var toAuth = []turn{greet, ehloPre, goAhead, ehloTLS, authGo}

// Every edge of the dialogue against a scripted server: where the check stops, the diagnosis,
// the reply the result records, and exactly what the client sent — QUIT after every failure
// where it can still arrive, and the token never before TLS.
func TestDialogue_ScriptedEdges(t *testing.T) {
	const challenge = "334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIn0="
	cases := []struct {
		name      string
		to        string
		turns     []turn
		timeout   time.Duration
		wantStage mailer.Stage
		wantCode  string // diagnosis code; empty: not checked
		wantReply string // the reply recorded in the result; empty: none
		wantSent  []string
		wantNote  string // in the transcript or the diagnosis' quote
	}{
		{name: "MixedCodesInOneReplyAreRefused", turns: turns(greet, turn{reply: "250-mx.test Hello\n550 5.7.1 STARTTLS"}, bye),
			wantStage: mailer.StageEHLO, wantCode: mailer.CodeSMTPProtocol, wantSent: lines(ehloLine, "QUIT"),
			wantNote: "line 2 of a multi-line reply has code 550, the first line 250"},
		{name: "MixedCodesAfterTLSAreRefused", turns: turns(greet, ehloPre, goAhead, turn{reply: "250-mx.test Hello\n250-8BITMIME\n535 AUTH XOAUTH2"}, bye),
			wantStage: mailer.StageEHLOTLS, wantCode: mailer.CodeSMTPProtocol, wantSent: lines(ehloLine, "STARTTLS", ehloLine, "QUIT"),
			wantNote: "line 3 of a multi-line reply has code 535"},
		{name: "ReplyCutOffByClosedConnection", turns: turns(greet, turn{reply: "250-mx.test Hello\n250-STARTTLS", close: true}),
			wantStage: mailer.StageEHLO, wantCode: mailer.CodeSMTPClosed, wantSent: lines(ehloLine),
			wantNote: "in the middle of a multi-line reply"},
		{name: "ReplyWithoutFinalLineTimesOut", timeout: 2 * time.Second, turns: turns(greet, turn{reply: "250-mx.test Hello\n250-STARTTLS", stall: true}),
			wantStage: mailer.StageEHLO, wantCode: mailer.CodeSMTPTimeout, wantSent: lines(ehloLine, "QUIT"),
			wantNote: "no answer to QUIT within 2s"},
		{name: "OverLongLineIsRefused", turns: turns(turn{reply: "220 " + strings.Repeat("x", 9000)}, bye),
			wantStage: mailer.StageBanner, wantCode: mailer.CodeSMTPProtocol, wantSent: lines("QUIT"),
			wantNote: "reply line longer than 8,192 bytes"},
		{name: "ServiceNotAvailableAtGreeting", turns: turns(turn{reply: "421 4.3.2 Service not available, closing transmission channel"}, bye),
			wantStage: mailer.StageBanner, wantReply: "421 4.3.2 Service not available, closing transmission channel", wantSent: lines("QUIT")},
		{name: "GreetingThenClosed", turns: turns(turn{reply: "421 4.3.2 Service not available", close: true}),
			wantStage: mailer.StageBanner, wantReply: "421 4.3.2 Service not available", wantSent: nil,
			wantNote: "the server closed the connection"},
		{name: "AuthRefusedIsRecordedThenQUIT", turns: turns(toAuth, turn{reply: "535 5.7.3 Authentication unsuccessful [SN4PR0501CA0056.namprd05.prod.outlook.com]"}, bye),
			wantStage: mailer.StageAuth, wantCode: mailer.CodeAuthUnsuccessful, wantReply: "535 5.7.3 Authentication unsuccessful [SN4PR0501CA0056.namprd05.prod.outlook.com]",
			wantSent: lines(uptoToken, "QUIT")},
		{name: "AuthCommandRefused", turns: turns(greet, ehloPre, goAhead, ehloTLS, turn{reply: "504 5.7.4 Unrecognized authentication type"}, bye),
			wantStage: mailer.StageAuth, wantReply: "504 5.7.4 Unrecognized authentication type", wantSent: lines(ehloLine, "STARTTLS", ehloLine, "AUTH XOAUTH2", "QUIT")},
		{name: "ErrorChallengeAnsweredEmptyThen535", turns: turns(toAuth, turn{reply: challenge}, turn{reply: "535 5.7.3 Authentication unsuccessful"}, bye),
			wantStage: mailer.StageAuth, wantCode: mailer.CodeAuthUnsuccessful, wantReply: "535 5.7.3 Authentication unsuccessful",
			wantSent: lines(uptoToken, "", "QUIT")},
		{name: "SecondChallengeIsCancelled", turns: turns(toAuth, turn{reply: challenge}, turn{reply: "334 and again"}, turn{reply: "501 5.0.0 Authentication cancelled"}, bye),
			wantStage: mailer.StageAuth, wantCode: mailer.CodeUnknownReply, wantReply: "334 and again",
			wantSent: lines(uptoToken, "", "*", "QUIT")},
		{name: "NoSTARTTLSNeverSendsToken", turns: turns(greet, turn{reply: "250-mx.test Hello\n250-AUTH LOGIN XOAUTH2\n250 8BITMIME"}, bye),
			wantStage: mailer.StageSTARTTLS, wantCode: mailer.CodeSTARTTLSMissing, wantSent: lines(ehloLine, "QUIT")},
		{name: "STARTTLSRefused454", turns: turns(greet, ehloPre, turn{reply: "454 4.7.0 TLS not available due to temporary reason"}, bye),
			wantStage: mailer.StageSTARTTLS, wantReply: "454 4.7.0 TLS not available due to temporary reason", wantSent: lines(ehloLine, "STARTTLS", "QUIT")},
		{name: "DataAcceptedThenMessageRefused", to: "it@contoso.com",
			turns:     turns(toAuth, authOK, mailOK, rcptOK, dataGo, turn{reply: "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message"}, bye),
			wantStage: mailer.StageData, wantCode: mailer.CodeSendAsDenied, wantReply: "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message",
			wantSent: lines(uptoToken, "MAIL FROM:<billing@contoso.com>", "RCPT TO:<it@contoso.com>", "DATA", "<message>", "QUIT")},
		{name: "RecipientRefused", to: "nobody@contoso.com",
			turns:     turns(toAuth, authOK, mailOK, turn{reply: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient nobody@contoso.com not found by SMTP address lookup"}, bye),
			wantStage: mailer.StageRcpt, wantCode: mailer.CodeRecipientNotFound, wantReply: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient nobody@contoso.com not found by SMTP address lookup",
			wantSent: lines(uptoToken, "MAIL FROM:<billing@contoso.com>", "RCPT TO:<nobody@contoso.com>", "QUIT")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			timeout := tc.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			res, script := runScripted(t, mailer.Request{To: tc.to}, timeout, tc.turns...)
			sent := script.sent(t)
			transcript := mailer.RenderText(res.Events)
			if res.OK {
				t.Fatalf("the check passed\n%s", transcript)
			}
			if res.Stage != tc.wantStage {
				t.Errorf("stopped at %s, want %s (%v)", res.Stage, tc.wantStage, res.Err)
			}
			if tc.wantCode != "" && res.Diagnosis.Code != tc.wantCode {
				t.Errorf("diagnosis %s, want %s (%v)", res.Diagnosis.Code, tc.wantCode, res.Err)
			}
			switch {
			case tc.wantReply == "" && res.Reply != nil:
				t.Errorf("the result records reply %q, want none", res.Reply)
			case tc.wantReply != "" && (res.Reply == nil || res.Reply.String() != tc.wantReply):
				t.Errorf("the result records reply %v, want %q", res.Reply, tc.wantReply)
			}
			if !slices.Equal(sent, tc.wantSent) {
				t.Errorf("the client sent\n%q\nwant\n%q\n%s", sent, tc.wantSent, transcript)
			}
			if tc.wantNote != "" && !strings.Contains(transcript, tc.wantNote) && !strings.Contains(res.Diagnosis.Quote, tc.wantNote) {
				t.Errorf("neither the transcript nor the quote %q says %q\n%s", res.Diagnosis.Quote, tc.wantNote, transcript)
			}
			assertTokenOnlyAfterTLS(t, sent)
		})
	}
}

// assertTokenOnlyAfterTLS: the token line comes, if at all, after STARTTLS and never in the transcript.
func assertTokenOnlyAfterTLS(t *testing.T, sent []string) {
	t.Helper()
	i := slices.Index(sent, scriptXOAUTH2)
	if i >= 0 && !slices.Contains(sent[:i], "STARTTLS") {
		t.Errorf("the token was sent before STARTTLS: %q", sent)
	}
}

// A server that stops answering at any reply is a timeout at the step that reply answers; the
// client then says QUIT once (unless QUIT was the step) and gives up.
func TestDialogue_TimeoutAtEachReply(t *testing.T) {
	script := turns(greet, ehloPre, goAhead, ehloTLS, authGo, authOK, mailOK, rcptOK, dataGo, queued, bye)
	stages := []mailer.Stage{mailer.StageBanner, mailer.StageEHLO, mailer.StageSTARTTLS, mailer.StageEHLOTLS, mailer.StageAuth,
		mailer.StageAuth, mailer.StageMail, mailer.StageRcpt, mailer.StageData, mailer.StageData, mailer.StageQuit}
	// The cases wait for timeouts, not the CPU: they run side by side, then are checked one by one.
	type outcome struct {
		res  *mailer.Result
		sent []string
	}
	runs := make([]func() (*mailer.Result, *scripted), len(stages))
	for i := range stages {
		stalled := slices.Clone(script[:i+1])
		stalled[i] = turn{stall: true}
		runs[i] = prepareScript(t, mailer.Request{To: "it@contoso.com"}, 2*time.Second, stalled...)
	}
	outcomes := make([]outcome, len(stages))
	var wg sync.WaitGroup
	for i, run := range runs {
		wg.Go(func() {
			res, s := run()
			<-s.done
			outcomes[i] = outcome{res, s.lines}
		})
	}
	wg.Wait()
	for i, stage := range stages {
		t.Run(string(stage)+"-"+strings.Fields(script[i].reply)[0], func(t *testing.T) {
			res, sent := outcomes[i].res, outcomes[i].sent
			if res.OK || res.Stage != stage || res.Diagnosis.Code != mailer.CodeSMTPTimeout {
				t.Fatalf("got %s at %s, want %s at %s (%v)", res.Diagnosis.Code, res.Stage, mailer.CodeSMTPTimeout, stage, res.Err)
			}
			if n := strings.Count(strings.Join(sent, "\n"), "QUIT"); len(sent) == 0 || sent[len(sent)-1] != "QUIT" || n != 1 {
				t.Errorf("the client's last words were %q, want exactly one QUIT at the end", sent)
			}
			assertTokenOnlyAfterTLS(t, sent)
		})
	}
}

// BODY=8BITMIME is announced exactly when the message holds 8-bit text and the server offers
// it; to a server without 8BITMIME the same text goes quoted-printable, 7-bit clean.
func TestDialogue_EightBitMessages(t *testing.T) {
	cases := []struct {
		name, profile, to string
		ehlo              turn
		wantMail          string
		wantIn            []string
		want7bit          bool
	}{
		{"ASCIIMessageAnnouncesNothing", "Contoso billing", "it@contoso.com", ehloTLS,
			"MAIL FROM:<billing@contoso.com>", []string{"Content-Transfer-Encoding: 8bit", "Profile:  Contoso billing"}, true},
		{"UmlautWith8BITMIME", "Buchhaltung Müller", "it@contoso.com", ehloTLS,
			"MAIL FROM:<billing@contoso.com> BODY=8BITMIME", []string{"Content-Transfer-Encoding: 8bit", "Profile:  Buchhaltung Müller", "Subject: =?utf-8?q?"}, false},
		{"UmlautWithout8BITMIMEGoesQuotedPrintable", "Buchhaltung Müller", "it@contoso.com", ehlo7,
			"MAIL FROM:<billing@contoso.com>", []string{"Content-Transfer-Encoding: quoted-printable", "Profile:  Buchhaltung M=C3=BCller", "Subject: =?utf-8?q?"}, true},
		{"NonASCIIRecipientAsksForSMTPUTF8", "Contoso billing", "jürgen@contoso.com", ehloTLS,
			"MAIL FROM:<billing@contoso.com> BODY=8BITMIME SMTPUTF8", []string{"To: <jürgen@contoso.com>"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, s := runScripted(t, mailer.Request{ProfileName: tc.profile, To: tc.to}, 10*time.Second,
				greet, ehloPre, goAhead, tc.ehlo, authGo, authOK, mailOK, rcptOK, dataGo, queued, bye)
			sent := s.sent(t)
			if !res.OK || !res.Sent {
				t.Fatalf("the check failed: %v\n%s", res.Err, mailer.RenderText(res.Events))
			}
			if i := slices.Index(sent, scriptXOAUTH2); i < 0 || len(sent) < i+2 || sent[i+1] != tc.wantMail {
				t.Errorf("the client sent %q, want %q after AUTH", sent, tc.wantMail)
			}
			s.mu.Lock()
			msg := s.message
			s.mu.Unlock()
			for _, w := range tc.wantIn {
				if !strings.Contains(msg, w) {
					t.Errorf("the message lacks %q:\n%s", w, msg)
				}
			}
			if got := isSevenBit(msg); got != tc.want7bit {
				t.Errorf("message 7-bit clean = %v, want %v:\n%s", got, tc.want7bit, msg)
			}
		})
	}
}

func isSevenBit(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x80 })
}

// Each timing measures what its name says: starttls is the command and its 220, the handshake
// and the EHLO over TLS are timed on their own, and the transcript's lines carry the same names.
func TestDialogue_StageTimingsNameWhatTheyMeasure(t *testing.T) {
	ms := time.Millisecond
	adv := func(tn turn, d time.Duration) turn { tn.advance = d; return tn }
	res, _ := runScripted(t, mailer.Request{To: "it@contoso.com"}, 10*time.Second,
		greet, adv(ehloPre, 2*ms), adv(goAhead, 4*ms), adv(ehloTLS, 8*ms), adv(authGo, 16*ms), adv(authOK, 32*ms),
		adv(mailOK, 64*ms), adv(rcptOK, 128*ms), adv(dataGo, 256*ms), adv(queued, 512*ms), adv(bye, 2048*ms))
	if !res.OK {
		t.Fatalf("the check failed: %v", res.Err)
	}
	// The script's handshake takes one second of test time. The greeting is not moved: it is
	// sent on accept, which may come before or after the client counts its connection as made.
	want := map[mailer.Stage]int64{mailer.StageConnect: 0, mailer.StageBanner: 0, mailer.StageEHLO: 2, mailer.StageSTARTTLS: 4,
		mailer.StageTLS: 1000, mailer.StageEHLOTLS: 8, mailer.StageAuth: 48, mailer.StageMail: 64, mailer.StageRcpt: 128,
		mailer.StageData: 768, mailer.StageQuit: 2048}
	if !maps.Equal(res.Timings, want) {
		t.Errorf("timings %v, want %v", res.Timings, want)
	}
	for _, e := range res.Events {
		switch {
		case strings.HasPrefix(e.Text, "TLS established") && e.Stage != mailer.StageTLS,
			strings.HasPrefix(e.Text, "250-mx.test") && e.Stage != mailer.StageEHLO && e.Stage != mailer.StageEHLOTLS:
			t.Errorf("%q is marked %s", e.Text, e.Stage)
		}
	}
	ehloStages := []mailer.Stage{}
	for _, e := range res.Events {
		if e.Text == ehloLine {
			ehloStages = append(ehloStages, e.Stage)
		}
	}
	if !slices.Equal(ehloStages, []mailer.Stage{mailer.StageEHLO, mailer.StageEHLOTLS}) {
		t.Errorf("the two EHLOs are marked %v, want ehlo then ehlo_tls", ehloStages)
	}
}

// After a failure the QUIT exchange keeps the failed step's stage, so the console's progress
// stays on that step, and its time counts under quit.
func TestDialogue_QuitAfterFailureKeepsTheFailedStage(t *testing.T) {
	res, _ := runScripted(t, mailer.Request{}, 10*time.Second, toAuth[0], toAuth[1], toAuth[2], toAuth[3], toAuth[4],
		turn{reply: "535 5.7.3 Authentication unsuccessful"}, bye)
	if res.OK || res.Stage != mailer.StageAuth {
		t.Fatalf("got ok=%v at %s, want a failure at auth", res.OK, res.Stage)
	}
	last := res.Events[len(res.Events)-2:]
	if last[0].Text != "QUIT" || last[1].Text != bye.reply || last[0].Stage != mailer.StageAuth || last[1].Stage != mailer.StageAuth {
		t.Errorf("the transcript ends with %+v, want QUIT and its 221 marked auth", last)
	}
	if _, ok := res.Timings[mailer.StageQuit]; !ok {
		t.Errorf("no quit timing in %v", res.Timings)
	}
}
