package fleet

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// scripted is a mailer.Checker whose tries end as its script says; a try that reaches the token
// stage asks req.Tokens, as the client does.
type scripted struct {
	mu      sync.Mutex
	script  []error // nil passes
	calls   int
	fetches int
	reused  []bool
	// expires is the lifetime of the tokens fetch hands out, from now.
	now     func() time.Time
	expires time.Duration
}

func (s *scripted) Run(ctx context.Context, req mailer.Request, onEvent func(mailer.Event)) *mailer.Result {
	s.mu.Lock()
	i := s.calls
	s.calls++
	var err error
	if i < len(s.script) {
		err = s.script[i]
	}
	s.mu.Unlock()
	res := &mailer.Result{Started: time.Now(), Timings: map[mailer.Stage]int64{}}
	ev := func(text string) {
		e := mailer.Event{Seq: len(res.Events) + 1, Dir: mailer.Info, Stage: mailer.StageToken, Text: text}
		res.Events = append(res.Events, e)
		if onEvent != nil {
			onEvent(e)
		}
	}
	if req.Tokens != nil {
		_, reused, terr := req.Tokens.Token(ctx, req, func(context.Context) (mailer.Token, error) {
			s.mu.Lock()
			s.fetches++
			s.mu.Unlock()
			return mailer.Token{Value: "tok", Expires: s.now().Add(s.expires)}, nil
		})
		if terr != nil {
			err = terr
		}
		res.TokenReused = reused
		s.mu.Lock()
		s.reused = append(s.reused, reused)
		s.mu.Unlock()
	}
	ev("try started")
	res.Finished = time.Now()
	if err != nil {
		res.Err, res.Error = err, err.Error()
		var re *mailer.ReplyError
		if errors.As(err, &re) {
			res.Stage, res.Reply = re.Stage, &re.Reply
		}
		res.Diagnosis = mailer.Diagnose(mailer.Facts{Stage: res.Stage, Err: err, Req: req})
		ev("failed: " + err.Error())
		return res
	}
	res.OK, res.Stage = true, mailer.StageDone
	return res
}

func (s *scripted) Token(context.Context, mailer.Request) *mailer.TokenCheck {
	return &mailer.TokenCheck{OK: true}
}
func (s *scripted) OutboundPolicy() *mailer.Policy { return nil }

// fakeClock is a settable clock; sleeping advances it and records the wait.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func newRunner(inner *scripted, clock *fakeClock) *Runner {
	inner.now = clock.Now
	if inner.expires == 0 {
		inner.expires = time.Hour
	}
	return New(inner, Options{Now: clock.Now, Sleep: clock.Sleep})
}

func request() mailer.Request {
	return mailer.Request{ProfileName: "Contoso billing", Cloud: mailer.CloudGlobal, Tenant: "contoso.onmicrosoft.com",
		ClientID: "11111111-aaaa-4bbb-8ccc-000000000001", Credential: mailer.Credential{Secret: "Abc8Q~secret"},
		Mailbox: "billing@contoso.com", To: "it@contoso.com", ReuseToken: true}
}

func threadLimit() error {
	return &mailer.ReplyError{Stage: mailer.StageData, Reply: mailer.Reply{Code: 432, Enhanced: "4.3.2",
		Lines: []string{"STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=DM5SPR00MB2471.namprd08.prod.outlook.com]"}}}
}

// Exchange's 432 4.3.2 (sender thread limit) passes on its own: the run tries again after a
// wait and passes, and its transcript shows both tries, numbered on, with a note between.
func TestRunner_ThreadLimitIsTriedAgainAndPasses(t *testing.T) {
	clock := newClock()
	inner := &scripted{script: []error{threadLimit()}}
	var live []mailer.Event
	res := newRunner(inner, clock).Run(context.Background(), request(), func(e mailer.Event) { live = append(live, e) })
	if !res.OK || inner.calls != 2 {
		t.Fatalf("got ok=%v after %d tries, want a pass on the second try", res.OK, inner.calls)
	}
	if len(clock.waits) != 1 || clock.waits[0] < DefaultBackoff {
		t.Fatalf("got waits %v, want one of at least %v", clock.waits, DefaultBackoff)
	}
	text := mailer.RenderText(res.Events)
	if !strings.Contains(text, "432 4.3.2 STOREDRV.ClientSubmit") || !strings.Contains(text, "try 1 of 4 ended with a temporary failure") {
		t.Fatalf("the transcript does not show the first try and the retry:\n%s", text)
	}
	for i, e := range res.Events {
		if e.Seq != i+1 {
			t.Fatalf("event %d has seq %d; the tries are not numbered on:\n%s", i, e.Seq, text)
		}
	}
	if len(live) != len(res.Events) {
		t.Fatalf("the live view got %d events, the saved transcript %d", len(live), len(res.Events))
	}
}

