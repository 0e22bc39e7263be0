package handlers_test

import (
	"bufio"
	"bytes"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/store"
)

// An oversized form is refused with 413 and a clear message, and nothing of it is stored.
func TestBody_OversizedRefusedNothingStored(t *testing.T) {
	c := newConsole(t)
	huge := strings.Repeat("x", 100<<10)
	resp, body := c.postAs(t, anonymous, "/signin", url.Values{"username": {huge}, "password": {"y"}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "more than 8 KiB") {
		t.Fatalf("a 100 KiB sign-in: got %d, want 413 saying the limit", resp.StatusCode)
	}
	entries, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{})
	for _, e := range entries {
		if strings.Contains(e.Target, "xxxx") {
			t.Fatal("the oversized user name reached the audit log")
		}
	}
	c.post(t, "/profiles", func() url.Values { f := c.scenarioForm(t, "works"); f.Set("mode", "none"); return f }())
	resp, _ = c.post(t, "/profiles/1/notes", url.Values{"notes": {strings.Repeat("n", 1<<20)}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("1 MiB of notes: got %d, want 413", resp.StatusCode)
	}
	if p, _ := c.DB.Profile(t.Context(), 1); p.Notes != "" {
		t.Fatal("the oversized notes were saved")
	}
}

// Multipart bodies are taken only where a certificate may be uploaded.
func TestBody_MultipartOnlyForUploads(t *testing.T) {
	c := newConsole(t)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("username", adminName)
	mw.WriteField("password", testPassword)
	fw, _ := mw.CreateFormFile("file", "big.bin")
	fw.Write(bytes.Repeat([]byte("z"), 4<<10))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.URL+"/signin", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := anonymous.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("multipart sign-in: got %d, want 415", resp.StatusCode)
	}
}

// A body that trickles in is cut off after the body timeout instead of holding the connection.
func TestBody_SlowBodyCutOff(t *testing.T) {
	c := newConsole(t, func(cfg *handlers.Config) {
		cfg.Limits = handlers.DefaultLimits()
		cfg.Limits.BodyTimeout = 300 * time.Millisecond
	})
	conn, err := net.Dial("tcp", c.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("POST /signin HTTP/1.1\r\nHost: console\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=a"))
	conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a slow body within 15 s: %v", err)
	}
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("got %d, want 408", resp.StatusCode)
	}
}
