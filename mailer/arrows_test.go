package mailer_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/smtpoauth/smtpoauth"

// arrowRules are the directions the house allows, checked on every package's non-test imports
// (direct and indirect): adapters import the core, the core imports none of them, and only cmd
// (and tests) wire in the OAuth/SMTP client and the fake Exchange.
var arrowRules = []struct {
	// from is a package path below the module; a trailing "/..." includes its subpackages.
	from      string
	forbidden []string
}{
	{"mailer", []string{"store/...", "handlers/...", "web/...", "mailer/exchange/...", "mailer/mailertest/...", "cmd/..."}},
	// The fleet's decisions are core too: they work against the core's interfaces only.
	{"mailer/fleet/...", []string{"store/...", "handlers/...", "web/...", "mailer/exchange/...", "mailer/mailertest/...", "cmd/..."}},
	{"mailer/exchange/...", []string{"store/...", "handlers/...", "web/...", "mailer/mailertest/...", "cmd/..."}},
	{"store/...", []string{"mailer/exchange/...", "mailer/mailertest/...", "handlers/...", "web/...", "cmd/..."}},
	{"handlers/...", []string{"mailer/exchange/...", "mailer/mailertest/...", "cmd/..."}},
	{"web/...", []string{"mailer/exchange/...", "mailer/mailertest/...", "store/...", "handlers/...", "cmd/..."}},
}

// matches reports whether path (below the module) is pattern or, for "x/...", x or below it.
func matches(pattern, path string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}

// wrongArrows lists every forbidden dependency in deps (package → its dependencies, both as
// full import paths).
func wrongArrows(deps map[string][]string) []string {
	var wrong []string
	for pkg, pkgDeps := range deps {
		from, ok := strings.CutPrefix(pkg, module+"/")
		if !ok {
			continue
		}
		for _, rule := range arrowRules {
			if !matches(rule.from, from) {
				continue
			}
			for _, d := range pkgDeps {
				to, ok := strings.CutPrefix(d, module+"/")
				if !ok {
					continue
				}
				for _, f := range rule.forbidden {
					if matches(f, to) {
						wrong = append(wrong, from+" → "+to)
					}
				}
			}
		}
	}
	slices.Sort(wrong)
	return wrong
}

// TestArrows_AdaptersNeverReachTheClientAndTheCoreReachesNoAdapter walks `go list -deps` of
// every package in the module (test files excluded) and fails on a wrong arrow.
func TestArrows_AdaptersNeverReachTheClientAndTheCoreReachesNoAdapter(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list packages with")
	}
	cmd := exec.Command(gobin, "list", "-json=ImportPath,Deps", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	deps := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Deps       []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		deps[p.ImportPath] = p.Deps
	}
	for _, want := range []string{"mailer", "mailer/exchange", "mailer/fleet", "store", "handlers", "web", "web/i18n"} {
		if _, ok := deps[module+"/"+want]; !ok {
			t.Fatalf("go list did not list %s; the rules would check nothing", want)
		}
	}
	if wrong := wrongArrows(deps); len(wrong) > 0 {
		t.Fatalf("wrong arrows (see the README's Development section):\n%s", strings.Join(wrong, "\n"))
	}
}

// The rules catch the arrows they are for: a store that reaches the client through another
// package, a core that imports an adapter.
func TestArrows_WrongArrowsAreReported(t *testing.T) {
	deps := map[string][]string{
		module + "/store":           {"context", module + "/mailer", module + "/mailer/exchange"},
		module + "/mailer":          {"time", module + "/web/i18n"},
		module + "/handlers/runhub": {module + "/mailer/mailertest"},
		module + "/cmd/smtpoauth":   {module + "/mailer/exchange", module + "/mailer/mailertest"},
		module + "/mailer/exchange": {module + "/mailer"},
		module + "/mailer/fleet":    {module + "/mailer", module + "/mailer/exchange"},
	}
	got := wrongArrows(deps)
	want := []string{"handlers/runhub → mailer/mailertest", "mailer → web/i18n", "mailer/fleet → mailer/exchange", "store → mailer/exchange"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
