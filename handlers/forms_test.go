package handlers_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/smtpoauth/smtpoauth/handlers"
)

// postMultipart sends a form as the connection form does (multipart), with files by field.
func (c *console) postMultipart(tb testing.TB, path string, form url.Values, files map[string][]byte, headers ...string) (*http.Response, string) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for field, data := range files {
		fw, _ := mw.CreateFormFile(field, field+".bin")
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// describedByExists fails when an input names a description that is not on the page.
func describedByExists(t *testing.T, d *goquery.Document) {
	t.Helper()
	d.Find("[aria-describedby]").Each(func(_ int, s *goquery.Selection) {
		for _, id := range strings.Fields(s.AttrOr("aria-describedby", "")) {
			if d.Find("#"+id).Length() != 1 {
				id0, _ := s.Attr("id")
				t.Errorf("#%s is described by #%s, which is not on the page", id0, id)
			}
		}
	})
}

// An untouched form shows no validation state: Pico draws a green tick on every
// aria-invalid="false", which said "valid" of empty required fields.
func TestProfileForm_NoValidationStateUntouched(t *testing.T) {
	c := newConsole(t)
	for _, path := range []string{"/wizard", "/users", "/tokens"} {
		_, body := c.get(t, path)
		d := doc(t, body)
		if n := d.Find("[aria-invalid]").Length(); n != 0 {
			t.Errorf("%s: %d fields carry aria-invalid before anyone typed, want none", path, n)
		}
		describedByExists(t, d)
		if n := d.Find("[autofocus]").Length(); n != 0 {
			t.Errorf("%s: %d fields take the focus on an untouched form, want none", path, n)
		}
	}
}

// A refused submit comes back at the form's own address with each error at its field, linked
// with aria-describedby, help text apart from the error, and the focus on the first error.
func TestProfileForm_RefusedSubmitGuidesToFirstError(t *testing.T) {
	c := newConsole(t)
	_, page := c.get(t, "/wizard")
	action, _ := doc(t, page).Find(`form[data-testid="profile-form"]`).Attr("action")
	if action != "/wizard" {
		t.Fatalf("the wizard posts to %q, want its own address /wizard (a refused form must keep a page's address)", action)
	}
	f := c.scenarioForm(t, "works")
	f.Set("tenant", "not a tenant")
	f.Set("mailbox", "no-mailbox")
	resp, body := c.post(t, action, f)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("got %d, want 422", resp.StatusCode)
	}
	d := doc(t, body)
	tenant := d.Find("#tenant")
	if tenant.AttrOr("aria-invalid", "") != "true" || !strings.Contains(tenant.AttrOr("aria-describedby", ""), "tenant-error") {
		t.Errorf("tenant: aria-invalid %q, aria-describedby %q; want true and its error", tenant.AttrOr("aria-invalid", ""), tenant.AttrOr("aria-describedby", ""))
	}
	if d.Find("#tenant-error.error-text").Length() != 1 || d.Find("#tenant-help.error-text").Length() != 0 || d.Find("#tenant-help.help").Length() != 1 {
		t.Error("the tenant's help and error are not told apart (help.help, error.error-text)")
	}
	if d.Find("#name[aria-invalid]").Length() != 0 {
		t.Error("a valid field is marked")
	}
	focus := d.Find("[autofocus]")
	if focus.Length() != 1 || focus.AttrOr("id", "") != "tenant" {
		t.Errorf("autofocus on %d fields (%q), want one: the first error, #tenant", focus.Length(), focus.AttrOr("id", ""))
	}
	describedByExists(t, d)
	if n, _ := c.DB.Profiles(t.Context(), ""); len(n) != 0 {
		t.Fatal("a refused form saved a connection")
	}

	// The edit form too posts to its own page.
	f = c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/wizard", f)
	_, page = c.get(t, "/profiles/1/edit")
	action, _ = doc(t, page).Find(`form[data-testid="profile-form"]`).Attr("action")
	if action != "/profiles/1/edit" {
		t.Fatalf("the edit form posts to %q, want /profiles/1/edit", action)
	}
	f.Set("client_id", "nope")
	resp, body = c.post(t, action, f)
	if resp.StatusCode != http.StatusUnprocessableEntity || doc(t, body).Find("#client_id[autofocus]").Length() != 1 {
		t.Fatalf("edit: got %d, want 422 with the focus on #client_id", resp.StatusCode)
	}
}

