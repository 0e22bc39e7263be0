package handlers_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
)

// fleetInput is a valid connection named name with tags; the secret is never used.
func fleetInput(name string, tags ...string) store.ProfileInput {
	return store.ProfileInput{Name: name, Tenant: "contoso.onmicrosoft.com", ClientID: "11111111-aaaa-4bbb-8ccc-000000000001",
		Secret: "Abc-secret-value", Mailbox: "billing@contoso.com", Tags: tags}
}

// mustFleetProfile saves a connection and, if outcome is passed or failed, a finished run of it.
func mustFleetProfile(tb testing.TB, db *store.DB, in store.ProfileInput, outcome string, started time.Time) *store.Profile {
	tb.Helper()
	ctx := context.Background()
	p, err := db.CreateProfile(ctx, in, "test")
	if err != nil {
		tb.Fatal(err)
	}
	if outcome == "" {
		return p
	}
	r := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: "test", StartedAt: started}
	if err := db.StartRun(ctx, r); err != nil {
		tb.Fatal(err)
	}
	res := &mailer.Result{OK: outcome == store.OutcomePassed, Stage: mailer.StageDone, Finished: started.Add(time.Second)}
	if !res.OK {
		res.Stage, res.Diagnosis = mailer.StageAuth, &mailer.Diagnosis{Code: mailer.CodeAuthUnsuccessful, Title: "535"}
	}
	if err := db.FinishRun(ctx, r.ID, res); err != nil {
		tb.Fatal(err)
	}
	return p
}

func rowNames(d *goquery.Document) []string {
	var out []string
	testid(d, "profile-link").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return out
}

func countOf(tb testing.TB, d *goquery.Document, key string) string {
	tb.Helper()
	return strings.TrimSpace(testid(d, "count-"+key+"-n").Text())
}

// The dashboard counts by state, filters by tag and state, sorts by state and last test, and
// pages; every control is a plain link or form field, so it works without JavaScript.
func TestDashboard_Fleet(t *testing.T) {
	c := newConsole(t)
	t0 := time.Now().Add(-time.Hour)
	mustFleetProfile(t, c.DB, fleetInput("Alpha", "Contoso"), store.OutcomePassed, t0)
	mustFleetProfile(t, c.DB, fleetInput("Bravo", "Contoso", "north"), store.OutcomeFailed, t0.Add(time.Minute))
	mustFleetProfile(t, c.DB, fleetInput("Charlie", "Fabrikam"), "", t0)
	mustFleetProfile(t, c.DB, fleetInput("Delta"), store.OutcomePassed, t0.Add(2*time.Minute))

	t.Run("Counts", func(t *testing.T) {
		_, body := c.get(t, "/")
		d := doc(t, body)
		for key, want := range map[string]string{"all": "4", "passing": "2", "failing": "1", "untested": "1", "expiring": "0"} {
			if got := countOf(t, d, key); got != want {
				t.Errorf("count %s: got %q, want %s", key, got, want)
			}
		}
		if testid(d, "count-missing").Length() != 0 {
			t.Error("the secret-missing count shows while every connection has its secret")
		}
	})
	t.Run("FilterByTag", func(t *testing.T) {
		_, body := c.get(t, "/?tag=contoso")
		d := doc(t, body)
		if got := fmt.Sprint(rowNames(d)); got != "[Alpha Bravo]" {
			t.Fatalf("got %s, want the two Contoso connections", got)
		}
		if countOf(t, d, "all") != "2" || countOf(t, d, "failing") != "1" {
			t.Fatalf("counts under a tag: all %s, failing %s; want 2 and 1", countOf(t, d, "all"), countOf(t, d, "failing"))
		}
		if v, _ := testid(d, "filter-tag").Find("option[selected]").Attr("value"); !strings.EqualFold(v, "contoso") {
			t.Fatalf("tag select shows %q, want contoso chosen", v)
		}
	})
	t.Run("FilterByStatusAndTag", func(t *testing.T) {
		_, body := c.get(t, "/?tag=Contoso&status=failing")
		if got := fmt.Sprint(rowNames(doc(t, body))); got != "[Bravo]" {
			t.Fatalf("got %s, want Bravo", got)
		}
	})
	t.Run("SortStatus", func(t *testing.T) {
		_, body := c.get(t, "/?sort=status")
		if got := fmt.Sprint(rowNames(doc(t, body))); got != "[Bravo Charlie Alpha Delta]" {
			t.Fatalf("got %s, want failing, never tested, passing", got)
		}
	})
	t.Run("SortLastTest", func(t *testing.T) {
		_, body := c.get(t, "/?sort=tested")
		if got := fmt.Sprint(rowNames(doc(t, body))); got != "[Delta Bravo Alpha Charlie]" {
			t.Fatalf("got %s, want newest test first, never tested last", got)
		}
	})
	t.Run("NoMatchSaysWhy", func(t *testing.T) {
		_, body := c.get(t, "/?tag=Fabrikam&status=failing")
		if got := testid(doc(t, body), "no-match").Text(); !strings.Contains(got, "Fabrikam") || !strings.Contains(got, "Failing") {
			t.Fatalf("got %q, want the tag and the state named", got)
		}
	})
	t.Run("UnknownValuesFallBack", func(t *testing.T) {
		resp, body := c.get(t, "/?sort=%27;drop&status=nonsense&page=-4")
		if resp.StatusCode != 200 || len(rowNames(doc(t, body))) != 4 {
			t.Fatalf("got %d with %d rows, want the default list", resp.StatusCode, len(rowNames(doc(t, body))))
		}
	})
	t.Run("TagLinks", func(t *testing.T) {
		_, body := c.get(t, "/?q=Bravo")
		var hrefs []string
		testid(doc(t, body), "row-tag").Each(func(_ int, s *goquery.Selection) { h, _ := s.Attr("href"); hrefs = append(hrefs, h) })
		if fmt.Sprint(hrefs) != "[/?tag=Contoso /?tag=north]" {
			t.Fatalf("got tag links %v", hrefs)
		}
	})
}

