package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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

// Anyone can write an anonymous audit entry by trying to sign in; its target is cut by bytes,
// so a name of four-byte characters grows the log no more than one of letters.
func TestAudit_AnonymousTargetBoundedInBytes(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	name := strings.Repeat("😀", 300)
	if err := db.Audit(ctx, store.AuditEntry{Action: "signin.throttled", Target: name}); err != nil {
		t.Fatal(err)
	}
	if err := db.Audit(ctx, store.AuditEntry{Actor: "alice", Action: "profile.created", Target: name}); err != nil {
		t.Fatal(err)
	}
	entries, _ := db.AuditLog(ctx, store.AuditFilter{})
	for _, e := range entries {
		limit := store.MaxAuditField
		if e.Actor == "" {
			limit = 64
		}
		if len(e.Target) > limit || !utf8.ValidString(e.Target) || !strings.HasSuffix(e.Target, "…") {
			t.Fatalf("%s: a target of %d bytes stored, want at most %d, valid and cut visibly", e.Action, len(e.Target), limit)
		}
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

// A master key file must be a small regular file: a FIFO would hang the start, a device such as
// /dev/zero or a huge file would fill the memory (not tried here: on a regression it would). Each is refused at once, naming the file.
func TestLoadKeys_KeyFileOnlySmallRegularFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "key.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(t.TempDir(), "key.big")
	os.WriteFile(big, bytes.Repeat([]byte("A"), 1<<20), 0o600)
	for _, tc := range []struct{ name, path, want string }{
		{"ErrFIFO", fifo, "not a regular file"},
		{"ErrDirectory", t.TempDir(), "not a regular file"},
		{"ErrTooLarge", big, "larger than 4 KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, _, err := store.LoadKeys(func(k string) string {
					if k == "SMTPOAUTH_MASTER_KEY_FILE" {
						return tc.path
					}
					return ""
				}, t.TempDir())
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want an error naming %s: %q", err, tc.path, tc.want)
				}
			case <-time.After(20 * time.Second):
				if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
					f.Close() // frees a reader stuck in open
				}
				t.Fatal("loading the key did not return")
			}
		})
	}
}
