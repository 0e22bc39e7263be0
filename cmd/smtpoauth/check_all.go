package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// fleetFlags are check's flags for testing every stored connection at once.
type fleetFlags struct {
	all, failing, send bool
	tag                string
	concurrency        int
}

// Bounds of --concurrency: at least one, and no more than the fleet runner's queues make useful.
const (
	defaultFleetConcurrency = 20
	maxFleetConcurrency     = 200
)

func (f *fleetFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.all, "all", false, "test every stored connection (authenticate only; see --send)")
	fs.StringVar(&f.tag, "tag", "", "with --all: only the connections carrying this tag")
	fs.BoolVar(&f.failing, "failing", false, "with --all: only the connections whose last test failed")
	fs.BoolVar(&f.send, "send", false, "with --all: also send each connection's test message to its stored test recipient")
	fs.IntVar(&f.concurrency, "concurrency", defaultFleetConcurrency, fmt.Sprintf("with --all: tests at once (1–%d; never more than 3 per mailbox)", maxFleetConcurrency))
}

// fleetOnly are the flags that only make sense with --all; singleOnly those --all replaces.
var (
	fleetOnly  = []string{"tag", "failing", "send", "concurrency"}
	singleOnly = []string{"tenant", "client-id", "mailbox", "from", "to", "cloud", "secret-file", "cert-file", "key-file",
		"smtp-host", "authority", "profile", "auth-model"}
)

// validate refuses flag combinations that say two things at once.
func (f *fleetFlags) validate(fs *flag.FlagSet) error {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if !f.all {
		for _, name := range fleetOnly {
			if set[name] {
				return usageError("--%s needs --all", name)
			}
		}
		return nil
	}
	var clash []string
	for _, name := range singleOnly {
		if set[name] {
			clash = append(clash, "--"+name)
		}
	}
	if len(clash) > 0 {
		return usageError("--all tests the stored connections as they are saved; it takes no %s", strings.Join(clash, ", "))
	}
	if set["tag"] && strings.TrimSpace(f.tag) == "" {
		return usageError("--tag needs a tag")
	}
	if f.concurrency < 1 || f.concurrency > maxFleetConcurrency {
		return usageError("--concurrency must be between 1 and %d, not %d", maxFleetConcurrency, f.concurrency)
	}
	return nil
}

// fleetLine is one connection's line of check --all --json: the check's JSON with the
// connection's name.
type fleetLine struct {
	Name string `json:"name"`
	*mailer.Result
}