// A permanent refusal is final: a 535 5.7.3 or Entra ID's "invalid client secret" is reported
// after one try, with no wait.
func TestRunner_PermanentFailuresAreNotRetried(t *testing.T) {
	for name, err := range map[string]error{
		"535 5.7.3": &mailer.ReplyError{Stage: mailer.StageAuth, Reply: mailer.Reply{Code: 535, Enhanced: "5.7.3", Lines: []string{"Authentication unsuccessful"}}},
		"AADSTS7000215": &mailer.TokenError{Kind: "entra", HTTPStatus: 401, Entra: &mailer.EntraError{HTTPStatus: 401, Error: "invalid_client", Code: 7000215,
			Description: "AADSTS7000215: Invalid client secret provided."}},
		"554 5.2.0 quota": &mailer.ReplyError{Stage: mailer.StageData, Reply: mailer.Reply{Code: 554, Enhanced: "5.2.0",
			Lines: []string{"STOREDRV.Submission.Exception:SubmissionQuotaExceededException"}}},
	} {
		t.Run(name, func(t *testing.T) {
			clock := newClock()
			inner := &scripted{script: []error{err, nil}}
			res := newRunner(inner, clock).Run(context.Background(), request(), nil)
			if res.OK || inner.calls != 1 || len(clock.waits) != 0 {
				t.Fatalf("got ok=%v after %d tries and waits %v, want one failed try", res.OK, inner.calls, clock.waits)
			}
		})
	}
}

// Entra ID's throttling is temporary and names its wait: the run waits that long, not less.
func TestRunner_ThrottledTokenRequestWaitsWhatEntraAsks(t *testing.T) {
	clock := newClock()
	throttled := &mailer.TokenError{Kind: "entra", HTTPStatus: 429, RetryAfter: 45 * time.Second,
		Entra: &mailer.EntraError{HTTPStatus: 429, Error: "temporarily_unavailable", Code: 50196, Description: "AADSTS50196: The server terminated an operation because it encountered a client request loop."}}
	inner := &scripted{script: []error{throttled}}
	res := newRunner(inner, clock).Run(context.Background(), request(), nil)
	if !res.OK || len(clock.waits) != 1 || clock.waits[0] < 45*time.Second {
		t.Fatalf("got ok=%v, waits %v; want one wait of at least 45s, then a pass", res.OK, clock.waits)
	}
}

// A temporary failure that keeps coming ends the run after the tries allowed, as a failure.
func TestRunner_GivesUpAfterTheAttemptsAllowed(t *testing.T) {
	clock := newClock()
	inner := &scripted{script: []error{threadLimit(), threadLimit(), threadLimit(), threadLimit(), threadLimit()}}
	res := newRunner(inner, clock).Run(context.Background(), request(), nil)
	if res.OK || inner.calls != DefaultAttempts || len(clock.waits) != DefaultAttempts-1 {
		t.Fatalf("got ok=%v after %d tries and %d waits, want a failure after %d tries", res.OK, inner.calls, len(clock.waits), DefaultAttempts)
	}
	if res.Diagnosis == nil || res.Diagnosis.Code != mailer.CodeThreadLimit {
		t.Fatalf("got diagnosis %+v, want the sender thread limit", res.Diagnosis)
	}
	if clock.waits[1] < clock.waits[0] || clock.waits[2] < 2*DefaultBackoff {
		t.Fatalf("got waits %v, want them to grow", clock.waits)
	}
}
