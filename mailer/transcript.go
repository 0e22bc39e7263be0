package mailer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Stage is a step of a check. The console shows them as progress: token → connect → TLS → auth → send.
type Stage string

// Stages in the order a check reaches them.
const (
	StageInput    Stage = "input"
	StageToken    Stage = "token"
	StageClaims   Stage = "claims"
	StageConnect  Stage = "connect"
	StageBanner   Stage = "banner"
	StageEHLO     Stage = "ehlo"
	StageSTARTTLS Stage = "starttls"      // the STARTTLS command and the server's 220 to it
	StageTLS      Stage = "tls_handshake" // the TLS handshake after that 220
	StageEHLOTLS  Stage = "ehlo_tls"      // the second EHLO, over TLS: its answer offers AUTH
	StageAuth     Stage = "auth"
	StageMail     Stage = "mail"
	StageRcpt     Stage = "rcpt"
	StageData     Stage = "data"
	StageQuit     Stage = "quit"
	StageDone     Stage = "done"
)

// stageTLSBefore is what StageTLS was called before the stages were named after what they
// measure; runs saved then still carry it.
const stageTLSBefore Stage = "tls"

// Stages lists the stages of a check in order, for timings and reports.
func Stages() []Stage {
	return []Stage{StageToken, StageClaims, StageConnect, StageBanner, StageEHLO, StageSTARTTLS, StageTLS,
		StageEHLOTLS, StageAuth, StageMail, StageRcpt, StageData, StageQuit}
}

// Phase groups stages into the five steps the console shows.
func (s Stage) Phase() string {
	switch s {
	case StageInput, StageToken, StageClaims:
		return "token"
	case StageConnect, StageBanner, StageEHLO:
		return "connect"
	case StageSTARTTLS, StageTLS, StageEHLOTLS, stageTLSBefore:
		return "tls"
	case StageAuth:
		return "auth"
	default:
		return "send"
	}
}

// Direction says who spoke a transcript line.
type Direction string

// Client lines were sent by smtpoauth, server lines received, info lines are smtpoauth's own notes.
const (
	Client Direction = "client"
	Server Direction = "server"
	Info   Direction = "info"
)

// Marker is the text marker of a direction, so the transcript does not rely on colour.
func (d Direction) Marker() string {
	switch d {
	case Client:
		return "C:"
	case Server:
		return "S:"
	}
	return "*"
}

// Event is one transcript line. It never holds a secret or a token: the dialogue redacts
// before an event is made. Its Text has passed SanitizeLine: one line, no control characters.
type Event struct {
	Seq      int       `json:"seq"`
	OffsetMS int64     `json:"offset_ms"`
	Dir      Direction `json:"dir"`
	Stage    Stage     `json:"stage"`
	Text     string    `json:"text"`
}

// String renders an event as one line of a plain-text transcript.
func (e Event) String() string {
	return fmt.Sprintf("%+7dms %-2s %s", e.OffsetMS, e.Dir.Marker(), e.Text)
}

// RenderText renders a whole transcript as plain text, one event a line.
func RenderText(events []Event) string {
	var b strings.Builder
	for _, e := range events {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// transcript collects events, stamps them and hands each to the listener as it happens.
type transcript struct {
	mu       sync.Mutex
	start    time.Time
	now      func() time.Time
	events   []Event
	listener func(Event)
	redact   []string // values that must never appear, replaced wherever they show up
}

// add is the one way a line enters a transcript: secrets are masked first, then the line is made
// safe to show anywhere, so every rendering (event stream, page, text, JSON) is safe by construction.
func (t *transcript) add(dir Direction, stage Stage, text string) {
	text = SanitizeLine(t.scrub(text))
	t.mu.Lock()
	e := Event{Seq: len(t.events) + 1, OffsetMS: t.now().Sub(t.start).Milliseconds(), Dir: dir, Stage: stage, Text: text}
	t.events = append(t.events, e)
	listener := t.listener
	t.mu.Unlock()
	if listener != nil {
		listener(e)
	}
}

func (t *transcript) infof(stage Stage, format string, args ...any) {
	t.add(Info, stage, fmt.Sprintf(format, args...))
}

// scrub is the last line of defence: whatever path a secret took into a text, it leaves here masked.
func (t *transcript) scrub(s string) string {
	for _, secret := range t.redact {
		if len(secret) >= 4 && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, "<redacted>")
		}
	}
	return s
}

func (t *transcript) snapshot() []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Event(nil), t.events...)
}

// TokenSummary describes a bearer token without revealing it: its size and a short hash, enough to
// tell two tokens apart in a ticket.
func TokenSummary(token string) string {
	sum := sha256.Sum256([]byte(token))
	return fmt.Sprintf("bearer token %s bytes, sha256 %s…", groupThousands(len(token)), hex.EncodeToString(sum[:])[:8])
}

func groupThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
