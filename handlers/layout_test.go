package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every page names an icon that exists, and /favicon.ico (which browsers and tools ask for on
// their own) answers: no 404 in every page's console.
func TestFavicon_ServedAndLinked(t *testing.T) {
	c := newConsole(t)
	resp, body := c.getAs(t, anonymous, "/favicon.ico")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") || len(body) < 22 {
		t.Fatalf("GET /favicon.ico: got %d %q (%d bytes), want 200 and an image", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	for _, path := range []string{"/", "/signin", "/runs"} {
		_, page := c.get(t, path)
		href, ok := doc(t, page).Find(`link[rel~="icon"]`).Attr("href")
		if !ok {
			t.Fatalf("%s has no <link rel=icon>", path)
		}
		if r, _ := c.getAs(t, anonymous, href); r.StatusCode != http.StatusOK {
			t.Fatalf("%s links the icon %s, which answers %d", path, href, r.StatusCode)
		}
	}
}

// A 404 says what was not found: an unknown address is not "this connection or test run".
func TestNotFound_SaysWhatWasNotFound(t *testing.T) {
	c := newConsole(t)
	for _, tc := range []struct{ path, want string }{
		{"/no/such/page", "no page at /no/such/page"},
		{"/runs/0123456789abcdef", "This test run does not exist"},
		{"/profiles/999", "This connection does not exist"},
		{"/profiles/999/setup", "This connection does not exist"},
	} {
		resp, body := c.get(t, tc.path)
		msg := strings.Join(strings.Fields(testid(doc(t, body), "error").Text()), " ")
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(msg, tc.want) || strings.Contains(msg, "connection or test run") {
			t.Errorf("GET %s: got %d %q, want 404 saying %q", tc.path, resp.StatusCode, msg, tc.want)
		}
	}
	// The address is shown as text, never as markup.
	if _, body := c.get(t, "/%3Cb%3Ex"); strings.Contains(body, "<b>x") {
		t.Fatal("the unknown address is echoed as markup")
	}
}

// On a first start nobody can sign in: the sign-in page says where the setup link is. Once a
// user exists it does not.
func TestSignIn_FirstStartExplainsSetupLink(t *testing.T) {
	fresh := newConsoleWithoutUsers(t)
	_, body := fresh.getAs(t, anonymous, "/signin")
	note := testid(doc(t, body), "first-start").Text()
	if !strings.Contains(note, "setup_link") || !strings.Contains(note, "smtpoauth user add") {
		t.Fatalf("first start sign-in page: got %q, want the setup link explained", strings.Join(strings.Fields(note), " "))
	}
	c := newConsole(t)
	_, body = c.getAs(t, anonymous, "/signin")
	if testid(doc(t, body), "first-start").Length() != 0 {
		t.Fatal("the sign-in page talks about the setup link while users exist")
	}
}

// On a phone the navigation is a menu that opens without JavaScript (a <details>) and holds
// every link of the row, signing out included.
func TestNavigation_PhoneMenuWithoutJavaScript(t *testing.T) {
	c := newConsole(t)
	_, body := c.get(t, "/")
	d := doc(t, body)
	menu := d.Find(`details[data-testid="nav-menu"]`)
	if menu.Length() != 1 || menu.Find("summary").Length() != 1 {
		t.Fatal("no <details> menu in the navigation")
	}
	for _, href := range []string{"/", "/wizard", "/runs", "/users", "/audit"} {
		if menu.Find(`a[href="`+href+`"]`).Length() != 1 {
			t.Errorf("the phone menu lacks %s", href)
		}
	}
	if menu.Find(`form[action="/signout"]`).Length() != 1 {
		t.Error("the phone menu cannot sign out")
	}
}

// Removing a user and revoking a token ask first, without JavaScript: the visible button only
// opens the question; the form that acts is inside it.
func TestDangerButtons_AskFirst(t *testing.T) {
	c := newConsole(t)
	c.post(t, "/tokens", url.Values{"name": {"monitoring"}, "role": {"helpdesk"}, "scopes": {"api"}, "expires": {"90"}})
	for path, id := range map[string]string{"/users": "remove-user", "/tokens": "revoke-token"} {
		_, body := c.get(t, path)
		d := doc(t, body)
		ask := d.Find(`details[data-testid="` + id + `"]`)
		if ask.Length() == 0 {
			t.Errorf("%s: no confirming %s", path, id)
			continue
		}
		if ask.Find("summary").Length() != 1 || ask.Find(`form button[type="submit"]`).Length() != 1 {
			t.Errorf("%s: %s does not ask before acting", path, id)
		}
		if d.Find(`td.row-actions > form button[type="submit"]`).Length() != 0 {
			t.Errorf("%s: a one-click destructive button is still there", path)
		}
	}
}

// A tenant GUID is shortened in the table, with the whole value in its title, for screen
// readers, and on a copy button.
func TestDashboard_GUIDShortenedWithFullValue(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	_, body := c.get(t, "/")
	d := doc(t, body)
	tenant := f.Get("tenant")
	cell := d.Find(`[data-testid="profile-row"] .guid`).First()
	if cell.Length() == 0 {
		t.Fatal("no shortened GUID in the connections table")
	}
	shown := cell.Find(`[aria-hidden="true"]`).Text()
	title, _ := cell.Find("code").Attr("title")
	copyText, _ := cell.Find("button").Attr("data-copy-text")
	if len(shown) >= len(tenant) || !strings.HasPrefix(tenant, strings.TrimSuffix(shown, "…")) || title != tenant || copyText != tenant {
		t.Fatalf("tenant %s shown as %q, title %q, copy %q", tenant, shown, title, copyText)
	}
}
