package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
)

// BenchmarkDashboard2000 renders dashboard pages over 2,000 connections in 40 tags, two thirds
// tested, one in twenty with a secret expiring: the counts, a tag, a state, each sort, the last page.
func BenchmarkDashboard2000(b *testing.B) {
	c := newConsole(b)
	now := time.Now()
	for i := range 2000 {
		in := fleetInput(fmt.Sprintf("Customer %04d", i), fmt.Sprintf("customer-%d", i%40), "fleet")
		if i%20 == 0 {
			in.SecretExpiresOn = now.AddDate(0, 0, i%40).Format(time.DateOnly)
		}
		outcome := []string{store.OutcomePassed, store.OutcomeFailed, ""}[i%3]
		mustFleetProfile(b, c.DB, in, outcome, now.Add(-time.Duration(i)*time.Second))
	}
	h := c.Handlers.Routes()
	cookie := c.client.Jar.Cookies(mustURL(c.URL))[0]
	for _, path := range []string{"/", "/?sort=status", "/?sort=tested", "/?sort=expiry", "/?tag=customer-7",
		"/?status=failing&sort=tested", "/?status=expiring", "/?page=40"} {
		b.Run(strings.TrimPrefix(path, "/"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(cookie)
				h.ServeHTTP(rec, req)
				if rec.Code != 200 || !strings.Contains(rec.Body.String(), `data-testid="profile-row"`) {
					b.Fatalf("%s: got %d", path, rec.Code)
				}
			}
		})
	}
}
