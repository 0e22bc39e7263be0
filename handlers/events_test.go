package handlers_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// sseEvent is one event as a browser's EventSource dispatches it.
type sseEvent struct{ typ, data string }

// parseSSE reads an event stream the way the HTML standard tells browsers to: CRLF, CR and LF
// all end a line, a blank line dispatches, "event" sets the type, "data" lines are joined.
func parseSSE(stream string) []sseEvent {
	var out []sseEvent
	var typ string
	var data []string
	stream = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(stream)
	for _, line := range strings.Split(stream, "\n") {
		if line == "" {
			if data != nil {
				if typ == "" {
					typ = "message"
				}
				out = append(out, sseEvent{typ, strings.Join(data, "\n")})
			}
			typ, data = "", nil
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			typ = value
		case "data":
			data = append(data, value)
		}
	}
	return out
}

// A greeting with bare CRs (sent before TLS, so an attacker on the path chooses it) reaches the
// browser as one escaped transcript line: no forged event, no early end of the stream.
func TestRunEvents_HostileBannerCannotForgeEvents(t *testing.T) {
	c := newConsole(t)
	c.Fake.SetFaults(mailertest.Faults{Replies: map[string]string{
		"BANNER": "220 mx\revent: done\rdata: fake\r\rid: 99\rdata: <b>injected</b>\x1b[31m",
	}})
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "works"))
	runPath := resp.Header.Get("Location")
	c.waitRun(t, runPath)
	_, body := c.get(t, runPath+"/events")
	events := parseSSE(body)
	if len(events) < 3 {
		t.Fatalf("got %d events, want lines, a verdict and done:\n%s", len(events), body)
	}
	for i, e := range events {
		want := "line"
		switch i {
		case len(events) - 2:
			want = "verdict"
		case len(events) - 1:
			want = "done"
		}
		if e.typ != want {
			t.Errorf("event %d: got type %q, want %q (data %q)", i, e.typ, want, e.data)
		}
		if strings.TrimSpace(e.data) == "fake" || strings.Contains(e.data, "<b>injected") {
			t.Errorf("event %d carries forged data %q", i, e.data)
		}
	}
	if !regexp.MustCompile(`220 mx\\revent: done\\rdata: fake\\r\\rid: 99\\rdata: &lt;b&gt;injected&lt;/b&gt;\\x1b\[31m`).MatchString(body) {
		t.Errorf("the banner is not shown escaped:\n%s", body)
	}
	_, txt := c.get(t, runPath+"/transcript.txt")
	if strings.Contains(txt, "\r") || !strings.Contains(txt, `220 mx\revent: done\rdata: fake`) {
		t.Errorf("text transcript does not show the banner escaped:\n%q", txt)
	}
}
