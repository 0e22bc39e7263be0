package store

import (
	"context"
	"crypto/x509"
	"database/sql"
	"encoding/pem"
)

// backfillCertNotAfter notes the NotAfter of certificates saved before the column existed. It
// reads only the public certificate, so it needs no key, and runs once: a certificate with an
// unreadable date is marked "unreadable" (no date, no warning) and not tried again.
func (db *DB) backfillCertNotAfter(ctx context.Context) error {
	type row struct {
		id  int64
		pem string
	}
	var todo []row
	rows, err := db.write.QueryContext(ctx, "SELECT id, certificate_pem FROM profiles WHERE credential_kind = 'certificate' AND certificate_not_after = ''")
	if err != nil {
		return err
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.pem); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(todo) == 0 {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range todo {
			notAfter := "unreadable"
			if b, _ := pem.Decode([]byte(r.pem)); b != nil && b.Type == "CERTIFICATE" {
				if c, err := x509.ParseCertificate(b.Bytes); err == nil {
					notAfter = c.NotAfter.UTC().Format(notAfterFormat)
				}
			}
			if _, err := tx.ExecContext(ctx, "UPDATE profiles SET certificate_not_after = ? WHERE id = ?", notAfter, r.id); err != nil {
				return err
			}
		}
		return nil
	})
}