func TestDashboard_Paging(t *testing.T) {
	c := newConsole(t)
	for i := range store.DefaultPerPage + 3 {
		mustFleetProfile(t, c.DB, fleetInput(fmt.Sprintf("c%03d", i), "big"), "", time.Time{})
	}
	_, body := c.get(t, "/?tag=big")
	d := doc(t, body)
	if n := len(rowNames(d)); n != store.DefaultPerPage {
		t.Fatalf("page 1: got %d rows, want %d", n, store.DefaultPerPage)
	}
	next, _ := testid(d, "page-next").Attr("href")
	if next != "/?page=2&tag=big" || testid(d, "page-prev").Length() != 0 {
		t.Fatalf("got next %q, want /?page=2&tag=big and no previous link", next)
	}
	_, body = c.get(t, next)
	d = doc(t, body)
	if got := fmt.Sprint(rowNames(d)); got != "[c050 c051 c052]" || !strings.Contains(testid(d, "page-summary").Text(), "51–53 of 53") {
		t.Fatalf("page 2: got %s, %q", got, testid(d, "page-summary").Text())
	}
	if prev, _ := testid(d, "page-prev").Attr("href"); prev != "/?tag=big" {
		t.Fatalf("got previous %q, want /?tag=big", prev)
	}
}

// certificateExpiring returns a certificate ending in days, with its key, as PEM.
func certificateExpiring(tb testing.TB, days int) (certPEM, keyPEM string) {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtpoauth"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Duration(days)*24*time.Hour + time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	kb, _ := x509.MarshalPKCS8PrivateKey(key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}))
}

// Secrets and certificates close to their end are warned at 30, 14 and 7 days, with the date,
// and counted as expiring.
func TestDashboard_ExpiryWarnings(t *testing.T) {
	c := newConsole(t)
	today := time.Now().UTC()
	for _, s := range []struct {
		name string
		days int
	}{{"s40", 40}, {"s29", 29}, {"s13", 13}, {"s6", 6}, {"sExpired", -2}} {
		in := fleetInput(s.name)
		in.SecretExpiresOn = today.AddDate(0, 0, s.days).Format(time.DateOnly)
		mustFleetProfile(t, c.DB, in, "", time.Time{})
	}
	certPEM, keyPEM := certificateExpiring(t, 10)
	in := fleetInput("cert10")
	in.CredentialKind, in.Secret, in.CertificatePEM, in.PrivateKeyPEM = store.KindCertificate, "", certPEM, keyPEM
	mustFleetProfile(t, c.DB, in, "", time.Time{})

	for _, lang := range []string{"en", "de"} {
		_, body := c.post(t, "/lang", map[string][]string{"lang": {lang}})
		_ = body
		_, body = c.get(t, "/?sort=expiry")
		d := doc(t, body)
		got := map[string]string{}
		d.Find(`[data-testid="profile-row"]`).Each(func(_ int, row *goquery.Selection) {
			w := row.Find(`[data-testid="expiry-warning"]`)
			days, _ := w.Attr("data-days")
			got[row.Find(`[data-testid="profile-link"]`).Text()] = days + " " + w.Text()
		})
		date := func(days int) string {
			d := today.AddDate(0, 0, days)
			if lang == "de" {
				return d.Format("02.01.2006")
			}
			return d.Format("2006-01-02")
		}
		for name, want := range map[string][]string{"s29": {"30 ", date(29)}, "s13": {"14 ", date(13)}, "s6": {"7 ", date(6)},
			"sExpired": {"expired ", date(-2)}, "cert10": {"14 ", date(10)}} {
			if !strings.HasPrefix(got[name], want[0]) || !strings.Contains(got[name], want[1]) {
				t.Errorf("%s %s: got %q, want level %q with the date %s", lang, name, got[name], want[0], want[1])
			}
		}
		if got["s40"] != " " {
			t.Errorf("%s s40: got %q, want no warning 40 days ahead", lang, got["s40"])
		}
		if lang == "de" && !strings.Contains(got["s13"], "läuft in") {
			t.Errorf("de: got %q, want German words", got["s13"])
		}
		if n := countOf(t, d, "expiring"); n != "5" {
			t.Errorf("%s: expiring count %s, want 5", lang, n)
		}
		// Sorted by expiry: the expired one first, the one without a date last.
		if names := rowNames(d); names[0] != "sExpired" || names[len(names)-1] != "s40" {
			t.Errorf("%s: expiry order %v", lang, names)
		}
	}
}

func timeNow() time.Time { return time.Now() }
