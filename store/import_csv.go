package store

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Bounds on an import file: a help desk's fleet fits with room to spare, and a mistaken upload
// (a spreadsheet's binary, a log) is refused before it costs memory.
const (
	MaxImportBytes = 2 << 20
	MaxImportRows  = 5000
	// maxImportProblems is how many problems an ImportError lists; the rest are counted.
	maxImportProblems = 100
)

// ImportColumns are the columns an import file may have, named in its header line in any
// order; name, tenant, client_id and mailbox are required. They are the names the form and the
// API use for the same fields, so a problem's column is the field the store complained about.
var ImportColumns = []string{"name", "cloud", "tenant", "client_id", "mailbox", "from", "test_recipient", "smtp_host",
	"authority", "auth_model", "secret_expires_on", "notes", "tags"}

var requiredImportColumns = []string{"name", "tenant", "client_id", "mailbox"}

// secretColumns are columns that would carry a credential: refused unless the caller reads them.
var secretColumns = []string{"secret", "secret_file", "client_secret", "private_key", "private_key_pem", "password"}

// The codes of import problems.
const (
	CodeImportTooLarge      = "store.import_too_large"
	CodeImportTooManyRows   = "store.import_too_many_rows"
	CodeImportEmpty         = "store.import_empty"
	CodeImportColumnUnknown = "store.import_column_unknown"
	CodeImportColumnMissing = "store.import_column_missing"
	CodeImportColumnTwice   = "store.import_column_twice"
	CodeImportSecretColumn  = "store.import_secret_column"
	CodeImportFieldCount    = "store.import_field_count"
	CodeImportQuote         = "store.import_quote"
	CodeImportUnreadable    = "store.import_unreadable"
	CodeImportDuplicate     = "store.import_duplicate"
	CodeImportSecretFile    = "store.import_secret_file"
)

// ImportRow is one connection read from an import file.
type ImportRow struct {
	// Line is the row's line in the file (the header is line 1).
	Line  int
	Input ProfileInput
	// Extra holds the extra columns the caller asked for (e.g. "secret_file"), by name.
	Extra map[string]string
}

// ImportProblem is one thing wrong with an import file, at a line and column (column "" is the
// whole line or file; line 0 is the file).
type ImportProblem struct {
	Line   int
	Column string
	mailer.Message
}

// ImportError lists what is wrong with an import file; nothing was saved.
type ImportError struct {
	Problems []ImportProblem
	// More counts the problems left out of Problems.
	More int
}

func (e *ImportError) add(line int, column string, code string, args ...string) {
	if len(e.Problems) >= maxImportProblems {
		e.More++
		return
	}
	e.Problems = append(e.Problems, ImportProblem{Line: line, Column: column, Message: mailer.Msg(code, args...)})
}

func (e *ImportError) errOrNil() error {
	if len(e.Problems) == 0 {
		return nil
	}
	return e
}

func (e *ImportError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		parts = append(parts, fmt.Sprintf("line %d %s: %s", p.Line, p.Column, strings.Join(append([]string{p.Code}, p.Args...), " ")))
	}
	if e.More > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", e.More))
	}
	return "invalid import: " + strings.Join(parts, "; ")
}

// ReadImportCSV reads an import file: a header line naming ImportColumns (plus extra, the
// columns the caller handles itself), then one connection per line. Commas or semicolons
// separate the cells (spreadsheets in German write semicolons); a UTF-8 byte-order mark is
// skipped; a cell that an export protected against formulas ('=…) loses its quote mark again.
func ReadImportCSV(r io.Reader, extra ...string) ([]ImportRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, err
	}
	ie := &ImportError{}
	if len(data) > MaxImportBytes {
		ie.add(0, "", CodeImportTooLarge, strconv.Itoa(MaxImportBytes>>20))
		return nil, ie
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	if first, _, _ := bufio.NewReader(bytes.NewReader(data)).ReadLine(); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	header, err := cr.Read()
	if err == io.EOF {
		ie.add(0, "", CodeImportEmpty)
		return nil, ie
	}
	if err != nil {
		csvProblem(ie, err)
		return nil, ie
	}
	cols := readHeader(ie, header, extra)
	if err := ie.errOrNil(); err != nil {
		return nil, err
	}
	var rows []ImportRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			csvProblem(ie, err)
			// A quote left open swallows the rest of the file: nothing more can be read reliably.
			var pe *csv.ParseError
			if !errors.As(err, &pe) || !errors.Is(pe.Err, csv.ErrFieldCount) {
				return nil, ie
			}
			continue
		}
		if len(rows) == MaxImportRows {
			ie.add(0, "", CodeImportTooManyRows, strconv.Itoa(MaxImportRows))
			return nil, ie
		}
		line, _ := cr.FieldPos(0)
		row := ImportRow{Line: line, Extra: map[string]string{}}
		for i, v := range rec {
			row.set(cols[i], unprotectCell(v), extra)
		}
		rows = append(rows, row)
	}
	if err := ie.errOrNil(); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		ie.add(0, "", CodeImportEmpty)
		return nil, ie
	}
	return rows, nil
}

// readHeader checks the header line and returns each position's column name.
func readHeader(ie *ImportError, header, extra []string) []string {
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		c := strings.ToLower(strings.TrimSpace(h))
		cols[i] = c
		switch {
		case seen[c]:
			ie.add(1, c, CodeImportColumnTwice, c)
		case slices.Contains(ImportColumns, c) || slices.Contains(extra, c):
		case slices.Contains(secretColumns, c):
			ie.add(1, c, CodeImportSecretColumn, c)
		default:
			ie.add(1, c, CodeImportColumnUnknown, c, strings.Join(append(slices.Clone(ImportColumns), extra...), ", "))
		}
		seen[c] = true
	}
	for _, c := range requiredImportColumns {
		if !seen[c] {
			ie.add(1, c, CodeImportColumnMissing, c)
		}
	}
	return cols
}

func (row *ImportRow) set(col, v string, extra []string) {
	in := &row.Input
	switch col {
	case "name":
		in.Name = v
	case "cloud":
		in.Cloud = v
	case "tenant":
		in.Tenant = v
	case "client_id":
		in.ClientID = v
	case "mailbox":
		in.Mailbox = v
	case "from":
		in.From = v
	case "test_recipient":
		in.TestRecipient = v
	case "smtp_host":
		in.SMTPHost = v
	case "authority":
		in.Authority = v
	case "auth_model":
		in.AuthModel = v
	case "secret_expires_on":
		in.SecretExpiresOn = v
	case "notes":
		in.Notes = v
	case "tags":
		in.Tags = ParseTags(v)
	default:
		if slices.Contains(extra, col) {
			row.Extra[col] = v
		}
	}
}

func csvProblem(ie *ImportError, err error) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		ie.add(0, "", CodeImportUnreadable)
		return
	}
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		ie.add(pe.Line, "", CodeImportFieldCount)
	case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
		ie.add(pe.Line, "", CodeImportQuote)
	default:
		ie.add(pe.Line, "", CodeImportUnreadable)
	}
}

// ProtectCell makes a text safe to open in a spreadsheet: a cell starting with = + - @ (or a tab
// or carriage return) would be read as a formula, so it gets a leading quote mark, as OWASP advises.
func ProtectCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// unprotectCell undoes ProtectCell, so an exported file imports as it was.
func unprotectCell(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// ReadImportCSVString is ReadImportCSV over a string, for tests and small callers.
func ReadImportCSVString(s string, extra ...string) ([]ImportRow, error) {
	return ReadImportCSV(strings.NewReader(s), extra...)
}
