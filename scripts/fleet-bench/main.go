// Command fleet-bench measures a fleet run through the console against the simulated Exchange
// Online: n connections (ten per sending mailbox, as a help desk's devices share a customer's
// mailbox) started with "Test all" over HTTP, checked by the job queue on the product's SQLite
// file. It prints wall time, runs/s, peak RSS, token requests, the busiest mailbox's peak
// sessions, database-busy errors, lost and duplicated jobs, and the ratio against the
// sequential curl + msmtp loop (scripts/fleet-baseline) run over a sample against the same fake.
//
//	go run ./scripts/fleet-bench [-n 1000] [-workers 100] [-baseline 50] [-own-pool] [-cpuprofile FILE]
//
// Run it from the repository's top folder (it runs scripts/fleet-baseline). -baseline 0 skips
// the loop. The queue shares the store's writer connection, as serve wires it; -own-pool gives
// it a second one-connection pool instead, for comparison. Everything listens on loopback;
// nothing leaves it. Peak RSS and CPU are the whole process: the console and the simulated
// Exchange together. On a shared machine read the wall times with the load average printed;
// CPU per check does not depend on it.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/store/queue"
)

func main() {
	n := flag.Int("n", 1000, "connections (at most 5000)")
	workers := flag.Int("workers", queue.DefaultWorkers, "jobs the queue runs at once")
	sample := flag.Int("baseline", 50, "connections for the curl + msmtp loop (0: skip it)")
	ownPool := flag.Bool("own-pool", false, "run the queue on its own one-connection pool instead of the store's writer (as serve does)")
	poll := flag.Duration("poll", 0, "how often idle workers look for jobs (0: the queue's default)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the fleet run to this file")
	flag.Parse()
	if *n < 1 || *n > 5000 || *workers < 1 || *sample < 0 {
		fmt.Fprintln(os.Stderr, "fleet-bench: -n is 1 … 5000, -workers at least 1, -baseline 0 or more")
		os.Exit(2)
	}
	if err := run(*n, *workers, *sample, !*ownPool, *poll, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "fleet-bench:", err)
		os.Exit(1)
	}
}

// busyCounter counts log records that report a busy or locked database, and passes warnings on.
type busyCounter struct {
	slog.Handler
	busy, failed *atomic.Int64
}

func isBusy(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "database is locked") || strings.Contains(s, "sqlite_busy") || strings.Contains(s, "database is busy")
}

func (b busyCounter) Enabled(context.Context, slog.Level) bool { return true }

func (b busyCounter) Handle(ctx context.Context, r slog.Record) error {
	text := r.Message
	r.Attrs(func(a slog.Attr) bool { text += " " + a.Value.String(); return true })
	if isBusy(text) {
		b.busy.Add(1)
	}
	if r.Message == "job failed" || r.Message == "job panicked" || strings.HasPrefix(r.Message, "saving test run failed") {
		b.failed.Add(1)
	}
	if r.Level >= slog.LevelWarn && b.Handler.Enabled(ctx, r.Level) {
		return b.Handler.Handle(ctx, r)
	}
	return nil
}

func (b busyCounter) WithAttrs(as []slog.Attr) slog.Handler {
	return busyCounter{b.Handler.WithAttrs(as), b.busy, b.failed}
}
func (b busyCounter) WithGroup(g string) slog.Handler {
	return busyCounter{b.Handler.WithGroup(g), b.busy, b.failed}
}

