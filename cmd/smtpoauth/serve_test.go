package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startServe runs the real run function on :0 and returns the console's URL, the log lines so
// far, and a stop function that cancels the context (as SIGTERM does) and waits for run to return.
func startServe(t *testing.T, env map[string]string, args ...string) (string, func() (string, error)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := dispatch(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...),
			testEnv(env, strings.NewReader(""), io.Discard, pw))
		pw.Close()
		done <- err
	}()
	var logs strings.Builder
	addr := make(chan string, 1)
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				addr <- line.Addr
			}
		}
	}()
	select {
	case a := <-addr:
		return a, func() (string, error) {
			cancel()
			err := <-done
			<-logDone
			return logs.String(), err
		}
	case err := <-done:
		cancel()
		<-logDone
		t.Fatalf("serve stopped before listening: %v\n%s", err, logs.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// signedInClient keeps cookies and does not follow redirects.
func signedInClient(t *testing.T, base, name, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.PostForm(base+"/signin", url.Values{"username": {name}, "password": {password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %v %v", resp, err)
	}
	return cl
}

func TestServe_StartsReadyAndShutsDownGracefully(t *testing.T) {
	dir := t.TempDir()
	base, stop := startServe(t, map[string]string{}, "--data-dir", dir)
	if code, body := get(t, base+"/readyz"); code != 200 || body != "ready\n" {
		t.Fatalf("/readyz: got %d %q", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("/healthz: got %d", code)
	}
	if code, body := get(t, base+"/"); code != 200 || !strings.Contains(body, "Sign in") {
		t.Fatalf("/ without a session: got %d, want the sign-in page", code)
	}
	logs, err := stop()
	if err != nil {
		t.Fatalf("run returned %v", err)
	}
	for _, want := range []string{"generated a new master key", "a backup of the database alone is useless", "no administrator yet", `"setup_link":"` + base + `/setup/`, "database closed", `"msg":"stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "master.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("master.key: %v %v", fi, err)
	}
}

func TestServe_RefusesWrongKeyNamingIt(t *testing.T) {
	dir := t.TempDir()
	_, stop := startServe(t, map[string]string{}, "--data-dir", dir)
	stop()
	os.Rename(filepath.Join(dir, "master.key"), filepath.Join(dir, "master.key.lost"))
	res := runCLI(t, map[string]string{}, "", "serve", "--addr", "127.0.0.1:0", "--data-dir", dir)
	if res.code != 1 || !strings.Contains(res.stderr, "sealed with key") {
		t.Fatalf("got exit %d:\n%s", res.code, res.stderr)
	}
}

func TestServe_BadDataDir(t *testing.T) {
	res := runCLI(t, map[string]string{}, "", "serve", "--addr", "127.0.0.1:0", "--data-dir", "/proc/no/such/dir")
	if res.code != 1 || !strings.Contains(res.stderr, "/proc/no/such/dir") {
		t.Fatalf("got exit %d:\n%s", res.code, res.stderr)
	}
}

// A run started through the console keeps going and is saved when the browser leaves; the
// dashboard then shows its outcome.
// The setup link from the log creates the first admin, once.
func TestServe_SetupLinkCreatesFirstAdmin(t *testing.T) {
	dir := t.TempDir()
	base, stop := startServe(t, map[string]string{}, "--data-dir", dir)
	logs, _ := stop()
	_, rest, ok := strings.Cut(logs, `"setup_link":"`+base)
	if !ok {
		t.Fatalf("no setup link in the log:\n%s", logs)
	}
	old, _, _ := strings.Cut(rest, `"`)
	// A restart prints a new link, and only the newest one works: old ones may sit in old logs.
	base, link, stop2 := startServeWithLink(t, dir)
	defer stop2()
	form := url.Values{"username": {"first-admin"}, "password": {"a long enough passphrase"}, "password2": {"a long enough passphrase"}}
	nc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if resp, err := nc.PostForm(base+old, form); err != nil || resp.StatusCode != http.StatusGone {
		t.Fatalf("the link of the previous start: %v %v, want 410", resp, err)
	}
	path := strings.TrimPrefix(link, base)
	resp, err := nc.PostForm(base+path, form)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: %v %v", resp, err)
	}
	form.Set("username", "intruder")
	if resp, _ := nc.PostForm(base+path, form); resp.StatusCode != http.StatusGone {
		t.Fatalf("replayed setup link: got %d, want 410", resp.StatusCode)
	}
	cl := signedInClient(t, base, "first-admin", "a long enough passphrase")
	r, _ := cl.Get(base + "/")
	b, _ := io.ReadAll(r.Body)
	if !strings.Contains(string(b), "No connections yet") {
		t.Fatal("the new admin does not see the dashboard")
	}
}

func TestServe_DemoModeRunsAndSavesTests(t *testing.T) {
	dir := t.TempDir()
	if res := runCLI(t, map[string]string{}, "a long enough passphrase\n", "user", "add", "--data-dir", dir, "--name", "demo-admin", "--role", "admin", "--password-file", "-"); res.code != 0 {
		t.Fatalf("user add: %d %s", res.code, res.stderr)
	}
	base, stop := startServe(t, map[string]string{}, "--data-dir", dir, "--demo")
	defer stop()
	client := signedInClient(t, base, "demo-admin", "a long enough passphrase")
	resp, err := client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(b)
	if strings.Count(body, "simulated tenant") < 6 {
		t.Fatalf("want 6 demo connections labelled simulated tenant:\n%s", body)
	}
	resp, err = client.PostForm(base+"/profiles/1/runs", url.Values{"mode": {"auth"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start run: %v %v", resp.Status, err)
	}
	loc := resp.Header.Get("Location")
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		r, err := client.Get(base + loc)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if page := string(b); strings.Contains(page, `data-testid="verdict-summary"`) {
			if !strings.Contains(page, "Passed") {
				t.Fatalf("demo 'works' run did not pass:\n%s", page)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("run never finished")
}

func TestServe_TLSDirectly(t *testing.T) {
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "console"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	kb, _ := x509.MarshalPKCS8PrivateKey(key)
	certFile, keyFile := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600)
	runCLI(t, map[string]string{}, "a long enough passphrase\n", "user", "add", "--data-dir", dir, "--name", "admin", "--role", "admin", "--password-file", "-")

	base, stop := startServe(t, map[string]string{}, "--data-dir", dir, "--tls-cert", certFile, "--tls-key", keyFile)
	defer stop()
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("listening on %s, want https", base)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	cl := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.PostForm(base+"/signin", url.Values{"username": {"admin"}, "password": {"a long enough passphrase"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS over TLS")
	}
	secure := false
	for _, c := range resp.Cookies() {
		secure = secure || (c.Name == "smtpoauth_session" && c.Secure && c.HttpOnly)
	}
	if !secure {
		t.Error("the session cookie is not Secure over TLS")
	}
}
