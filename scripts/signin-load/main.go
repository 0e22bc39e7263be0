// Command signin-load fires a burst of anonymous sign-ins at a console running as its own process
// on loopback, and reports whether it survived, its peak memory, and how many guesses it checked.
//
//	go run ./scripts/signin-load [-n 200] [-bin path/to/smtpoauth]
//
// It builds the console unless -bin names one, starts it on 127.0.0.1 with a fresh data folder,
// creates an administrator, signs her in once (so the address is one she uses), then sends n
// concurrent wrong passwords for her account, half of them abandoned by the client after a few
// milliseconds. Every loop is bounded in count and time; nothing leaves loopback.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

const (
	admin    = "alice"
	password = "correct horse battery staple"
)

func main() {
	n := flag.Int("n", 200, "concurrent sign-ins (at most 1000)")
	bin := flag.String("bin", "", "console binary (default: build ./cmd/smtpoauth)")
	flag.Parse()
	if err := run(min(*n, 1000), *bin); err != nil {
		fmt.Fprintln(os.Stderr, "signin-load:", err)
		os.Exit(1)
	}
}

func run(n int, bin string) error {
	dir, err := os.MkdirTemp("", "signin-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if bin == "" {
		bin = filepath.Join(dir, "smtpoauth")
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/smtpoauth").CombinedOutput(); err != nil {
			return fmt.Errorf("building the console: %v\n%s", err, out)
		}
	}
	data := filepath.Join(dir, "data")
	add := exec.Command(bin, "user", "add", "--data-dir", data, "--name", admin, "--role", "admin", "--password-file", "-")
	add.Stdin = strings.NewReader(password)
	if out, err := add.CombinedOutput(); err != nil {
		return fmt.Errorf("creating the administrator: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	console := exec.Command(bin, "serve", "--addr", addr, "--data-dir", data)
	logFile, _ := os.Create(filepath.Join(dir, "console.log"))
	console.Stdout, console.Stderr = logFile, logFile
	if err := console.Start(); err != nil {
		return err
	}
	defer func() {
		console.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { console.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			console.Process.Kill()
		}
	}()
	base := "http://" + addr
	if err := waitReady(base, 30*time.Second); err != nil {
		return err
	}
	jar, _ := cookiejar.New(nil)
	adminClient := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if resp, err := adminClient.PostForm(base+"/signin", url.Values{"username": {admin}, "password": {password}}); err != nil || resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("the administrator's own sign-in failed: %v %v", statusOf(resp), err)
	}
	rssBefore := procStatus(console.Process.Pid, "VmRSS")

	start := time.Now()
	statuses := burst(base, n)
	took := time.Since(start)

	alive := "no"
	if resp, err := adminClient.Get(base + "/readyz"); err == nil && resp.StatusCode == http.StatusOK {
		alive = "yes"
		resp.Body.Close()
	}
	guesses, err := countFailed(adminClient, base)
	if err != nil {
		return err
	}
	fmt.Printf("sign-ins fired:            %d concurrent for %q, %d of them dropped by the client after %s\n", n, admin, n/2, dropAfter)
	fmt.Printf("answers:                   %s (in %s)\n", statuses, took.Round(time.Millisecond))
	fmt.Printf("console alive afterwards:  %s\n", alive)
	fmt.Printf("console RSS before burst:  %s\n", rssBefore)
	fmt.Printf("console peak RSS (VmHWM):  %s (goal: at most 256 MB)\n", procStatus(console.Process.Pid, "VmHWM"))
	fmt.Printf("guesses checked:           %d (one after another the back-off allows 3)\n", guesses)
	if alive != "yes" {
		return errors.New("the console did not answer after the burst")
	}
	return nil
}

const dropAfter = 5 * time.Millisecond

// burst sends n wrong sign-ins at once; every second one gives up after dropAfter.
func burst(base string, n int) string {
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			limit := 60 * time.Second
			if i%2 == 1 {
				limit = dropAfter
			}
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/signin", strings.NewReader(url.Values{"username": {admin}, "password": {fmt.Sprint("wrong guess ", i)}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			key := "dropped"
			if resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				key = fmt.Sprint(resp.StatusCode)
			} else if i%2 == 0 {
				key = "error"
			}
			mu.Lock()
			counts[key]++
			mu.Unlock()
		})
	}
	wg.Wait()
	var parts []string
	for k, v := range counts {
		parts = append(parts, fmt.Sprintf("%s×%d", k, v))
	}
	return strings.Join(parts, " ")
}

// countFailed counts the sign-ins the console checked and found wrong, from its audit log.
func countFailed(c *http.Client, base string) (int, error) {
	resp, err := c.Get(base + "/audit.csv?action=signin.failed")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil || len(rows) == 0 {
		return 0, fmt.Errorf("reading the audit log: %v (status %d)", err, resp.StatusCode)
	}
	return len(rows) - 1, nil
}

func waitReady(base string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the console did not become ready within %s", within)
}

// procStatus reads one line of /proc/PID/status, such as VmHWM (peak resident memory).
func procStatus(pid int, field string) string {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func statusOf(resp *http.Response) string {
	if resp == nil {
		return "no answer"
	}
	return resp.Status
}