func run(n, workers, sample int, shared bool, poll time.Duration, profile string) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "fleet-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var busy, failed atomic.Int64
	log := slog.New(busyCounter{slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}), &busy, &failed})

	fake, err := mailertest.NewServer()
	if err != nil {
		return err
	}
	defer fake.Close()
	scenarios, err := fake.InstallStandardWorld()
	if err != nil {
		return err
	}
	sc, _ := mailertest.ScenarioByName(scenarios, "works")
	mailboxes := max(1, n/10)
	for m := range mailboxes {
		fake.AddMailbox(mailertest.Mailbox{Address: fmt.Sprintf("device%04d@contoso.com", m), TenantID: mailertest.ContosoTenantID,
			FullAccess: []string{"a1000000-0000-4000-8000-000000000001"}})
	}

	var baseline float64
	if sample > 0 {
		if baseline, err = runBaseline(dir, fake, sc, sample); err != nil {
			return err
		}
	}
	tokensBefore := fake.Counters().TokenRequests

	kr, err := store.NewKeyring([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		return err
	}
	path := filepath.Join(dir, store.FileName)
	db, err := store.OpenWith(ctx, path, kr, store.Options{Password: store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}})
	if err != nil {
		return err
	}
	defer db.Close()
	setupStart := time.Now()
	for i := range n {
		_, err := db.CreateProfile(ctx, store.ProfileInput{Name: fmt.Sprintf("Customer %04d", i), Cloud: "global", Tenant: sc.Tenant,
			ClientID: sc.ClientID, CredentialKind: store.KindSecret, Secret: sc.Secret, Mailbox: fmt.Sprintf("device%04d@contoso.com", i%mailboxes),
			SMTPHost: fake.SMTPAddr, Authority: fake.URL}, "bench")
		if err != nil {
			return err
		}
	}
	if _, err := db.CreateUser(ctx, "alice", "correct horse battery staple", store.RoleAdmin); err != nil {
		return err
	}
	fmt.Printf("setup: %d connections over %d mailboxes saved in %s\n", n, mailboxes, time.Since(setupStart).Round(time.Millisecond))

	qcfg := queue.Config{Path: path, Log: log, Workers: workers, PollInterval: poll}
	if shared {
		qcfg.DB = db.Writer()
	}
	q, err := queue.New(qcfg)
	if err != nil {
		return err
	}
	checker := fake.Checker()
	checker.Deadline, checker.ReplyTimeout = 2*time.Minute, time.Minute
	runner := fleet.New(checker, fleet.Options{})
	h := handlers.New(handlers.Config{DB: db, Checker: checker, FleetChecker: runner, Log: log, Queue: q})
	if err := q.Start(ctx); err != nil {
		return err
	}
	srv := httptest.NewServer(h.Routes())
	defer srv.Close()
	defer func() {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		q.Stop(sctx)
		h.Shutdown(sctx)
	}()

	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if err := post(cl, srv.URL+"/signin", url.Values{"username": {"alice"}, "password": {"correct horse battery staple"}}, nil); err != nil {
		return err
	}
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var loc string
	cpuBefore := cpuTime()
	start := time.Now()
	if err := post(cl, srv.URL+"/fleet", url.Values{"selection": {"all"}}, &loc); err != nil {
		return err
	}
	id := strings.TrimPrefix(loc, "/fleet/")
	var counts store.FleetCounts
	var polls, running, peakRunning int
	for {
		if counts, _, err = db.FleetCounts(ctx, id); err != nil {
			return err
		}
		polls, running, peakRunning = polls+1, running+counts.Running, max(peakRunning, counts.Running)
		if counts.Finished() {
			break
		}
		if time.Since(start) > 30*time.Minute {
			return fmt.Errorf("the fleet run did not finish in 30 minutes: %+v", counts)
		}
		time.Sleep(50 * time.Millisecond)
	}
	wall := time.Since(start)
	cpu := cpuTime() - cpuBefore
	c := fake.Counters()
	lost, dup, err := runsPerConnection(ctx, path, n)
	if err != nil {
		return err
	}
	rate := float64(n) / wall.Seconds()
	res := map[string]any{"connections": n, "mailboxes": mailboxes, "workers": workers, "shared_pool": shared,
		"wall_seconds": round(wall.Seconds()), "runs_per_second": round(rate), "passed": counts.Passed, "failed": counts.Failed,
		"peak_rss_mb": round(float64(peakRSS()) / (1 << 20)), "token_requests": c.TokenRequests - tokensBefore,
		"peak_sessions_per_mailbox": c.MaxPeakSessions(), "thread_limited": c.ThreadLimited, "retries": runner.Stats().Retries,
		"database_busy_errors": busy.Load(), "job_or_save_failures": failed.Load(), "lost_jobs": lost, "duplicated_jobs": dup,
		"goroutines": runtime.NumGoroutine(), "cpu_ms_per_check": round(float64(cpu.Microseconds()) / 1000 / float64(n)),
		"load_average": loadAverage()}
	fmt.Printf("fleet run: %d connections in %s = %.1f runs/s, %d passed, %d failed\n", n, wall.Round(time.Millisecond), rate, counts.Passed, counts.Failed)
	fmt.Printf("peak RSS %.1f MB, %d token requests, busiest mailbox %d sessions at once (%d refused 432 4.3.2), %d retries\n",
		res["peak_rss_mb"], res["token_requests"], c.MaxPeakSessions(), c.ThreadLimited, runner.Stats().Retries)
	fmt.Printf("CPU %.1f ms per check (console and simulated Exchange together); load average %s on %d cores\n",
		float64(cpu.Microseconds())/1000/float64(n), loadAverage(), runtime.NumCPU())
	fmt.Printf("checks running at once: %.1f on average, %d at most\n", float64(running)/float64(polls), peakRunning)
	fmt.Printf("database busy errors %d, job or save failures %d, lost jobs %d, duplicated jobs %d\n", busy.Load(), failed.Load(), lost, dup)
	if baseline > 0 {
		res["baseline_runs_per_second"], res["ratio"] = round(baseline), round(rate/baseline)
		fmt.Printf("curl + msmtp loop: %.2f runs/s (1,000 connections would take %.0f s); the fleet run is %.1f× faster\n", baseline, 1000/baseline, rate/baseline)
	}
	out, _ := json.Marshal(map[string]any{"fleet_bench": res})
	fmt.Println(string(out))
	if lost != 0 || dup != 0 || busy.Load() != 0 || counts.Passed != n {
		return errors.New("the fleet run lost, duplicated or failed checks, or met a busy database")
	}
	return nil
}

