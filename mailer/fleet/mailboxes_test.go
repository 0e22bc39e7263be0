package fleet

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// gated is a checker whose runs wait at a gate and count how many run at once per mailbox.
type gated struct {
	mu     sync.Mutex
	inside map[string]int
	peak   map[string]int
	gate   chan struct{}
}

func (g *gated) Run(ctx context.Context, req mailer.Request, _ func(mailer.Event)) *mailer.Result {
	key := strings.ToLower(req.Mailbox)
	g.mu.Lock()
	g.inside[key]++
	g.peak[key] = max(g.peak[key], g.inside[key])
	g.mu.Unlock()
	<-g.gate
	g.mu.Lock()
	g.inside[key]--
	g.mu.Unlock()
	return &mailer.Result{OK: true, Stage: mailer.StageDone}
}

func (g *gated) Token(context.Context, mailer.Request) *mailer.TokenCheck { return nil }
func (g *gated) OutboundPolicy() *mailer.Policy                           { return nil }

func (g *gated) count(m map[string]int, key string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return m[key]
}

// waitFor polls cond with room for the race detector on loaded cores.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Ten connections sending through one mailbox (written in any case) run three at a time, while
// a connection on another mailbox is not held up by them.
func TestRunner_AtMostThreeRunsPerMailbox(t *testing.T) {
	g := &gated{inside: map[string]int{}, peak: map[string]int{}, gate: make(chan struct{})}
	r := New(g, Options{})
	var items []Item
	for i := range 10 {
		req := request()
		if i%2 == 1 {
			req.Mailbox = "Billing@Contoso.com"
		}
		items = append(items, Item{Name: "shared", Request: req})
	}
	other := request()
	other.Mailbox = "frontdesk@contoso.com"
	items = append(items, Item{Name: "other", Request: other})
	done := make(chan Summary)
	go func() { done <- RunAll(context.Background(), r, items, len(items), nil) }()

	// Every run has asked for its mailbox: three hold a session, seven wait, the other mailbox runs.
	waitFor(t, "all runs to reach their mailbox", func() bool {
		r.mailboxes.mu.Lock()
		defer r.mailboxes.mu.Unlock()
		s := r.mailboxes.sems["billing@contoso.com"]
		return s != nil && s.users == 10 && g.count(g.inside, "frontdesk@contoso.com") == 1 && g.count(g.inside, "billing@contoso.com") == 3
	})
	if n := g.count(g.inside, "billing@contoso.com"); n != 3 {
		t.Fatalf("%d runs hold a session on the shared mailbox, want 3", n)
	}
	close(g.gate)
	sum := <-done
	if sum.Passed != 11 || g.count(g.peak, "billing@contoso.com") != 3 {
		t.Fatalf("got %+v and a peak of %d on the shared mailbox, want 11 passes and 3", sum, g.count(g.peak, "billing@contoso.com"))
	}
	r.mailboxes.mu.Lock()
	defer r.mailboxes.mu.Unlock()
	if len(r.mailboxes.sems) != 0 {
		t.Fatalf("idle mailboxes are still kept: %d", len(r.mailboxes.sems))
	}
}

// panicky fails one connection by panicking.
type panicky struct{ scripted }

func (p *panicky) Run(ctx context.Context, req mailer.Request, onEvent func(mailer.Event)) *mailer.Result {
	if req.ProfileName == "boom" {
		panic("checker bug")
	}
	return &mailer.Result{OK: true, Stage: mailer.StageDone}
}

// A bug while checking one connection fails that connection, reported like any failure; the
// rest of the fleet is checked, and every connection is reported exactly once.
func TestRunAll_PanicFailsOnlyItsConnection(t *testing.T) {
	items := []Item{{Name: "a", Request: request()}, {Name: "boom", Request: request()}, {Name: "c", Request: request()}}
	items[1].Request.ProfileName = "boom"
	seen := map[string]int{}
	sum := RunAll(context.Background(), &panicky{}, items, 2, func(i int, it Item, res *mailer.Result) {
		seen[it.Name]++
		if it.Name == "boom" && (res.OK || !strings.Contains(res.Error, "checker bug")) {
			t.Errorf("the panicking connection got %+v", res)
		}
	})
	if sum.Passed != 2 || sum.Failed != 1 || sum.ByDiagnosis[mailer.CodeInternal] != 1 || len(seen) != 3 || seen["a"] != 1 || seen["c"] != 1 {
		t.Fatalf("got %+v, reported %v", sum, seen)
	}
}

// A cancelled fleet run reports the connections it did not start as failed, each once.
func TestRunAll_CancelledReportsEveryConnection(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	items := []Item{{Name: "a", Request: request()}, {Name: "b", Request: request()}}
	n := 0
	sum := RunAll(ctx, New(&scripted{}, Options{}), items, 1, func(int, Item, *mailer.Result) { n++ })
	if n != 2 || sum.Failed != 2 {
		t.Fatalf("got %+v and %d reports, want 2 failures reported", sum, n)
	}
}

// A bug in the caller's report of one connection is itself reported, and the others' reports
// still arrive.
func TestRunAll_PanicInReportIsReported(t *testing.T) {
	items := []Item{{Name: "a", Request: request()}, {Name: "b", Request: request()}}
	n := 0
	sum := RunAll(context.Background(), &panicky{}, items, 1, func(_ int, it Item, _ *mailer.Result) {
		n++
		if it.Name == "a" {
			panic("printer bug")
		}
	})
	if n != 2 || len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0], "printer bug") || sum.Passed != 2 {
		t.Fatalf("got %+v after %d reports", sum, n)
	}
}
