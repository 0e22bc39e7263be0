package handlers_test

import (
	"net/http"
	"net/url"
	"testing"
)

// An admin sets a connection's own re-test interval on its page and sees it there afterwards; a
// refused value changes nothing; the help desk does not get the form.
func TestProfilePage_RetestIntervalForm(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)

	_, body := c.get(t, "/profiles/1")
	if v, ok := testid(doc(t, body), "retest-minutes").Attr("value"); !ok || v != "" {
		t.Fatalf("a new connection's interval field: %q (present %v), want empty (follows the default)", v, ok)
	}
	resp, _ := c.post(t, "/profiles/1/retest", url.Values{"minutes": {"60"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the interval: %d", resp.StatusCode)
	}
	_, body = c.get(t, "/profiles/1")
	if v, _ := testid(doc(t, body), "retest-minutes").Attr("value"); v != "60" {
		t.Fatalf("after saving 60 the field shows %q", v)
	}
	if resp, _ := c.post(t, "/profiles/1/retest", url.Values{"minutes": {"soon"}}); resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Fatalf("a non-number: got %d, want a 4xx refusal", resp.StatusCode)
	}
	if own, _ := c.DB.Retest(t.Context(), 1); own == nil || *own != 60 {
		t.Fatalf("a refused value changed the interval: %v", own)
	}
	_, body = c.getAs(t, c.helpdesk, "/profiles/1")
	if testid(doc(t, body), "retest-form").Length() != 0 {
		t.Fatal("the help desk sees the interval form (the route is admin only)")
	}
}
