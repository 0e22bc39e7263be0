package exchange

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// transcript collects events, stamps them and hands each to the listener as it happens.
type transcript struct {
	mu       sync.Mutex
	start    time.Time
	now      func() time.Time
	events   []mailer.Event
	listener func(mailer.Event)
	redact   []string // values that must never appear, replaced wherever they show up
}

// add is the one way a line enters a transcript: secrets are masked first, then the line is made
// safe to show anywhere, so every rendering (event stream, page, text, JSON) is safe by construction.
func (t *transcript) add(dir mailer.Direction, stage mailer.Stage, text string) {
	text = SanitizeLine(t.scrub(text))
	t.mu.Lock()
	e := mailer.Event{Seq: len(t.events) + 1, OffsetMS: t.now().Sub(t.start).Milliseconds(), Dir: dir, Stage: stage, Text: text}
	t.events = append(t.events, e)
	listener := t.listener
	t.mu.Unlock()
	if listener != nil {
		listener(e)
	}
}

func (t *transcript) infof(stage mailer.Stage, format string, args ...any) {
	t.add(mailer.Info, stage, fmt.Sprintf(format, args...))
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

func (t *transcript) snapshot() []mailer.Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]mailer.Event(nil), t.events...)
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
