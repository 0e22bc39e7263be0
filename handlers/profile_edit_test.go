package handlers_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// The edit form shows a certificate connection's certificate and never its key; sending the form
// back with only the notes changed saves, and the stored key still signs in.
func TestUpdateProfile_CertificateKeptWithoutItsKey(t *testing.T) {
	c := newConsole(t)
	sc, _ := mailertest.ScenarioByName(c.Scenarios, "certificate")
	f := c.scenarioForm(t, "certificate")
	f.Del("secret")
	f.Set("credential_kind", "certificate")
	f.Set("certificate_pem", string(sc.CertPEM))
	f.Set("private_key_pem", string(sc.KeyPEM))
	f.Set("mode", "none")
	if resp, body := c.post(t, "/profiles", f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: got %d\n%s", resp.StatusCode, body)
	}
	_, page := c.get(t, "/profiles/1/edit")
	form := doc(t, page).Find(`form[data-testid="profile-form"]`)
	if form.Length() != 1 {
		t.Fatal("no edit form")
	}
	edit := f
	edit.Set("certificate_pem", form.Find(`textarea[name="certificate_pem"]`).Text())
	edit.Set("private_key_pem", form.Find(`textarea[name="private_key_pem"]`).Text())
	edit.Set("notes", "renewed in March")
	if resp, body := c.post(t, "/profiles/1", edit); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit without the key: got %d\n%s", resp.StatusCode, body)
	}
	p, err := c.DB.Profile(context.Background(), 1)
	if err != nil || p.Notes != "renewed in March" {
		t.Fatalf("notes not saved: %+v %v", p, err)
	}
	if cred, err := c.DB.Credential(context.Background(), 1); err != nil || cred.Certificate == nil {
		t.Fatalf("the stored key no longer opens: %v", err)
	}
}
