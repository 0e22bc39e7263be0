package handlers_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/smtpoauth/smtpoauth/store"
)

// The export lists what the filters select, without secrets, every formula-like cell made inert.
func TestExportCSV(t *testing.T) {
	c := newConsole(t)
	in := fleetInput("=HYPERLINK(\"http://evil\")", "Contoso")
	in.Notes = "secret notes"
	mustFleetProfile(t, c.DB, in, store.OutcomeFailed, timeNow())
	mustFleetProfile(t, c.DB, fleetInput("@other", "Fabrikam"), "", timeNow())
	for i := range store.MaxPerPage + 5 {
		mustFleetProfile(t, c.DB, fleetInput("bulk "+strings.Repeat("x", i%3)+string(rune('a'+i%26))+itoa(int64(i)), "bulk"), "", timeNow())
	}

	resp, body := c.getAs(t, c.helpdesk, "/export.csv?tag=Contoso")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("got %d %v", resp.StatusCode, resp.Header)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("got %d records (%v), want the header and the one Contoso connection:\n%s", len(recs), err, body)
	}
	row := map[string]string{}
	for i, col := range recs[0] {
		row[col] = recs[1][i]
	}
	if row["name"] != `'=HYPERLINK("http://evil")` || row["state"] != "failing" || row["tags"] != "Contoso" || row["diagnosis_code"] == "" || row["secret_missing"] != "false" {
		t.Fatalf("got row %v", row)
	}
	for _, leak := range []string{"Abc-secret-value", "Abc", "secret notes"} {
		if strings.Contains(body, leak) {
			t.Fatalf("the export holds %q", leak)
		}
	}
	// Every page, not only the first.
	_, body = c.get(t, "/export.csv?tag=bulk")
	if recs, _ := csv.NewReader(strings.NewReader(body)).ReadAll(); len(recs) != store.MaxPerPage+5+1 {
		t.Fatalf("got %d records, want every bulk connection", len(recs)-1)
	}
	// The @ cell is protected too.
	_, body = c.get(t, "/export.csv?q=other")
	if !strings.Contains(body, "'@other") {
		t.Fatalf("got %s, want '@other", body)
	}
}

// upload posts a CSV file to /import as a browser's form does.
func (c *console) upload(t *testing.T, cl *http.Client, name, content string, headers ...string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	io.WriteString(fw, content)
	mw.Close()
	req, _ := http.NewRequest("POST", c.URL+"/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

const webImport = "name,tenant,client_id,mailbox,tags\n" +
	"Imported A,contoso.onmicrosoft.com,11111111-aaaa-4bbb-8ccc-000000000001,a@contoso.com,\"Contoso, north\"\n" +
	"Imported B,contoso.onmicrosoft.com,11111111-aaaa-4bbb-8ccc-000000000001,b@contoso.com,Contoso\n"

func TestImportWeb(t *testing.T) {
	t.Run("OKSecretMissing", func(t *testing.T) {
		c := newConsole(t)
		resp, body := c.upload(t, c.client, "fleet.csv", webImport)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/?status=missing" {
			t.Fatalf("got %d %s: %.300s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		_, body = c.get(t, "/?status=missing")
		d := doc(t, body)
		if testid(d, "secret-missing").Length() != 2 || countOf(t, d, "missing") != "2" {
			t.Fatalf("got %d rows marked, count %q; want both imported connections shown as secret missing", testid(d, "secret-missing").Length(), countOf(t, d, "missing"))
		}
		entries, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Action: "profiles.imported", Limit: 5})
		if len(entries) != 1 || entries[0].Actor != adminName || !strings.Contains(entries[0].Detail, "2 connections from fleet.csv") {
			t.Fatalf("got audit %+v, want one entry by the admin", entries)
		}
	})
	t.Run("ErrProblemsByLineNothingSaved", func(t *testing.T) {
		c := newConsole(t)
		file := webImport + "Bad,not a tenant!,x,y,=cmd\n" + "Imported A,contoso.onmicrosoft.com,11111111-aaaa-4bbb-8ccc-000000000001,a@contoso.com,\n"
		for lang, want := range map[string]string{"en": "already appears on line 2", "de": "steht schon in Zeile 2"} {
			resp, body := c.upload(t, c.client, "fleet.csv", file, "Accept-Language", lang)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422", resp.StatusCode)
			}
			var lines []string
			testid(doc(t, body), "import-problem").Each(func(_ int, s *goquery.Selection) {
				var cells []string
				s.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
				lines = append(lines, strings.Join(cells, " "))
			})
			got := strings.Join(lines, "\n")
			for _, w := range []string{"4 tenant", "4 client_id", "4 mailbox", "4 tags", "5 name "} {
				if !strings.Contains(got, w) {
					t.Errorf("%s: problems lack %q:\n%s", lang, w, got)
				}
			}
			if !strings.Contains(got, want) {
				t.Errorf("%s: problems lack %q:\n%s", lang, want, got)
			}
		}
		if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
			t.Fatalf("got %d connections, want nothing saved", n)
		}
	})
	t.Run("ErrSecretColumn", func(t *testing.T) {
		c := newConsole(t)
		resp, body := c.upload(t, c.client, "fleet.csv", "name,tenant,client_id,mailbox,secret\nA,t.onmicrosoft.com,c,a@b.c,Abc8Q~value\n")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "the web import takes none") {
			t.Fatalf("got %d: %.400s", resp.StatusCode, body)
		}
		if strings.Contains(body, "Abc8Q~value") {
			t.Fatal("the page echoes the secret")
		}
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		c := newConsole(t)
		resp, _ := c.upload(t, c.client, "big.csv", webImport+strings.Repeat("x", 300<<10))
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("got %d, want 413", resp.StatusCode)
		}
		if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
			t.Fatalf("got %d connections, want nothing saved", n)
		}
	})
	t.Run("ErrHelpdeskRefused", func(t *testing.T) {
		c := newConsole(t)
		if resp, _ := c.upload(t, c.helpdesk, "fleet.csv", webImport); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("help desk import: got %d, want 403", resp.StatusCode)
		}
		if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
			t.Fatalf("got %d connections, want nothing saved", n)
		}
	})
	t.Run("ErrCrossOrigin", func(t *testing.T) {
		c := newConsole(t)
		resp, _ := c.upload(t, c.client, "fleet.csv", webImport, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-origin import: got %d, want 403", resp.StatusCode)
		}
		if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
			t.Fatalf("got %d connections, want nothing saved", n)
		}
	})
}