func round(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// post sends a form and wants a redirect; loc, if not nil, receives its target.
func post(cl *http.Client, u string, form url.Values, loc *string) error {
	resp, err := cl.PostForm(u, form)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("POST %s: got %d: %s", u, resp.StatusCode, body)
	}
	if loc != nil {
		*loc = resp.Header.Get("Location")
	}
	return nil
}

// runsPerConnection counts connections without a finished run (lost) and with more than one (duplicated).
func runsPerConnection(ctx context.Context, path string, n int) (lost, dup int, err error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	err = db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM profiles WHERE id NOT IN (SELECT profile_id FROM runs WHERE outcome IN ('passed', 'failed') AND profile_id IS NOT NULL)),
		(SELECT COUNT(*) FROM (SELECT profile_id FROM runs GROUP BY profile_id HAVING COUNT(*) > 1))`).Scan(&lost, &dup)
	return lost, dup, err
}

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb)
			return kb << 10
		}
	}
	return 0
}

// runBaseline runs scripts/fleet-baseline over sample connections against the same fake and
// returns its runs per second.
func runBaseline(dir string, fake *mailertest.Server, sc mailertest.Scenario, sample int) (float64, error) {
	ca, secret := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "secret")
	if err := os.WriteFile(ca, fake.CACertPEM, 0o600); err != nil {
		return 0, err
	}
	if err := os.WriteFile(secret, []byte(sc.Secret), 0o600); err != nil {
		return 0, err
	}
	cmd := exec.Command("scripts/fleet-baseline", fmt.Sprint(sample))
	cmd.Env = append(os.Environ(), "BASELINE_AUTHORITY="+fake.URL, "BASELINE_SMTP="+fake.SMTPAddr, "BASELINE_CA="+ca,
		"BASELINE_SECRET_FILE="+secret, "BASELINE_TENANT="+sc.Tenant, "BASELINE_CLIENT_ID="+sc.ClientID, "BASELINE_MAILBOX="+sc.Mailbox)
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("scripts/fleet-baseline (run from the repository's top folder): %v\n%s", err, out)
	}
	fmt.Print(string(out))
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var b struct {
		Baseline struct {
			RunsPerSecond float64 `json:"runs_per_second"`
		} `json:"baseline"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &b); err != nil || b.Baseline.RunsPerSecond <= 0 {
		return 0, fmt.Errorf("reading the baseline's result %q: %v", lines[len(lines)-1], err)
	}
	return b.Baseline.RunsPerSecond, nil
}

// cpuTime is the process's user and system CPU time so far: unlike wall time, it does not
// depend on what else the machine runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the machine's one-minute load average, to read the wall times by.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}
