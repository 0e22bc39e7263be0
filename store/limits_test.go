package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// Whatever is typed into a form grows the append-only audit log by a bounded line.
func TestAudit_FieldsTruncated(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	huge := strings.Repeat("ä", 1<<20)
	if err := db.Audit(ctx, store.AuditEntry{Actor: huge, Action: "signin.failed", Target: huge, Detail: huge, RemoteAddr: huge}); err != nil {
		t.Fatal(err)
	}
	entries, _ := db.AuditLog(ctx, store.AuditFilter{})
	e := entries[0]
	if n := utf8.RuneCountInString(e.Target); n > store.MaxAuditField || !utf8.ValidString(e.Target) || !strings.HasSuffix(e.Target, "…") {
		t.Fatalf("target of %d characters stored, want at most %d, cut visibly", n, store.MaxAuditField)
	}
	if total := len(e.Actor) + len(e.Target) + len(e.Detail) + len(e.RemoteAddr); total > 16<<10 {
		t.Fatalf("a %d-byte audit entry, want a bounded line", total)
	}
}

func TestProfile_NotesBounded(t *testing.T) {
	db := MustOpenDB(t)
	in := validInput()
	in.Notes = strings.Repeat("n", 10001)
	var ve *store.ValidationError
	if _, err := db.CreateProfile(context.Background(), in, "tester"); !errors.As(err, &ve) || i18n.Msg(i18n.EN, ve.Fields["notes"]) == "" || i18n.Msg(i18n.DE, ve.Fields["notes"]) == "" {
		t.Fatalf("got %v, want a notes error in English and German", err)
	}
}
