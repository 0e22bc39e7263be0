package i18n_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// argVerb finds fmt verbs with an optional explicit argument index, so a language may reorder.
var argVerb = regexp.MustCompile(`%%|%(\[([0-9]+)\])?[-+# 0]*[0-9]*(\.[0-9]+)?[sdvq]`)

// argsUsed lists which arguments (1-based) a template consumes, the way fmt counts them.
func argsUsed(s string) []int {
	var used []int
	next := 1
	for _, m := range argVerb.FindAllStringSubmatch(s, -1) {
		if m[0] == "%%" {
			continue
		}
		if m[2] != "" {
			next, _ = strconv.Atoi(m[2])
		}
		if !slices.Contains(used, next) {
			used = append(used, next)
		}
		next++
	}
	slices.Sort(used)
	return used
}

// emitted lists every message code the domain and the store can put in front of a person, with
// the number of arguments each comes with (-1: any).
func emitted() map[string]int {
	codes := map[string]int{}
	for _, d := range mailer.Catalogue() {
		codes["diag."+d.Code+".title"] = 0
		for _, st := range d.Steps {
			if st.Msg.Code == "" {
				codes["a step of "+d.Code+" without a message code"] = 0
			}
			codes[st.Msg.Code] = len(st.Msg.Args)
		}
	}
	for _, c := range mailer.FieldCodes() {
		codes[c] = -1
	}
	for _, c := range mailer.ClaimCodes() {
		codes[c] = -1
	}
	for _, c := range store.Codes() {
		codes[c] = -1
	}
	for _, c := range fleet.MessageCodes() {
		codes[c] = -1
	}
	for _, c := range fleet.URLCodes() {
		codes[c] = 0
	}
	for _, s := range []mailer.Stage{mailer.StageConnect, mailer.StageBanner, mailer.StageEHLO, mailer.StageSTARTTLS,
		mailer.StageTLS, mailer.StageEHLOTLS, mailer.StageAuth, mailer.StageMail, mailer.StageRcpt, mailer.StageData, mailer.StageQuit} {
		codes["stage."+string(s)] = 0
	}
	return codes
}

// Adding a language is adding a file: every language has exactly the English keys, each with
// the same arguments, and every code the domain or the store can emit has words in all of them.
func TestEveryCodeInEveryLanguage(t *testing.T) {
	texts := i18n.Texts()
	en := texts[i18n.EN]
	for _, l := range i18n.Supported {
		for key, s := range texts[l] {
			ref, ok := en[key]
			switch {
			case !ok:
				t.Errorf("%s: %s is not an English key", l, key)
			case strings.TrimSpace(s) == "":
				t.Errorf("%s: %s is empty", l, key)
			case fmt.Sprint(argsUsed(s)) != fmt.Sprint(argsUsed(ref)):
				t.Errorf("%s: %s uses arguments %v, English %v", l, key, argsUsed(s), argsUsed(ref))
			}
		}
		for key := range en {
			if _, ok := texts[l][key]; !ok {
				t.Errorf("%s: %s is missing", l, key)
			}
		}
		for code, n := range emitted() {
			s, ok := texts[l][code]
			if !ok {
				t.Errorf("%s: the code %s has no words", l, code)
				continue
			}
			if n >= 0 && len(argsUsed(s)) != n {
				t.Errorf("%s: %s uses %d arguments, the domain gives %d", l, code, len(argsUsed(s)), n)
			}
		}
	}
}

// Every diagnosis reads as finished sentences in every language: no key, no fmt error, no code.
func TestCatalogue_EveryLanguageRendersWholeSentences(t *testing.T) {
	for _, l := range i18n.Supported {
		for _, d := range i18n.Catalogue(l) {
			parts := []string{d.Title, d.Explanation}
			for _, st := range d.Steps {
				parts = append(parts, st.Text)
			}
			for _, p := range parts {
				if p == "" && p != d.Explanation || strings.Contains(p, "%!") || strings.Contains(p, "diag.") || strings.Contains(p, "step.") {
					t.Errorf("%s %s: got %q", l, d.Code, p)
				}
			}
		}
	}
}

// The setup script, the checklist and the PowerShell labels ask the catalogue for their words:
// every code they ask for, in every variant, has words in every language, with its arguments.
func TestSetupTexts_EveryCodeInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Supported {
		texts := i18n.Texts()[l]
		words := func(code string, args ...string) string {
			s, ok := texts[code]
			switch {
			case !ok:
				t.Errorf("%s: the setup asks for %s, which has no words", l, code)
			case len(argsUsed(s)) != len(args):
				t.Errorf("%s: %s uses %d arguments, the setup gives %d", l, code, len(argsUsed(s)), len(args))
			}
			return i18n.WordsIn(l)(code, args...)
		}
		for _, cloud := range []mailer.Cloud{mailer.CloudGlobal, mailer.CloudGCCHigh, mailer.CloudDoD, mailer.CloudChina} {
			for _, kind := range []string{"secret", "certificate"} {
				sv := mailer.SetupValues{Words: words, Cloud: cloud, Tenant: "t", AppID: "a", Mailbox: "m@x.y", From: "f@x.y"}
				mailer.SetupScript(mailer.ScriptValues{SetupValues: sv, CredentialKind: kind, Thumbprint: "3F"})
				mailer.Checklist(mailer.ChecklistInput{Values: sv, Tested: true, LastCode: mailer.CodeAuthUnsuccessful,
					SecretLooksLikeID: true, CredentialKind: kind, Claims: &mailer.Claims{ObjectID: "oid"}})
				mailer.Checklist(mailer.ChecklistInput{Values: sv})
			}
		}
	}
}
