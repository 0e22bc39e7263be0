package handlers_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/smtpoauth/smtpoauth/handlers"
)

// syncBuffer is a log sink the handler goroutines and the test may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A client that disconnects while its request is handled (a double-click, curl -m 0.05) ends
// that request quietly: no recursion between the page and the error page, a bounded answer and
// no error in the log.
func TestClientGone_RequestEndsQuietly(t *testing.T) {
	var logs syncBuffer
	c := newConsole(t, func(cfg *handlers.Config) {
		cfg.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	routes := c.Handlers.Routes()
	for _, tc := range []struct{ method, path, body string }{
		{http.MethodPost, "/signin", url.Values{"username": {"x"}, "password": {"y"}}.Encode()},
		{http.MethodPost, "/signin", url.Values{"username": {adminName}, "password": {"wrong password"}}.Encode()},
		{http.MethodGet, "/signin", ""},
		{http.MethodGet, "/no-such-page", ""},
		{http.MethodPost, "/setup/no-such-token", url.Values{"username": {"x"}, "password": {"y"}, "password2": {"y"}}.Encode()},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			req := httptest.NewRequestWithContext(ctx, tc.method, tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			routes.ServeHTTP(rec, req)
			if n := rec.Body.Len(); n > 64<<10 {
				t.Fatalf("got a %d-byte answer for a client that has gone", n)
			}
		})
	}
	out := logs.String()
	if strings.Contains(out, "level=ERROR") {
		t.Fatalf("a client that went away was logged as an error:\n%.2000s", out)
	}
	if n := strings.Count(out, "\n"); n > 20 {
		t.Fatalf("got %d log lines for 5 requests, want at most a few each", n)
	}
}