// Step 1's check without JavaScript stays on the wizard's address, with its errors at the fields.
func TestWizardTokenCheck_WithoutJavaScriptKeepsAddress(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("client_id", "nope")
	f.Set("action", "check_token")
	resp, body := c.post(t, "/wizard", f)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/wizard" {
		t.Fatalf("got %d at %s, want the wizard again at /wizard", resp.StatusCode, resp.Request.URL.Path)
	}
	d := doc(t, body)
	if testid(d, "token-errors").Length() != 1 || d.Find("#client_id[aria-invalid=true][autofocus]").Length() != 1 {
		t.Fatal("the check's error is not at #client_id with the focus")
	}
	if testid(d, "token-errors").Find(`a[href="#client_id"]`).Length() != 1 {
		t.Error("the check's error does not link to its field")
	}
	f.Set("client_id", c.scenarioForm(t, "works").Get("client_id"))
	_, body = c.post(t, "/wizard", f)
	if testid(doc(t, body), "check-roles").Length() != 1 {
		t.Fatal("the check without JavaScript shows no claims")
	}
}

// The credential choice is two radio buttons that switch two groups of fields; the certificate's
// are never inside a collapsed section, and the secret's are not shown for a certificate.
func TestProfileForm_CredentialChoiceWithoutJavaScript(t *testing.T) {
	c := newConsole(t)
	_, body := c.get(t, "/wizard")
	d := doc(t, body)
	if d.Find("details #certificate_file, details #certificate, details #private_key, details #secret").Length() != 0 {
		t.Fatal("credential fields hide in a collapsed section")
	}
	if d.Find(".cred-secret #secret").Length() != 1 || d.Find(".cred-cert #certificate_file").Length() != 1 || d.Find(".cred-cert #certificate_password").Length() != 1 {
		t.Fatal("the secret and certificate fields are not in their groups")
	}
	if d.Find(`form[enctype="multipart/form-data"]`).Length() != 1 {
		t.Fatal("the form cannot carry a file")
	}
	css := fetchText(t, c, d.Find(`link[href*="app.css"]`).AttrOr("href", ""))
	for _, rule := range []string{`:has(input[name="credential_kind"][value="certificate"]:checked) .cred-secret`, `:has(input[name="credential_kind"][value="secret"]:checked) .cred-cert`, `{ display: none; }`} {
		if !strings.Contains(css, rule) {
			t.Errorf("the stylesheet lacks %s", rule)
		}
	}
}

