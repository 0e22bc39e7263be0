package handlers_test

import (
	"net/url"
	"strings"
	"testing"
)

// The run page of a 535 5.7.3 lists the causes the reply leaves open, ranked by the token and
// the connection's model, in the reader's language.
func TestRunPage_535ShowsCausesRankedByTheModel(t *testing.T) {
	c := newConsole(t)
	runPath := c.runScenario(t, "rbac-out-of-scope")
	_, body := c.get(t, runPath)
	first := testid(doc(t, body), "causes").Find("li").First().Text()
	if !strings.Contains(first, "Exchange RBAC") || !strings.Contains(first, "role assignment") {
		t.Fatalf("first cause %q, want the RBAC role assignment for an RBAC connection whose token has no roles", first)
	}
	c.post(t, "/lang", url.Values{"lang": {"de"}})
	_, body = c.get(t, runPath)
	if first := testid(doc(t, body), "causes").Find("li").First().Text(); !strings.Contains(first, "Rollenzuweisung") {
		t.Fatalf("German first cause %q", first)
	}
}

// The form keeps the model the admin chose, and refuses one it does not know without saving.
func TestProfileForm_AuthModel(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c := newConsole(t)
		f := c.scenarioForm(t, "rbac-works")
		f.Set("mode", "none")
		c.post(t, "/profiles", f)
		_, body := c.get(t, "/profiles/1/edit")
		if _, ok := testid(doc(t, body), "auth-model-rbac").Attr("checked"); !ok {
			t.Fatal("the edit form lost the RBAC model")
		}
		_, body = c.get(t, "/profiles/1/setup")
		d := doc(t, body)
		if testid(d, "step-role-assignment").Length() == 0 || testid(d, "step-mailbox-permission").Length() != 0 {
			t.Fatal("an RBAC connection's checklist does not show the RBAC steps instead of FullAccess")
		}
		if !strings.Contains(d.Find("#full-script").Text(), "New-ManagementRoleAssignment") {
			t.Fatal("the setup script lacks the role assignment")
		}
	})
	t.Run("ErrAuthModelInvalid", func(t *testing.T) {
		c := newConsole(t)
		f := c.scenarioForm(t, "works")
		f.Set("auth_model", "basic")
		resp, body := c.post(t, "/profiles", f)
		if resp.StatusCode != 422 || testid(doc(t, body), "error-auth_model").Length() == 0 {
			t.Fatalf("got %d, want 422 with an error at the model", resp.StatusCode)
		}
		if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
			t.Fatal("a refused form saved a connection")
		}
	})
}
