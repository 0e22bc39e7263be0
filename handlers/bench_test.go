package handlers_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
)

// BenchmarkDashboard1000 renders the dashboard with 1,000 connections, each with a run.
func BenchmarkDashboard1000(b *testing.B) {
	c := newConsole(b)
	ctx := context.Background()
	for i := range 1000 {
		p, err := c.DB.CreateProfile(ctx, store.ProfileInput{Name: fmt.Sprintf("Customer %04d", i), Tenant: fmt.Sprintf("customer%04d.onmicrosoft.com", i),
			ClientID: "11111111-aaaa-4bbb-8ccc-000000000001", Secret: "Abc-secret-value", Mailbox: fmt.Sprintf("mail%d@customer%04d.com", i, i),
			SecretExpiresOn: "2026-12-10"}, "bench")
		if err != nil {
			b.Fatal(err)
		}
		run := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: "bench"}
		c.DB.StartRun(ctx, run)
		c.DB.FinishRun(ctx, run.ID, &mailer.Result{Stage: mailer.StageAuth, Finished: time.Now(),
			Diagnosis: &mailer.Diagnosis{Code: mailer.CodeAuthUnsuccessful, Title: "Exchange rejected the token (535 5.7.3)"}})
	}
	h := c.Handlers.Routes()
	cookie := c.client.Jar.Cookies(mustURL(c.URL))[0]
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.AddCookie(cookie)
		h.ServeHTTP(rec, req)
		// The first page of 50, by name.
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Customer 0049") {
			b.Fatalf("got %d", rec.Code)
		}
	}
}

// BenchmarkEventToBrowser measures one transcript event from the check's emit call to its SSE
// bytes flushed to a connected client: the hub, the fragment rendering and the network write.
func BenchmarkEventToBrowser(b *testing.B) {
	c := newConsole(b)
	f := c.scenarioForm(b, "works")
	f.Set("mode", "none")
	c.post(b, "/profiles", f)
	p, _ := c.DB.ProfileByName(context.Background(), f.Get("name"))
	run := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: "bench"}
	c.DB.StartRun(context.Background(), run)

	emitCh := make(chan func(mailer.Event))
	finish := make(chan struct{})
	c.Handlers.Hub.Start(run.ID, func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		emitCh <- emit
		<-finish
		return &mailer.Result{OK: true, Stage: mailer.StageDone, Finished: time.Now()}
	}, func(ctx context.Context, res *mailer.Result, _ bool) error { return c.DB.FinishRun(ctx, run.ID, res) })
	emit := <-emitCh
	defer close(finish)

	resp, err := c.client.Get(c.URL + "/runs/" + run.ID + "/events")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)
	ev := mailer.Event{Dir: mailer.Server, Stage: mailer.StageAuth, Text: "235 2.7.0 Authentication successful"}
	b.ReportAllocs()
	seq := 0
	for b.Loop() {
		seq++
		ev.Seq = seq
		emit(ev)
		// Read until the end of this event (a blank line).
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				b.Fatal(err)
			}
			if line == "\n" {
				break
			}
		}
	}
	io.Copy(io.Discard, io.LimitReader(rd, 0))
}

// BenchmarkRunList200 renders /runs with 200 finished runs, each with a real check's result
// and transcript (one passed send, one failed AUTH, alternating).
func BenchmarkRunList200(b *testing.B) {
	c := newConsole(b)
	ctx := context.Background()
	checker := c.Fake.Checker()
	var results []*mailer.Result
	for _, name := range []string{"works", "no-service-principal"} {
		sc, ok := mailertest.ScenarioByName(c.Scenarios, name)
		if !ok {
			b.Fatalf("no scenario %s", name)
		}
		req, err := sc.Request(c.Fake)
		if err != nil {
			b.Fatal(err)
		}
		results = append(results, checker.Run(ctx, req, nil))
	}
	if len(results[0].Events) < 10 || results[1].Diagnosis == nil {
		b.Fatalf("got %d events and diagnosis %v, want a full transcript and a diagnosis", len(results[0].Events), results[1].Diagnosis)
	}
	for i := range 200 {
		run := &store.Run{ProfileName: fmt.Sprintf("Customer %04d", i), StartedBy: "bench", Recipient: "it@example.com"}
		if err := c.DB.StartRun(ctx, run); err != nil {
			b.Fatal(err)
		}
		if err := c.DB.FinishRun(ctx, run.ID, results[i%2]); err != nil {
			b.Fatal(err)
		}
	}
	h := c.Handlers.Routes()
	cookie := c.client.Jar.Cookies(mustURL(c.URL))[0]
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/runs", nil)
		req.AddCookie(cookie)
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || strings.Count(rec.Body.String(), `data-testid="run-row"`) != 200 {
			b.Fatalf("got %d", rec.Code)
		}
	}
}

// BenchmarkStaticAsset fetches the stylesheet as a signed-in browser does on every page.
func BenchmarkStaticAsset(b *testing.B) {
	c := newConsole(b)
	h := c.Handlers.Routes()
	cookie := c.client.Jar.Cookies(mustURL(c.URL))[0]
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, web.Asset("app.css"), nil)
		req.AddCookie(cookie)
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("got %d", rec.Code)
		}
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
