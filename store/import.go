package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// ImportOptions say how an import treats credentials.
type ImportOptions struct {
	// SecretMissing saves the connections without a credential, marked "secret missing" until an
	// admin enters it: an import from the web, which takes no secrets.
	SecretMissing bool
	// Prior are problems the caller found (an unreadable secret file, a host the outbound policy
	// refuses): reported with the store's own, in line order, and any of them refuses the file.
	Prior []ImportProblem
}

// ImportProfiles saves every row as a new connection, all or nothing: each row is validated as
// the form validates it (names unique in the file and the console), and any problem refuses the
// whole file with an ImportError naming each row's line and column. It returns the saved
// connections' IDs in the file's order.
func (db *DB) ImportProfiles(ctx context.Context, rows []ImportRow, by string, opts ImportOptions) ([]int64, error) {
	ie := &ImportError{}
	prior := map[string]bool{}
	for _, p := range opts.Prior {
		prior[strconv.Itoa(p.Line)+" "+p.Column] = true
	}
	add := func(line int, column, code string, args ...string) {
		if !prior[strconv.Itoa(line)+" "+column] {
			ie.add(line, column, code, args...)
		}
	}
	existing, err := db.profileNames(ctx)
	if err != nil {
		return nil, err
	}
	firstLine := map[string]int{}
	for i := range rows {
		row := &rows[i]
		in := &row.Input
		in.normalize()
		if in.Tags == nil {
			in.Tags = []string{}
		}
		var ve *ValidationError
		if errors.As(in.validate(!opts.SecretMissing), &ve) {
			for _, f := range sortedFields(ve) {
				add(row.Line, importColumn(f), ve.Fields[f].Code, ve.Fields[f].Args...)
			}
		}
		key := strings.ToLower(in.Name)
		switch {
		case in.Name == "":
		case firstLine[key] != 0:
			add(row.Line, "name", CodeImportDuplicate, in.Name, strconv.Itoa(firstLine[key]))
		case existing[key]:
			add(row.Line, "name", CodeProfileNameTaken, in.Name)
		default:
			firstLine[key] = row.Line
		}
	}
	for _, p := range opts.Prior {
		ie.add(p.Line, p.Column, p.Code, p.Args...)
	}
	// Problems read in the file's order, line by line.
	slices.SortStableFunc(ie.Problems, func(a, b ImportProblem) int { return cmp.Compare(a.Line, b.Line) })
	if err := ie.errOrNil(); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(rows))
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		for i := range rows {
			id, err := db.insertProfile(ctx, tx, &rows[i].Input, by, !opts.SecretMissing)
			var ce *ConflictError
			if errors.As(err, &ce) {
				// A name that differs only in a case SQLite folds and Go does not, or one saved meanwhile.
				ie.add(rows[i].Line, ce.Field, ce.Code, ce.Args...)
				return ie
			}
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// importColumn is the file's column for a field the store complained about: the secret comes
// from the file named in secret_file.
func importColumn(field string) string {
	if field == "secret" {
		return "secret_file"
	}
	return field
}

func sortedFields(ve *ValidationError) []string {
	out := make([]string, 0, len(ve.Fields))
	for f := range ve.Fields {
		out = append(out, f)
	}
	// In the file's column order, so the problems read left to right.
	order := func(f string) int {
		if i := slices.Index(ImportColumns, f); i >= 0 {
			return i
		}
		return len(ImportColumns)
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(order(a), order(b)), strings.Compare(a, b)) })
	return out
}

// profileNames are the stored connections' names, lower-cased.
func (db *DB) profileNames(ctx context.Context) (map[string]bool, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT name FROM profiles")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[strings.ToLower(n)] = true
	}
	return out, rows.Err()
}
