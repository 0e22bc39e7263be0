package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
)

// heartbeat keeps idle proxies from closing a stream while a server reply is awaited.
const heartbeat = 15 * time.Second

// runStream is how a run's events are written: as HTML fragments for the console's page, or as
// JSON for the API. Both follow one stream: replay, live lines, then the verdict.
type runStream interface {
	line(ctx context.Context, w http.ResponseWriter, e mailer.Event, bar *liveProgress)
	verdict(ctx context.Context, w http.ResponseWriter, run *store.Run)
	fail(w http.ResponseWriter, r *http.Request, err error)
}

// htmlStream is the console's stream, swapped into the run page by htmx.
type htmlStream struct{ s *Server }

func (h htmlStream) line(ctx context.Context, w http.ResponseWriter, e mailer.Event, bar *liveProgress) {
	h.s.sendLine(ctx, w, e, bar)
}
func (h htmlStream) verdict(ctx context.Context, w http.ResponseWriter, run *store.Run) {
	h.s.sendVerdict(ctx, w, run)
}
func (h htmlStream) fail(w http.ResponseWriter, r *http.Request, err error) { h.s.error(w, r, err) }

// runEvents streams a run as server-sent events: first what the page has not shown yet, then
// each line as the server answers, then the verdict. A reconnecting browser sends Last-Event-ID
// and continues where it was.
func (s *Server) runEvents(w http.ResponseWriter, r *http.Request) { s.streamRun(w, r, htmlStream{s}) }

func (s *Server) streamRun(w http.ResponseWriter, r *http.Request, out runStream) {
	id := chi.URLParam(r, "id")
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	if last, err := strconv.Atoi(r.Header.Get("Last-Event-ID")); err == nil {
		after = last
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		out.fail(w, r, fmt.Errorf("streaming unsupported by the response writer"))
		return
	}
	replay, updates, cancel, live := s.Hub.Subscribe(id, after)
	defer cancel()
	if !live {
		run, err := s.DB.Run(r.Context(), id)
		if err != nil {
			out.fail(w, r, err)
			return
		}
		s.extendWrite(w)
		sseHeaders(w)
		bar := &liveProgress{sending: run.Recipient != ""}
		for _, e := range run.Events {
			if e.Seq > after {
				out.line(r.Context(), w, e, bar)
			}
		}
		out.verdict(r.Context(), w, run)
		flusher.Flush()
		return
	}
	s.extendWrite(w)
	sseHeaders(w)
	bar := &liveProgress{}
	if run, err := s.DB.Run(r.Context(), id); err == nil {
		bar.sending = run.Recipient != ""
	}
	for _, e := range replay {
		out.line(r.Context(), w, e, bar)
	}
	flusher.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case <-tick.C:
			s.extendWrite(w)
			fmt.Fprint(w, ": keep-alive\n\n")
			flusher.Flush()
		case u, open := <-updates:
			if !open {
				return // dropped for falling behind: the client reconnects and replays
			}
			if u.Done {
				// The hub saves the run before it sends Done, so the store has the final state.
				run, err := s.DB.Run(r.Context(), id)
				s.extendWrite(w)
				if err == nil {
					out.verdict(r.Context(), w, run)
				}
				flusher.Flush()
				return
			}
			s.extendWrite(w)
			out.line(r.Context(), w, u.Event, bar)
			flusher.Flush()
		}
	}
}

func sseHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
}

// sendLine sends one transcript line, with whatever changed in the progress bar swapped out of band.
func (s *Server) sendLine(ctx context.Context, w http.ResponseWriter, e mailer.Event, bar *liveProgress) {
	parts := []templ.Component{web.EventLine(e)}
	if c := bar.update(e.Stage); c != nil {
		parts = append(parts, c)
	}
	// The line has just arrived: what the run waits for now starts at zero.
	parts = append(parts, web.LiveWait(s.waitView(ctx, []mailer.Event{e}, 0), true))
	writeSSE(ctx, w, "line", strconv.Itoa(e.Seq), parts...)
}

func (s *Server) sendVerdict(ctx context.Context, w http.ResponseWriter, run *store.Run) {
	phases, verdict := finishedView(ctx, run)
	linkChecklist(verdict, run)
	verdict.Settings = s.runSettings(ctx, run)
	writeSSE(ctx, w, "verdict", "", web.Verdict(verdict), web.Progress(phases, true), web.RunningDone())
	writeSSE(ctx, w, "done", "", templ.Raw("done"))
}

// writeSSE renders components into one event; each line of HTML becomes a data: line.
func writeSSE(ctx context.Context, w http.ResponseWriter, event, id string, parts ...templ.Component) {
	var buf bytes.Buffer
	for _, c := range parts {
		c.Render(ctx, &buf)
	}
	var out strings.Builder
	out.WriteString("event: " + event + "\n")
	if id != "" {
		out.WriteString("id: " + id + "\n")
	}
	// Transcript lines are sanitised where they are made; this is the second guard. In an event
	// stream CR, LF and CRLF all end a line, so any of them inside the HTML must become a new
	// data: line, never the start of a field of its own.
	html := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(buf.String())
	for _, line := range strings.Split(html, "\n") {
		out.WriteString("data: " + line + "\n")
	}
	out.WriteString("\n")
	w.Write([]byte(out.String()))
}