// A private key pasted as the secret of a certificate connection is refused at the secret field,
// and that field's group stays in view although the certificate is chosen.
func TestProfileForm_ErrorInHiddenGroupShown(t *testing.T) {
	c := newConsole(t)
	f, _ := certificateForm(t, c)
	f.Set("secret", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----")
	resp, body := c.post(t, "/wizard", f)
	d := doc(t, body)
	if resp.StatusCode != http.StatusUnprocessableEntity || testid(d, "error-secret").Length() != 1 {
		t.Fatalf("got %d, want 422 with an error at the secret", resp.StatusCode)
	}
	if d.Find(".cred-secret.has-error #secret[autofocus]").Length() != 1 {
		t.Fatal("the secret's group is not kept in view with the focus on its error")
	}
}

func fetchText(t *testing.T, c *console, path string) string {
	t.Helper()
	_, body := c.get(t, path)
	return body
}

// The edit page says "leave the secret empty to keep it"; its token check then uses the stored
// secret instead of refusing for want of one, with and without JavaScript.
func TestEditTokenCheck_UsesStoredSecret(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/wizard", f)
	_, page := c.get(t, "/profiles/1/edit")
	d := doc(t, page)
	if !strings.Contains(testid(d, "secret-status").Text(), "empty") {
		t.Errorf("the edit page does not say to leave the secret empty: %q", testid(d, "secret-status").Text())
	}
	btn := testid(d, "check-token")
	if btn.AttrOr("hx-post", "") != "/profiles/1/token" {
		t.Fatalf("the edit page's check posts to %q, want /profiles/1/token", btn.AttrOr("hx-post", ""))
	}
	f.Set("secret", "")
	_, frag := c.post(t, "/profiles/1/token", f, "HX-Request", "true")
	if testid(doc(t, frag), "token-ok").Length() != 1 || testid(doc(t, frag), "token-errors").Length() != 0 {
		t.Fatalf("the check with the stored secret did not pass:\n%s", frag)
	}
	f.Set("action", "check_token")
	_, body := c.post(t, "/profiles/1/edit", f)
	if testid(doc(t, body), "check-roles").Length() != 1 {
		t.Fatal("the check without JavaScript did not use the stored secret")
	}
	// A secret typed on the edit page is the one checked.
	f.Set("secret", "wrong-secret-value-123")
	_, frag = c.post(t, "/profiles/1/token", f, "HX-Request", "true")
	if testid(doc(t, frag), "token-failed").Length() != 1 {
		t.Fatal("a typed secret was not the one checked")
	}
	if strings.Contains(frag, "wrong-secret-value-123") {
		t.Fatal("the typed secret came back in the page")
	}
}

// A GUID pasted as the secret is flagged in the page before it is sent: the note is there, hidden,
// for the page's script, and linked to the field when shown.
func TestProfileForm_SecretGUIDNoteReady(t *testing.T) {
	c := newConsole(t)
	_, body := c.get(t, "/wizard")
	note := testid(doc(t, body), "secret-guid")
	if note.Length() != 1 || !strings.Contains(note.Text(), "Secret ID") || note.AttrOr("id", "") != "secret-guid" {
		t.Fatalf("no hidden Secret ID note next to the secret: %q", note.Text())
	}
}

// "Test now" offers only allowed recipients: the stored one to choose, or a field with the rule
// when a domain is allowed.
func TestProfilePage_RecipientChosenFromAllowed(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/wizard", f)
	_, body := c.get(t, "/profiles/1")
	sel := doc(t, body).Find(`select#to[name="to"] option`)
	if sel.Length() != 1 || sel.AttrOr("value", "") != "it@contoso.com" {
		t.Fatalf("got %d options, want a select with only the stored recipient", sel.Length())
	}
	c = newConsole(t, func(cfg *handlers.Config) { cfg.Security.AllowedRecipientDomains = []string{"example.org"} })
	f = c.scenarioForm(t, "works")
	f.Set("mode", "none")
	if resp, body := c.post(t, "/wizard", f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving: got %d\n%s", resp.StatusCode, body)
	}
	_, body = c.get(t, "/profiles/1")
	d := doc(t, body)
	if d.Find(`input#to[name="to"]`).Length() != 1 || !strings.Contains(d.Find("#to-help").Text(), "example.org") {
		t.Fatal("with an allowed domain, no recipient field naming it")
	}
	resp, body := c.post(t, "/profiles/1/runs", url.Values{"mode": {"send"}, "to": {"victim@elsewhere.example"}})
	d = doc(t, body)
	if resp.StatusCode != http.StatusUnprocessableEntity || d.Find("#to[aria-invalid=true][autofocus]").Length() != 1 || d.Find(`input#to[value="victim@elsewhere.example"]`).Length() != 1 {
		t.Fatalf("refused recipient: got %d, want 422 with the error and the focus at the field, and what was typed kept", resp.StatusCode)
	}
	if !strings.Contains(testid(d, "error-to").Text(), "example.org") {
		t.Errorf("the refusal does not say what is allowed: %q", testid(d, "error-to").Text())
	}
}

// A change is confirmed once on the page after its redirect, as a status message.
func TestNotice_SavedAndDeletedConfirmedOnce(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/wizard", f)
	c.get(t, "/profiles/1") // takes the creation's notice
	f.Set("notes", "ticket 4711")
	resp, _ := c.post(t, "/profiles/1/edit", f)
	_, body := c.get(t, resp.Header.Get("Location"))
	notice := doc(t, body).Find(`[role="status"][data-testid="notice"]`)
	if resp.Header.Get("Location") != "/profiles/1" || !strings.Contains(notice.Text(), "Changes to “Test works” saved") {
		t.Fatalf("after saving, at %s: notice %q, want “Changes to … saved” with role=status", resp.Header.Get("Location"), notice.Text())
	}
	if _, again := c.get(t, "/profiles/1"); testid(doc(t, again), "notice").Length() != 0 {
		t.Fatal("the notice shows again on the next page")
	}
	resp, _ = c.post(t, "/profiles/1/delete", url.Values{"confirm": {"yes"}})
	_, body = c.get(t, resp.Header.Get("Location"))
	if !strings.Contains(testid(doc(t, body), "notice").Text(), "“Test works” deleted") {
		t.Fatalf("after deleting: notice %q", testid(doc(t, body), "notice").Text())
	}
	// German readers get German words.
	c.post(t, "/lang", url.Values{"lang": {"de"}, "next": {"/"}})
	f.Set("name", "Zweite")
	f.Set("mode", "auth")
	resp, _ = c.post(t, "/wizard", f)
	_, body = c.get(t, resp.Header.Get("Location"))
	if !strings.Contains(testid(doc(t, body), "notice").Text(), "„Zweite“ gespeichert; der erste Test läuft") {
		t.Fatalf("German notice on the run page: %q", testid(doc(t, body), "notice").Text())
	}
}

// A notice cookie can only pick one of the console's texts, never bring its own.
func TestNotice_ForgedCookieShowsNothing(t *testing.T) {
	c := newConsole(t)
	req, _ := http.NewRequest(http.MethodGet, c.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: "smtpoauth_notice", Value: "<script>.PHNjcmlwdD4"})
	resp, err := c.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	d, _ := goquery.NewDocumentFromReader(resp.Body)
	if testid(d, "notice").Length() != 0 {
		t.Fatal("a forged notice cookie showed a notice")
	}
}

