package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
)

// fleet saves connections named c00…: even ones tagged "contoso", every third one failing,
// every fourth one passing, the rest never tested; c01 has a secret expiring in 10 days.
func fleet(tb testing.TB, n int, now time.Time) *store.DB {
	tb.Helper()
	db := MustOpenDB(tb, clockAt(&now))
	for i := range n {
		in := validInput()
		in.Name = fmt.Sprintf("c%02d", i)
		if i%2 == 0 {
			in.Tags = []string{"contoso"}
		}
		if i == 1 {
			in.SecretExpiresOn = now.AddDate(0, 0, 10).Format(time.DateOnly)
		}
		p := MustCreateProfile(tb, db, in)
		switch {
		case i%3 == 0:
			mustRun(tb, db, p, now.Add(-time.Duration(i)*time.Minute), false)
		case i%4 == 0:
			mustRun(tb, db, p, now.Add(-time.Duration(i)*time.Minute), true)
		}
	}
	return db
}

func names(ps []*store.Profile) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func TestQueryProfiles(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	db := fleet(t, 12, now)
	// 0,3,6,9 failing; 4,8 passing; 1,2,5,7,10,11 never tested.
	t.Run("Counts", func(t *testing.T) {
		pg, err := db.QueryProfiles(ctx, store.ProfileQuery{})
		if err != nil {
			t.Fatal(err)
		}
		want := store.StatusCounts{All: 12, Failing: 4, Passing: 2, Untested: 6, Expiring: 1}
		if pg.Counts != want || pg.Total != 12 || len(pg.Profiles) != 12 {
			t.Fatalf("got %+v total %d rows %d, want %+v", pg.Counts, pg.Total, len(pg.Profiles), want)
		}
	})
	t.Run("FilterByTagCountsTheTag", func(t *testing.T) {
		pg, _ := db.QueryProfiles(ctx, store.ProfileQuery{Tag: "CONTOSO", Status: store.StateFailing})
		// Even ones: 0,2,4,6,8,10 — failing 0,6; passing 4,8.
		if got := fmt.Sprint(names(pg.Profiles)); got != "[c00 c06]" || pg.Counts.All != 6 || pg.Counts.Passing != 2 || pg.Total != 2 {
			t.Fatalf("got %s %+v total %d, want c00 c06 of 6 tagged", got, pg.Counts, pg.Total)
		}
	})
	t.Run("Expiring", func(t *testing.T) {
		pg, _ := db.QueryProfiles(ctx, store.ProfileQuery{Status: store.FilterExpiring})
		if got := fmt.Sprint(names(pg.Profiles)); got != "[c01]" {
			t.Fatalf("got %s, want c01", got)
		}
	})
	t.Run("SortStatus", func(t *testing.T) {
		pg, _ := db.QueryProfiles(ctx, store.ProfileQuery{Sort: store.SortStatus})
		if got := fmt.Sprint(names(pg.Profiles)); got != "[c00 c03 c06 c09 c01 c02 c05 c07 c10 c11 c04 c08]" {
			t.Fatalf("got %s, want failing, never tested, passing", got)
		}
	})
	t.Run("SortTested", func(t *testing.T) {
		pg, _ := db.QueryProfiles(ctx, store.ProfileQuery{Sort: store.SortTested, PerPage: 7})
		if got := fmt.Sprint(names(pg.Profiles)); got != "[c00 c03 c04 c06 c08 c09 c01]" {
			t.Fatalf("got %s, want newest test first, never tested last", got)
		}
	})
	t.Run("Paging", func(t *testing.T) {
		var seen []string
		for page := 1; page <= 3; page++ {
			pg, _ := db.QueryProfiles(ctx, store.ProfileQuery{Sort: store.SortStatus, Page: page, PerPage: 5})
			if pg.Pages != 3 || pg.Page != page {
				t.Fatalf("got page %d of %d, want %d of 3", pg.Page, pg.Pages, page)
			}
			seen = append(seen, names(pg.Profiles)...)
		}
		if len(seen) != 12 {
			t.Fatalf("got %d rows over the pages, want 12 without overlap", len(seen))
		}
		pg, _ := db.QueryProfiles(ctx, store.ProfileQuery{Page: 99, PerPage: 5})
		if pg.Page != 3 || len(pg.Profiles) != 2 {
			t.Fatalf("got page %d with %d rows, want the last page for a page past the end", pg.Page, len(pg.Profiles))
		}
	})
	t.Run("TagsOfThePage", func(t *testing.T) {
		pg, _ := db.QueryProfiles(ctx, store.ProfileQuery{Search: "c02"})
		if len(pg.Profiles) != 1 || fmt.Sprint(pg.Profiles[0].Tags) != "[contoso]" {
			t.Fatalf("got %+v, want c02 with its tag", pg.Profiles)
		}
	})
}

// BenchmarkQueryProfiles reads a dashboard page (counts, sorted by status, filtered by tag) of
// 2,000 connections with ten runs each.
func BenchmarkQueryProfiles(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	db := MustOpenDB(b, clockAt(&now))
	if err := db.SeedFleetForBenchmark(ctx, 2000, 10); err != nil {
		b.Fatal(err)
	}
	for _, q := range []store.ProfileQuery{{Sort: store.SortStatus}, {Tag: "customer-7", Sort: store.SortTested}, {Status: store.FilterExpiring, Sort: store.SortExpiry}} {
		b.Run(fmt.Sprintf("tag=%q,status=%q,sort=%s", q.Tag, q.Status, q.Sort), func(b *testing.B) {
			for b.Loop() {
				pg, err := db.QueryProfiles(ctx, q)
				if err != nil || pg.Counts.All == 0 {
					b.Fatal(pg, err)
				}
			}
		})
	}
}

// The dashboard's "expiring" count (SQL over stored text) and the warning each row shows
// (mailer.ExpiryAt) must agree on every day around the 30-day boundary, at any time of day.
func TestQueryProfiles_ExpiringAgreesWithWarnings(t *testing.T) {
	ctx := context.Background()
	for _, hour := range []int{0, 13, 23} {
		now := time.Date(2026, 12, 1, hour, 30, 0, 0, time.UTC)
		db := MustOpenDB(t, clockAt(&now))
		want := 0
		for d := -2; d <= 33; d++ {
			in := validInput()
			in.Name = fmt.Sprintf("d%d", d)
			in.SecretExpiresOn = now.AddDate(0, 0, d).Format(time.DateOnly)
			p := MustCreateProfile(t, db, in)
			if p.Expiry(now).Level != mailer.ExpiryNone {
				want++
			}
		}
		pg, err := db.QueryProfiles(ctx, store.ProfileQuery{Status: store.FilterExpiring, PerPage: 100})
		if err != nil || pg.Counts.Expiring != want || len(pg.Profiles) != want {
			t.Fatalf("at %02d:30: got %d counted, %d listed (%v); want %d as the warnings say", hour, pg.Counts.Expiring, len(pg.Profiles), err, want)
		}
		for _, p := range pg.Profiles {
			if p.Expiry(now).Level == mailer.ExpiryNone {
				t.Errorf("at %02d:30: %s listed as expiring without a warning", hour, p.Name)
			}
		}
	}
}
