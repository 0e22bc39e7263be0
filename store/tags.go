package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Bounds on a connection's tags: enough for a customer, a site and a team, few enough that a
// table cell and a CSV cell stay readable.
const (
	MaxTags      = 10
	MaxTagLength = 40
)

// The codes of the tag rules' messages.
const (
	CodeTagsTooMany = "store.tags_too_many"
	CodeTagTooLong  = "store.tag_too_long"
	CodeTagInvalid  = "store.tag_invalid"
	// CodeSecretMissing: a connection imported without its secret is tested.
	CodeSecretMissing = "store.secret_missing"
)

// ParseTags splits a comma-separated list of tags, as a form field or a CSV cell holds them,
// trimming each and dropping empty ones. It never returns nil, so the result always replaces the
// stored tags.
func ParseTags(s string) []string {
	out := []string{}
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// JoinTags is the inverse of ParseTags.
func JoinTags(tags []string) string { return strings.Join(tags, ", ") }

// normalizeTags trims the tags and drops repeats (compared without case, the first spelling
// kept); nil stays nil, meaning "keep the stored tags".
func normalizeTags(tags []string) []string {
	if tags == nil {
		return nil
	}
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if k := strings.ToLower(t); t != "" && !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// validateTags checks normalised tags: at most MaxTags, each at most MaxTagLength characters
// of letters, digits, spaces and . _ - & /, starting with a letter or digit (so that no tag
// reads as a spreadsheet formula or an option).
func validateTags(f *fields, tags []string) {
	if len(tags) > MaxTags {
		f.add("tags", mailer.Msg(CodeTagsTooMany, strconv.Itoa(MaxTags)))
		return
	}
	for _, t := range tags {
		if utf8.RuneCountInString(t) > MaxTagLength {
			f.add("tags", mailer.Msg(CodeTagTooLong, t[:runeOffset(t, 20)]+"…", strconv.Itoa(MaxTagLength)))
			return
		}
		if !tagValid(t) {
			f.add("tags", mailer.Msg(CodeTagInvalid, t))
			return
		}
	}
}

func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

func tagValid(t string) bool {
	for i, r := range t {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
		case i > 0 && strings.ContainsRune(" ._-&/", r):
		default:
			return false
		}
	}
	return t != ""
}

// setTags replaces a connection's tags inside a write transaction.
func setTags(ctx context.Context, tx *sql.Tx, id int64, tags []string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM profile_tags WHERE profile_id = ?", id); err != nil {
		return err
	}
	for _, t := range tags {
		if _, err := tx.ExecContext(ctx, "INSERT INTO profile_tags (profile_id, tag) VALUES (?, ?)", id, t); err != nil {
			return err
		}
	}
	return nil
}

// loadTags fills in the tags of the given profiles in one query: all tags when there are many
// profiles, those of the listed IDs otherwise.
func (db *DB) loadTags(ctx context.Context, ps []*Profile) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[int64]*Profile, len(ps))
	for _, p := range ps {
		byID[p.ID] = p
		p.Tags = []string{}
	}
	q, args := "SELECT profile_id, tag FROM profile_tags", []any{}
	// A page of profiles asks for its own tags; a whole fleet reads the table once.
	if len(ps) <= 500 {
		q += " WHERE profile_id IN (" + placeholders(len(ps)) + ")"
		for _, p := range ps {
			args = append(args, p.ID)
		}
	}
	rows, err := db.read.QueryContext(ctx, q+" ORDER BY profile_id, tag COLLATE NOCASE", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return err
		}
		if p := byID[id]; p != nil {
			p.Tags = append(p.Tags, tag)
		}
	}
	return rows.Err()
}

// TagCount is a tag and how many connections carry it.
type TagCount struct {
	Tag   string
	Count int
}

// Tags lists every tag in use with its number of connections, by name.
func (db *DB) Tags(ctx context.Context) ([]TagCount, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT MIN(tag), COUNT(*) FROM profile_tags GROUP BY tag ORDER BY tag")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TagCount
	for rows.Next() {
		var tc TagCount
		if err := rows.Scan(&tc.Tag, &tc.Count); err != nil {
			return nil, err
		}
		out = append(out, tc)
	}
	return out, rows.Err()
}