// Adding and removing a user are confirmed too.
func TestNotice_UsersConfirmed(t *testing.T) {
	c := newConsole(t)
	resp, _ := c.post(t, "/users", url.Values{"username": {"bob"}, "role": {"helpdesk"}, "password": {testPassword}})
	_, body := c.get(t, resp.Header.Get("Location"))
	if !strings.Contains(testid(doc(t, body), "notice").Text(), "“bob” added") {
		t.Fatalf("after adding a user: %d, notice %q", resp.StatusCode, testid(doc(t, body), "notice").Text())
	}
}

// A refused sign-in keeps the name and puts the focus on the password, described by the refusal.
func TestSignIn_RefusalFocusesPassword(t *testing.T) {
	c := newConsole(t)
	_, body := c.postAs(t, anonymous, "/signin", url.Values{"username": {adminName}, "password": {"a wrong guess"}})
	d := doc(t, body)
	if d.Find("#password[autofocus]").Length() != 1 || d.Find("#username[autofocus]").Length() != 0 {
		t.Fatal("after a refused sign-in the focus is not on the password")
	}
	if d.Find(`#password[aria-describedby="signin-error"]`).Length() != 1 || d.Find("#signin-error").Length() != 1 {
		t.Fatal("the password field is not described by the refusal")
	}
	describedByExists(t, d)
}
