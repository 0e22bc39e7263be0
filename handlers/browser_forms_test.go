package handlers_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// The wizard guides: nothing is marked before anyone types; the credential radios switch the
// fields; a GUID typed as the secret is flagged at once; a refused save comes back at /wizard
// with the focus on the first error and the error in other colours than the help; step 1's
// check (htmx) moves the focus to its first error too.
func TestBrowser_FormsGuide(t *testing.T) {
	c := newConsole(t)
	ctx := browser(t)
	browserSignIn(t, ctx, c, adminName)
	poll := func(expr, what string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("waiting for %s (%s): %v", what, expr, err)
		}
	}
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/wizard"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="profile-form"]`))), "opening the wizard")
	untouched, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify([document.querySelectorAll('[aria-invalid]').length,
		document.querySelectorAll(':user-invalid').length, getComputedStyle(document.querySelector('#name')).backgroundImage])`))
	must(t, err, "reading the untouched form")
	if untouched != `[0,0,"none"]` {
		t.Fatalf("untouched form: [aria-invalid, :user-invalid, #name's icon] = %s, want [0,0,\"none\"]", untouched)
	}

	shown := func(sel string) string {
		return `getComputedStyle(document.querySelector('` + sel + `')).display !== 'none' && document.querySelector('` + sel + `').offsetParent !== null`
	}
	poll(shown("#secret")+` && !(`+shown("#certificate_file")+`)`, "the secret's fields only")
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="kind-certificate"]`))), "choosing the certificate")
	poll(shown("#certificate_file")+` && `+shown("#certificate_password")+` && !(`+shown("#secret")+`)`, "the certificate's fields only")
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="kind-secret"]`)),
		chromedp.SendKeys(chromedp.CSS("#secret"), "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8")), "typing a GUID as the secret")
	poll(`!document.querySelector('#secret-guid').hidden && document.querySelector('#secret').getAttribute('aria-describedby').includes('secret-guid')`, "the Secret ID note")
	must(t, chromedp.Do(ctx, chromedp.Clear(chromedp.CSS("#secret")), chromedp.SendKeys(chromedp.CSS("#secret"), "abc~real.value")), "typing a real secret")
	poll(`document.querySelector('#secret-guid').hidden`, "the note gone for a real value")

	// A refused save: same address, focus on the first error, error and help told apart.
	must(t, chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#tenant"), "not a tenant"),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="form-errors"]`))), "saving an incomplete form")
	poll(`location.pathname === '/wizard' && document.activeElement && document.activeElement.id === 'name'`, "the focus on the first error (#name) at /wizard")
	colours, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify([getComputedStyle(document.querySelector('#name-help')).color, getComputedStyle(document.querySelector('#name-error')).color])`))
	var help, errc string
	if parts := strings.Split(strings.Trim(colours, `[]`), `","`); len(parts) == 2 {
		help, errc = parts[0], parts[1]
	}
	if help == "" || help == errc {
		t.Fatalf("help and error share a colour: %s", colours)
	}
	if tenant, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#tenant').value`)); tenant != "not a tenant" {
		t.Fatalf("the form lost what was typed: %q", tenant)
	}
	artifact(t, ctx, "form-errors.png")

	// Step 1's check through htmx: its first error's field gets the focus, marked and described.
	must(t, chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#name"), "Guided"), chromedp.Focus(chromedp.CSS("#name")),
		chromedp.Click(chromedp.CSS(`[data-testid="check-token"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="token-errors"]`))), "checking an incomplete app")
	poll(`document.activeElement && document.activeElement.id === 'tenant' && document.activeElement.getAttribute('aria-invalid') === 'true' && document.activeElement.getAttribute('aria-describedby').includes('token-error-tenant')`, "the focus on the check's first error (#tenant)")
	if path, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`)); path != "/wizard" {
		t.Fatalf("the check moved the page to %s", path)
	}
}

// On the edit page a new certificate is uploaded as a PFX file from the browser, step 1's check
// with nothing typed uses the stored credential, and saving says so on the connection's page.
func TestBrowser_EditUploadsCertificateAndConfirms(t *testing.T) {
	c := newConsole(t)
	f, cert := certificateForm(t, c)
	f.Set("name", "Cert")
	f.Set("certificate_password", pfxPassword)
	pfx, err := pkcs12.Modern2023.Encode(cert.Key, cert.Leaf, nil, pfxPassword)
	must(t, err, "making the PFX")
	if resp, body := c.postMultipart(t, "/wizard", f, map[string][]byte{"certificate_file": pfx}); resp.StatusCode != 303 {
		t.Fatalf("saving the connection: %d\n%s", resp.StatusCode, body)
	}
	file := filepath.Join(t.TempDir(), "app.pfx")
	must(t, os.WriteFile(file, pfx, 0o600), "writing the PFX")

	ctx := browser(t)
	browserSignIn(t, ctx, c, adminName)
	poll := func(expr, what string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/profiles/1/edit"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="cert-status"]`))), "opening the edit page")
	// Nothing typed: the stored certificate fetches the token.
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="check-token"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="token-ok"]`))), "checking with the stored certificate")
	poll(`document.querySelector('[data-testid="check-roles"]') !== null`, "the claims")

	// A wrong password comes back at the file field, nothing saved.
	must(t, chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#certificate_file"), []string{file}),
		chromedp.SetValue(chromedp.CSS("#certificate_password"), "wrong"),
		chromedp.Click(chromedp.CSS(`input[name="mode"][value="none"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-certificate_file"]`))), "saving with a wrong password")
	poll(`location.pathname === '/profiles/1/edit' && document.activeElement && document.activeElement.id === 'certificate_file'`, "the focus on the file field")
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#certificate_password').value`)); v != "" {
		t.Fatal("the password came back in its field")
	}

	must(t, chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#certificate_file"), []string{file}),
		chromedp.SetValue(chromedp.CSS("#certificate_password"), pfxPassword),
		chromedp.Click(chromedp.CSS(`input[name="mode"][value="none"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[role="status"][data-testid="notice"]`))), "saving the uploaded certificate")
	poll(`location.pathname === '/profiles/1' && document.querySelector('[data-testid="notice"]').textContent.includes('saved')`, "the confirmation on the connection's page")
	cred, err := c.DB.Credential(t.Context(), 1)
	if err != nil || cred.Certificate == nil || cred.Certificate.Thumbprint() != cert.Thumbprint() {
		t.Fatalf("stored credential after the upload: %v", err)
	}
	artifact(t, ctx, "form-saved.png")
}
