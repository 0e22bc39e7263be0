package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Oversized request headers are refused before any handler runs.
func TestServe_HugeHeadersRefused(t *testing.T) {
	base, stop := startServe(t, map[string]string{}, "--data-dir", t.TempDir())
	defer stop()
	req, _ := http.NewRequest(http.MethodGet, base+"/readyz", nil)
	req.Header.Set("X-Padding", strings.Repeat("p", 200<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("200 KiB of headers: got %d, want 431", resp.StatusCode)
	}
}

// startServeWithLink is startServe for a console without users: it also returns the setup link
// that start printed, as soon as the console listens.
func startServeWithLink(t *testing.T, dir string) (base, link string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := dispatch(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json", "--data-dir", dir},
			testEnv(nil, strings.NewReader(""), io.Discard, pw))
		pw.Close()
		done <- err
	}()
	ready := make(chan [2]string, 1)
	go func() {
		var link string
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var line struct {
				Msg, Addr string
				SetupLink string `json:"setup_link"`
			}
			if json.Unmarshal(sc.Bytes(), &line) != nil {
				continue
			}
			if line.SetupLink != "" {
				link = line.SetupLink
			}
			if line.Msg == "listening" {
				ready <- [2]string{line.Addr, link}
			}
		}
	}()
	select {
	case r := <-ready:
		return r[0], r[1], func() { cancel(); <-done }
	case err := <-done:
		t.Fatalf("serve stopped before listening: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", "", nil
}