// runCheckAll tests the selected stored connections through the fleet runner, records each run
// and one audit entry, and prints a line per connection and a summary.
func runCheckAll(ctx context.Context, f fleetFlags, data *dataFlags, checker mailer.Checker, asJSON bool, e env) error {
	log, err := data.logger(io.Discard)
	if err != nil {
		return err
	}
	db, _, err := data.openStore(ctx, e, log)
	if err != nil {
		return err
	}
	defer db.Close()
	profiles, err := selectFleet(ctx, db, f)
	if err != nil {
		return err
	}
	actor := cliActor()
	var items []fleet.Item
	var recipients []string
	for _, p := range profiles {
		to := ""
		if f.send {
			to = p.TestRecipient
		}
		req, err := fleetRequest(ctx, db, p, to)
		if err != nil {
			return err
		}
		req.ReuseToken = true
		items = append(items, fleet.Item{Name: p.Name, Request: req})
		recipients = append(recipients, to)
	}
	runner := fleet.New(checker, fleet.Options{})
	start := time.Now()
	if !asJSON {
		fmt.Fprintf(e.stdout, "Testing %d connection(s), %d at a time (at most 3 per mailbox)…\n", len(items), min(f.concurrency, max(1, len(items))))
	}
	enc := json.NewEncoder(e.stdout)
	var saveErrs []error
	sum := fleet.RunAll(ctx, runner, items, f.concurrency, func(i int, it fleet.Item, res *mailer.Result) {
		res.Diagnosis, res.Checks = i18n.Localize(res.Diagnosis, i18n.EN), i18n.ClaimChecks(i18n.EN, res.Checks)
		if err := saveFleetRun(ctx, db, profiles[i], actor, recipients[i], res, ctx.Err() != nil); err != nil {
			saveErrs = append(saveErrs, fmt.Errorf("%s: %w", it.Name, err))
		}
		if asJSON {
			enc.Encode(fleetLine{Name: it.Name, Result: res})
			return
		}
		printFleetLine(e.stdout, it, res)
	})
	elapsed := time.Since(start)
	detail := fmt.Sprintf("%d tested, %d passed, %d failed", sum.Total, sum.Passed, sum.Failed)
	if err := db.Audit(context.WithoutCancel(ctx), store.AuditEntry{Actor: actor, Action: "fleet.checked", Target: fleetTarget(f), Detail: detail}); err != nil {
		fmt.Fprintf(e.stderr, "smtpoauth: warning: the audit log did not record the fleet test: %v\n", err)
	}
	for _, msg := range sum.Errors {
		fmt.Fprintf(e.stderr, "smtpoauth: internal error: %s\n", msg)
	}
	for _, err := range saveErrs {
		fmt.Fprintf(e.stderr, "smtpoauth: warning: the run was not saved: %v\n", err)
	}
	stats := runner.Stats()
	if asJSON {
		enc.Encode(map[string]any{"summary": fleetSummary{Summary: sum, Seconds: elapsed.Seconds(), TokenRequests: stats.TokenRequests,
			TokensReused: stats.TokensReused, Retries: stats.Retries}})
	} else {
		fmt.Fprintf(e.stdout, "\n%s in %.1f s; %d token request(s), %d reused, %d retried.\n", detail, elapsed.Seconds(),
			stats.TokenRequests, stats.TokensReused, stats.Retries)
		codes := make([]string, 0, len(sum.ByDiagnosis))
		for code := range sum.ByDiagnosis {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			fmt.Fprintf(e.stdout, "  %4d %s\n", sum.ByDiagnosis[code], code)
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if sum.Failed > 0 {
		return errCheckFailed
	}
	return nil
}

// fleetSummary is the last line of check --all --json.
type fleetSummary struct {
	fleet.Summary
	Seconds       float64 `json:"seconds"`
	TokenRequests int64   `json:"token_requests"`
	TokensReused  int64   `json:"tokens_reused"`
	Retries       int64   `json:"retries"`
}

// selectFleet reads the connections --all, --tag and --failing select, by name. A tag no
// connection carries is bad input (a typo would otherwise pass as "nothing failed").
func selectFleet(ctx context.Context, db *store.DB, f fleetFlags) ([]*store.Profile, error) {
	q := store.ProfileQuery{Tag: strings.TrimSpace(f.tag), Sort: store.SortName, PerPage: store.MaxPerPage}
	if f.failing {
		q.Status = store.StateFailing
	}
	if q.Tag != "" {
		tags, err := db.Tags(ctx)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(tags, func(t store.TagCount) bool { return strings.EqualFold(t.Tag, q.Tag) }) {
			return nil, usageError("no connection has the tag %q", q.Tag)
		}
	}
	var out []*store.Profile
	for q.Page = 1; ; q.Page++ {
		page, err := db.QueryProfiles(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Profiles...)
		if page.Page >= page.Pages {
			return out, nil
		}
	}
}

// fleetRequest is the connection's request. A connection saved without its secret (a web
// import) is still tested: the check stops at its input and says the secret is missing.
func fleetRequest(ctx context.Context, db *store.DB, p *store.Profile, to string) (mailer.Request, error) {
	if p.HasCredential() {
		return db.Request(ctx, p, to)
	}
	return mailer.Request{ProfileName: p.Name, Cloud: p.Cloud, Tenant: p.Tenant, ClientID: p.ClientID, Mailbox: p.Mailbox,
		From: p.From, To: to, SMTPAddr: p.SMTPHost, Authority: p.Authority, AuthModel: p.AuthModel}, nil
}

// saveFleetRun records a finished run of the fleet, as a console run is recorded, so the
// dashboard and --failing see it. A run cut short by an interrupt (Ctrl-C) is saved as
// interrupted, which leaves the connection's status as it was.
func saveFleetRun(ctx context.Context, db *store.DB, p *store.Profile, actor, to string, res *mailer.Result, interrupted bool) error {
	// The fleet may have been interrupted: the records are written all the same.
	ctx = context.WithoutCancel(ctx)
	run := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: actor, Recipient: to, StartedAt: res.Started}
	if err := db.StartRun(ctx, run); err != nil {
		return err
	}
	save := db.FinishRun
	if interrupted {
		save = db.InterruptRun
	}
	if err := save(ctx, run.ID, res); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// fleetTarget names the selection in the audit log.
func fleetTarget(f fleetFlags) string {
	target := "all connections"
	if f.tag != "" {
		target += " tagged " + strings.TrimSpace(f.tag)
	}
	if f.failing {
		target += ", last test failed"
	}
	if f.send {
		target += ", sending"
	}
	return target
}

// printFleetLine is one connection's verdict in one line.
func printFleetLine(w io.Writer, it fleet.Item, res *mailer.Result) {
	ms := res.Finished.Sub(res.Started).Milliseconds()
	token := "new token"
	if res.TokenReused {
		token = "token reused"
	}
	if res.OK {
		what := "authenticated"
		if res.Sent {
			what = "sent to " + it.Request.To
		}
		fmt.Fprintf(w, "PASSED  %s: %s as %s (%d ms, %s)\n", it.Name, what, it.Request.Mailbox, ms, token)
		return
	}
	code, title := mailer.CodeInternal, res.Error
	if d := res.Diagnosis; d != nil {
		code, title = d.Code, d.Title
	}
	fmt.Fprintf(w, "FAILED  %s: at %s: %s [%s]\n", it.Name, res.Stage, title, code)
}
