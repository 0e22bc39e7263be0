package handlers_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/smtpoauth/smtpoauth/store"
)

// Tags typed in the wizard are saved, shown again in the edit form, and refused with the
// field named, in the reader's language, with nothing saved.
func TestProfileForm_Tags(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c := newConsole(t)
		form := c.scenarioForm(t, "works")
		form.Set("mode", "none")
		form.Set("tags", "Contoso, Site Berlin")
		if resp, body := c.post(t, "/profiles", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("got %d: %.300s", resp.StatusCode, body)
		}
		p, err := c.DB.ProfileByName(t.Context(), "Test works")
		if err != nil || !slices.Equal(p.Tags, []string{"Contoso", "Site Berlin"}) {
			t.Fatalf("got %v (%v), want the two tags saved", p, err)
		}
		_, body := c.get(t, fmt.Sprintf("/profiles/%d/edit", p.ID))
		if got, _ := testid(doc(t, body), "input-tags").Attr("value"); got != "Contoso, Site Berlin" {
			t.Fatalf("edit form shows tags %q, want them as saved", got)
		}
		// Saving the edit form with the tags cleared clears them.
		form.Set("tags", "")
		form.Set("secret", "")
		if resp, body := c.post(t, fmt.Sprintf("/profiles/%d", p.ID), form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("got %d: %.300s", resp.StatusCode, body)
		}
		if p, _ = c.DB.Profile(t.Context(), p.ID); len(p.Tags) != 0 {
			t.Fatalf("got tags %q, want none after clearing", p.Tags)
		}
	})
	for _, tc := range []struct{ lang, tags, want string }{
		{"en", "=cmd|calc", "may hold only letters"},
		{"de", "=cmd|calc", "darf nur Buchstaben"},
		{"en", "a,b,c,d,e,f,g,h,i,j,k", "at most 10 tags"},
		{"de", strings.Repeat("x", 41), "höchstens 40 Zeichen"},
	} {
		t.Run("ErrTags_"+tc.lang, func(t *testing.T) {
			c := newConsole(t)
			form := c.scenarioForm(t, "works")
			form.Set("mode", "none")
			form.Set("tags", tc.tags)
			resp, body := c.post(t, "/profiles", form, "Accept-Language", tc.lang)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422", resp.StatusCode)
			}
			if got := testid(doc(t, body), "error-tags").Text(); !strings.Contains(got, tc.want) {
				t.Fatalf("got tag error %q, want it to say %q", got, tc.want)
			}
			if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
				t.Fatalf("got %d connections, want nothing saved", n)
			}
		})
	}
}

// The API reads, sets, keeps and filters by tags, and refuses bad ones as the form does.
func TestAPI_Tags(t *testing.T) {
	c := newConsole(t)
	k := newContract(t)
	admin := c.mustAPIToken(t, "admin-script", store.RoleAdmin)
	body := c.connectionBody(t, "works")
	body["tags"] = []string{"Contoso", "north"}
	var created map[string]any
	c.apiJSON(t, k, apiCall{method: "POST", path: "/api/v1/connections", token: admin, body: body, op: "POST /api/v1/connections"}, http.StatusCreated, &created)
	if fmt.Sprint(created["tags"]) != "[Contoso north]" || created["expiry_level"] != "" {
		t.Fatalf("created: got tags %v, expiry_level %v", created["tags"], created["expiry_level"])
	}
	path := fmt.Sprintf("/api/v1/connections/%d", int(created["id"].(float64)))
	var patched map[string]any
	c.apiJSON(t, k, apiCall{method: "PATCH", path: path, token: admin, body: map[string]any{"notes": "n"}, op: "PATCH /api/v1/connections/{id}"}, http.StatusOK, &patched)
	if fmt.Sprint(patched["tags"]) != "[Contoso north]" {
		t.Fatalf("PATCH without tags: got %v, want them kept", patched["tags"])
	}
	c.apiJSON(t, k, apiCall{method: "PATCH", path: path, token: admin, body: map[string]any{"tags": []string{"Fabrikam"}}, op: "PATCH /api/v1/connections/{id}"}, http.StatusOK, &patched)
	if fmt.Sprint(patched["tags"]) != "[Fabrikam]" {
		t.Fatalf("PATCH tags: got %v, want [Fabrikam]", patched["tags"])
	}
	var page struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
	}
	c.apiJSON(t, k, apiCall{method: "GET", path: "/api/v1/connections?tag=fabrikam", token: admin, op: "GET /api/v1/connections"}, http.StatusOK, &page)
	if page.Total != 1 {
		t.Fatalf("?tag=fabrikam: got %d, want 1", page.Total)
	}
	c.apiJSON(t, k, apiCall{method: "GET", path: "/api/v1/connections?tag=contoso", token: admin, op: "GET /api/v1/connections"}, http.StatusOK, &page)
	if page.Total != 0 {
		t.Fatalf("?tag=contoso: got %d, want 0 after the tags were replaced", page.Total)
	}
	var problem map[string]any
	c.apiJSON(t, nil, apiCall{method: "PATCH", path: path, token: admin, body: map[string]any{"tags": []string{"@SUM(A1)"}}, bad: true}, http.StatusUnprocessableEntity, &problem)
	if fields, _ := problem["errors"].(map[string]any); fields == nil || !strings.Contains(fmt.Sprint(fields["tags"]), "letters") {
		t.Fatalf("got %v, want a field error on tags", problem)
	}
	if p, _ := c.DB.ProfileByName(t.Context(), body["name"].(string)); !slices.Equal(p.Tags, []string{"Fabrikam"}) {
		t.Fatalf("got %q, want the tags unchanged by a refused PATCH", p.Tags)
	}
}

// The connection's page shows its tags as links to the dashboard's list of each.
func TestProfilePage_Tags(t *testing.T) {
	c := newConsole(t)
	p := mustFleetProfile(t, c.DB, fleetInput("Alpha", "Contoso", "Site Berlin"), "", timeNow())
	_, body := c.get(t, fmt.Sprintf("/profiles/%d", p.ID))
	var hrefs []string
	testid(doc(t, body), "row-tag").Each(func(_ int, s *goquery.Selection) { h, _ := s.Attr("href"); hrefs = append(hrefs, h) })
	if fmt.Sprint(hrefs) != "[/?tag=Contoso /?tag=Site+Berlin]" {
		t.Fatalf("got %v", hrefs)
	}
}
