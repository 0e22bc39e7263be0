package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
)

const importCSVHeader = "name,tenant,client_id,mailbox,tags,secret_file\n"

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestImportCLI(t *testing.T) {
	env := map[string]string{"USER": "alice"}
	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		d := []string{"--data-dir", filepath.Join(dir, "data")}
		writeFile(t, filepath.Join(dir, "contoso.secret"), mailertest.WorkingSecret+"\n")
		writeFile(t, filepath.Join(dir, "fleet.csv"), importCSVHeader+
			"Contoso billing,"+mailertest.ContosoTenantID+",11111111-aaaa-4bbb-8ccc-000000000001,billing@contoso.com,\"Contoso, north\",contoso.secret\n"+
			"Contoso sales,"+mailertest.ContosoTenantID+",11111111-aaaa-4bbb-8ccc-000000000001,sales@contoso.com,Contoso,contoso.secret\n")
		res := runCLI(t, env, "", append(append([]string{"import"}, d...), filepath.Join(dir, "fleet.csv"))...)
		if res.code != 0 || !strings.Contains(res.stdout, "Imported 2 connections") {
			t.Fatalf("import: exit %d %s %s", res.code, res.stdout, res.stderr)
		}
		show := runCLI(t, env, "", append(append([]string{"profile", "show"}, d...), "Contoso billing")...)
		if !strings.Contains(show.stdout, "Contoso, north") || !strings.Contains(show.stdout, "secret Abc… set") {
			t.Fatalf("show after import:\n%s", show.stdout)
		}
		if strings.Contains(res.stdout+res.stderr+show.stdout, mailertest.WorkingSecret) {
			t.Fatal("the secret was printed")
		}
	})
	t.Run("ErrEveryProblemNothingSaved", func(t *testing.T) {
		dir := t.TempDir()
		d := []string{"--data-dir", filepath.Join(dir, "data")}
		writeFile(t, filepath.Join(dir, "ok.secret"), mailertest.WorkingSecret)
		writeFile(t, filepath.Join(dir, "huge.secret"), strings.Repeat("s", 5000))
		writeFile(t, filepath.Join(dir, "fleet.csv"), importCSVHeader+
			"Good,"+mailertest.ContosoTenantID+",11111111-aaaa-4bbb-8ccc-000000000001,billing@contoso.com,,ok.secret\n"+
			"Bad tenant,not a tenant!,11111111-aaaa-4bbb-8ccc-000000000001,billing@contoso.com,,ok.secret\n"+
			"No secret,"+mailertest.ContosoTenantID+",11111111-aaaa-4bbb-8ccc-000000000001,billing@contoso.com,,missing.secret\n"+
			"Huge,"+mailertest.ContosoTenantID+",11111111-aaaa-4bbb-8ccc-000000000001,billing@contoso.com,@evil,huge.secret\n")
		res := runCLI(t, env, "", append(append([]string{"import"}, d...), filepath.Join(dir, "fleet.csv"))...)
		if res.code != 2 {
			t.Fatalf("exit %d, want 2: %s", res.code, res.stderr)
		}
		for _, want := range []string{"fleet.csv:3: tenant:", "fleet.csv:4: secret_file: the secret file \"missing.secret\" cannot be used",
			"fleet.csv:5: tags:", "fleet.csv:5: secret_file:", "larger than 4096 bytes", "Nothing was imported."} {
			if !strings.Contains(res.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
			}
		}
		if strings.Contains(res.stderr, mailertest.WorkingSecret) || strings.Contains(res.stderr, "sssss") {
			t.Fatal("a secret file's content was printed")
		}
		list := runCLI(t, env, "", append([]string{"profile", "list"}, d...)...)
		if strings.Contains(list.stdout, "Good") {
			t.Fatalf("a row was saved from a refused file:\n%s", list.stdout)
		}
	})
	t.Run("ErrFileTooLarge", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "big.csv")
		writeFile(t, path, importCSVHeader+strings.Repeat("x", store.MaxImportBytes))
		res := runCLI(t, env, "", "import", "--data-dir", filepath.Join(dir, "data"), path)
		if res.code != 2 || !strings.Contains(res.stderr, "larger than 2 MB") {
			t.Fatalf("exit %d %s", res.code, res.stderr)
		}
	})
	t.Run("ErrNoFile", func(t *testing.T) {
		res := runCLI(t, env, "", "import", "--data-dir", t.TempDir())
		if res.code != 2 || !strings.Contains(res.stderr, "FILE") {
			t.Fatalf("exit %d %s", res.code, res.stderr)
		}
	})
}
