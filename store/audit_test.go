package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/store"
)

func TestAuditLog_AppendOnly(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	db.Audit(ctx, store.AuditEntry{Actor: "alice", Action: "profile.created", Target: "x"})
	raw := rawDB(t, db.Path)
	if _, err := raw.Exec("UPDATE audit_log SET actor = 'mallory'"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update: got %v", err)
	}
	if _, err := raw.Exec("DELETE FROM audit_log"); err == nil {
		t.Fatal("delete succeeded")
	}
	entries, _ := db.AuditLog(ctx, store.AuditFilter{Action: "profile."})
	if len(entries) != 1 || entries[0].Actor != "alice" {
		t.Fatalf("got %+v", entries)
	}
}
