package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

const importSynopsis = `import [flags] FILE

Adds the connections listed in a CSV file, all or nothing. The first line names the columns:
  name, tenant, client_id, mailbox (required), cloud, from, test_recipient, smtp_host, authority,
  auth_model, secret_expires_on, notes, tags, secret_file (required)
secret_file names a file holding that connection's client secret value (relative to FILE's
folder); secrets are never read from the CSV itself. Commas or semicolons separate the cells.
Every problem is reported with its line and column, and then nothing is saved.`

// maxSecretFileBytes bounds a secret file: a client secret is about 40 characters, so anything
// much larger is the wrong file.
const maxSecretFileBytes = 4096

func runImport(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("import", importSynopsis, e)
	var data dataFlags
	data.register(fs, e.getenv)
	var out outboundFlags
	out.register(fs, e.getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("import needs the CSV file's name: smtpoauth import FILE")
	}
	policy, err := out.policy()
	if err != nil {
		return err
	}
	path := fs.Arg(0)
	rows, err := readImportFile(path)
	if err != nil {
		return err
	}
	var prior []store.ImportProblem
	for i := range rows {
		row := &rows[i]
		if err := policy.CheckOverrides(row.Input.SMTPHost, row.Input.Authority); err != nil {
			for _, e := range unjoinErrs(err) {
				var fe *mailer.FieldError
				if errors.As(e, &fe) {
					prior = append(prior, store.ImportProblem{Line: row.Line, Column: fe.Field, Message: fe.Message})
				}
			}
		}
		secret, err := readSecretFile(filepath.Dir(path), row.Extra["secret_file"])
		if err != nil {
			prior = append(prior, store.ImportProblem{Line: row.Line, Column: "secret_file",
				Message: mailer.Msg(store.CodeImportSecretFile, row.Extra["secret_file"], err.Error())})
		}
		row.Input.Secret = secret
	}
	log, _ := data.logger(io.Discard)
	db, _, err := data.openStore(ctx, e, log)
	if err != nil {
		return err
	}
	defer db.Close()
	by := cliActor()
	ids, err := db.ImportProfiles(ctx, rows, by, store.ImportOptions{Prior: prior})
	if err != nil {
		return importError(path, err)
	}
	detail := fmt.Sprintf("%d connections from %s, from the command line", len(ids), filepath.Base(path))
	if err := db.Audit(ctx, store.AuditEntry{Actor: by, Action: "profiles.imported", Target: strconv.Itoa(len(ids)), Detail: detail}); err != nil {
		fmt.Fprintf(e.stderr, "smtpoauth: warning: the audit log did not record the import: %v\n", err)
	}
	fmt.Fprintf(e.stdout, "Imported %d connections from %s.\n", len(ids), path)
	return nil
}

// readImportFile opens and reads the CSV, refusing a file too large before reading it.
func readImportFile(path string) ([]store.ImportRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageError("cannot open the import file: %v", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > store.MaxImportBytes {
		return nil, importError(path, &store.ImportError{Problems: []store.ImportProblem{{Message: mailer.Msg(store.CodeImportTooLarge, strconv.Itoa(store.MaxImportBytes>>20))}}})
	}
	rows, err := store.ReadImportCSV(f, "secret_file")
	if err != nil {
		return nil, importError(path, err)
	}
	return rows, nil
}

// readSecretFile reads one secret file, relative to the CSV's folder; its content never
// appears in a message.
func readSecretFile(dir, name string) (string, error) {
	if strings.TrimSpace(name) == "" {
		return "", errors.New("no file named")
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(dir, name)
	}
	f, err := os.Open(name)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return "", pe.Err
		}
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFileBytes+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxSecretFileBytes {
		return "", fmt.Errorf("larger than %d bytes: not a client secret", maxSecretFileBytes)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// importError prints an ImportError's problems one a line, "FILE:LINE: column: message".
func importError(path string, err error) error {
	var ie *store.ImportError
	if !errors.As(err, &ie) {
		return err
	}
	var lines []string
	for _, p := range ie.Problems {
		where := path
		if p.Line > 0 {
			where += ":" + strconv.Itoa(p.Line)
		}
		if p.Column != "" {
			where += ": " + p.Column
		}
		lines = append(lines, where+": "+i18n.Msg(i18n.EN, p.Message))
	}
	if ie.More > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more problems", ie.More))
	}
	lines = append(lines, "Nothing was imported.")
	return usageError("%s", strings.Join(lines, "\n"))
}
