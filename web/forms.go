package web

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// profileFields are the connection form's fields from top to bottom: after a refused submit the
// first one with a message gets the focus. A field missing here still gets it, after these.
var profileFields = []string{"name", "cloud", "tenant", "client_id", "auth_model", "credential_kind",
	"secret", "secret_expires_on", "certificate_file", "certificate_password", "certificate", "private_key",
	"mailbox", "from", "smtp_host", "authority", "notes", "tags", "test_recipient"}

// firstError is the field, in form order, that gets the focus after a refused submit.
func firstError(errs map[string]string, order []string) string {
	for _, f := range order {
		if errs[f] != "" {
			return f
		}
	}
	rest := make([]string, 0, len(errs))
	for f, msg := range errs {
		if msg != "" {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	if len(rest) > 0 {
		return rest[0]
	}
	return ""
}

// fieldAttrs are an input's validation attributes. aria-invalid appears only on a field with an
// error: "false" would make Pico draw a green tick on fields nobody has touched. aria-describedby
// names the help and the error that exist, and the first error in order gets autofocus, so the
// page comes back with the cursor where the fix goes, with or without JavaScript.
func fieldAttrs(errs map[string]string, id string, help bool, order []string) templ.Attributes {
	a := templ.Attributes{}
	var described []string
	if help {
		described = append(described, id+"-help")
	}
	if errs[id] != "" {
		a["aria-invalid"] = "true"
		described = append(described, id+"-error")
		if firstError(errs, order) == id {
			a["autofocus"] = true
		}
	}
	if len(described) > 0 {
		a["aria-describedby"] = strings.Join(described, " ")
	}
	return a
}

// In is the validation attributes of the connection form's field id, which has help text.
func (v ProfileFormView) In(id string) templ.Attributes {
	return fieldAttrs(v.Errors, id, true, profileFields)
}

// TokenAction is where step 1's check posts: with the stored credential when editing.
func (v ProfileFormView) TokenAction() string {
	if v.Editing() {
		return "/profiles/" + strconv.FormatInt(v.ID, 10) + "/token"
	}
	return "/wizard/token"
}

// ShowsCertificate says the certificate fields are the chosen credential.
func (v ProfileFormView) ShowsCertificate() bool { return v.Values.CredentialKind == "certificate" }

// userFields and the others are the small forms' fields in order, for the focus.
var (
	userFields  = []string{"username", "role", "password"}
	setupFields = []string{"username", "password", "password2"}
	tokenFields = []string{"name", "role", "scopes", "expires"}
)

// RecipientChoice is how the profile page offers a test message's recipient: the stored one
// and, where the policy allows a domain, any address in it.
type RecipientChoice struct {
	// Stored is the connection's test recipient, empty when none is set.
	Stored string
	// Domains are the domains any address of which may receive a test message.
	Domains []string
	// Typed is what was asked for, Error why it was refused.
	Typed, Error string
}

// Free says a recipient may be typed (an allowed domain exists); otherwise it is chosen.
func (c RecipientChoice) Free() bool { return len(c.Domains) > 0 }

// CanSend says there is someone a test message may go to.
func (c RecipientChoice) CanSend() bool { return c.Stored != "" || c.Free() }

// Value is the recipient the field shows.
func (c RecipientChoice) Value() string {
	if c.Typed != "" {
		return c.Typed
	}
	return c.Stored
}

func (c RecipientChoice) attrs() templ.Attributes {
	errs := map[string]string{"to": c.Error}
	return fieldAttrs(errs, "to", true, []string{"to"})
}

func (c RecipientChoice) domainList() string {
	return strings.Join(slices.Sorted(slices.Values(c.Domains)), ", ")
}

// FieldMessage is one field's error, for lists of them.
type FieldMessage struct{ Field, Message string }

// orderedErrors lists errors in the connection form's order, so a list of them reads top-down.
func orderedErrors(errs map[string]string) []FieldMessage {
	rest := map[string]string{}
	for f, m := range errs {
		rest[f] = m
	}
	var out []FieldMessage
	for f := firstError(rest, profileFields); f != ""; f = firstError(rest, profileFields) {
		out = append(out, FieldMessage{f, rest[f]})
		delete(rest, f)
	}
	return out
}

// fieldLink is the in-page link to a field of the connection form ("" for an error of no field).
func fieldLink(f string) templ.SafeURL {
	if !slices.Contains(profileFields, f) {
		return ""
	}
	return templ.SafeURL("#" + f)
}

// attrs puts the focus on the user name, or after a refused sign-in on the password (the name is
// kept), with both fields described by the refusal.
func (v SignInView) attrs(field string) templ.Attributes {
	if v.Error == "" {
		if field == "username" {
			return templ.Attributes{"autofocus": true}
		}
		return templ.Attributes{}
	}
	a := templ.Attributes{"aria-describedby": "signin-error"}
	focus := "username"
	if v.Username != "" {
		focus = "password"
	}
	if field == focus {
		a["autofocus"] = true
	}
	return a
}
