package mailer_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// update rewrites the script goldens; the transcript goldens have their own in mailer/exchange.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func TestSetupScript_GoldenPerCloudAndCredential(t *testing.T) {
	for _, ep := range mailer.Clouds() {
		for _, kind := range []string{"secret", "certificate"} {
			name := string(ep.Cloud) + "-" + kind
			t.Run(name, func(t *testing.T) {
				sv := mailer.ScriptValues{ProfileName: "Contoso billing", CredentialKind: kind, Thumbprint: "3F9A1C",
					SetupValues: mailer.SetupValues{AuthModel: mailer.AuthModelPermission, Words: i18n.WordsIn(i18n.EN), Cloud: ep.Cloud, Tenant: "7c0c36f5-af83-4c24-8844-9962e0163719", AppID: "11111111-aaaa-4bbb-8ccc-000000000001",
						ObjectID: "a1000000-0000-4000-8000-000000000001", Mailbox: "billing@contoso.com", From: "noreply@contoso.com", DisplayName: "smtpoauth: Contoso billing"}}
				got := mailer.SetupScript(sv)
				path := filepath.Join("testdata", "golden", "script-"+name+".ps1")
				if *update {
					os.WriteFile(path, []byte(got), 0o644)
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run: go test ./mailer -run Golden -update)", err)
				}
				if got != string(want) {
					t.Fatalf("script differs from %s:\n%s", path, got)
				}
			})
		}
	}
}

// psString reads a PowerShell single-quoted string at the start of s and returns its value and
// what follows. PowerShell treats ' ‘ ’ ‚ ‛ alike; a doubled quote is a literal quote.
func psString(t *testing.T, s string) (value, rest string) {
	t.Helper()
	isQuote := func(r rune) bool { return strings.ContainsRune("'\u2018\u2019\u201a\u201b", r) }
	runes := []rune(s)
	if len(runes) == 0 || !isQuote(runes[0]) {
		t.Fatalf("not a single-quoted string: %q", s)
	}
	var v []rune
	for i := 1; i < len(runes); i++ {
		if isQuote(runes[i]) {
			if i+1 < len(runes) && isQuote(runes[i+1]) {
				v = append(v, runes[i])
				i++
				continue
			}
			return string(v), string(runes[i+1:])
		}
		v = append(v, runes[i])
	}
	t.Fatalf("unterminated string: %q", s)
	return "", ""
}

// Hostile names and addresses stay inside their strings: each assignment holds exactly the value,
// and nothing but a comment follows it on the line.
func TestSetupScript_HostileValuesCannotInject(t *testing.T) {
	hostile := []string{
		`O'Brien'; Remove-Mailbox -Identity ceo@contoso.com -Confirm:$false; '`,
		"x’; Invoke-Expression 'evil' #",
		"$(Remove-Item C:\\ -Recurse) `$env:PATH ${x}",
		"line\nbreak; Write-Host pwned",
		"semi;colon & | > <",
	}
	assign := regexp.MustCompile(`^\$(Tenant|AppId|ObjectId|Mailbox|SendAs|DisplayName)\s+= (.*)$`)
	for _, h := range hostile {
		sv := mailer.ScriptValues{ProfileName: h, SetupValues: mailer.SetupValues{Words: i18n.WordsIn(i18n.EN), Cloud: mailer.CloudGlobal, Tenant: h, AppID: h, ObjectID: h, Mailbox: h, From: h + "x", DisplayName: h}}
		script := mailer.SetupScript(sv)
		seen := 0
		for _, line := range strings.Split(script, "\n") {
			if strings.HasPrefix(line, "# Connection:") && strings.Count(line, "\n") > 0 {
				t.Fatal("the profile name broke out of its comment")
			}
			m := assign.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			seen++
			value, rest := psString(t, m[2])
			if rest = strings.TrimSpace(rest); rest != "" && !strings.HasPrefix(rest, "#") {
				t.Fatalf("value %q: code after the string on line %q", h, line)
			}
			want := strings.ReplaceAll(h, "\n", " ")
			if m[1] == "SendAs" {
				want += "x"
			}
			if value != want {
				t.Fatalf("$%s holds %q, want %q", m[1], value, want)
			}
		}
		if seen != 6 {
			t.Fatalf("found %d assignments, want 6 (a value with a line break split one?)", seen)
		}

	}
}

func TestSetupScript_RefusesPlaceholderObjectID(t *testing.T) {
	script := mailer.SetupScript(mailer.ScriptValues{SetupValues: mailer.SetupValues{Words: i18n.WordsIn(i18n.EN), Cloud: mailer.CloudDoD, Tenant: "t", AppID: "a", Mailbox: "m@x.y"}})
	if !strings.Contains(script, "$ObjectId    = '<object ID") || !strings.Contains(script, "throw 'Set $ObjectId") {
		t.Fatal("without a token the script must refuse to run with a placeholder object ID")
	}
	if !strings.Contains(script, "-ExchangeEnvironmentName O365USGovDoD") {
		t.Fatal("DoD script does not connect to the DoD environment")
	}
}
