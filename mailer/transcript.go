package mailer

import (
	"fmt"
	"strings"
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
// before an event is made. Its Text has passed the client's sanitiser (exchange.SanitizeLine): one
// line, no control characters.
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
