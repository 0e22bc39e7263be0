package store

import (
	"context"
	"database/sql"
)

// SetRunRecords writes a finished run's stored records as given, bytes for bytes, the way an
// older build left them, for the tests that read old formats.
func SetRunRecords(ctx context.Context, db *DB, id, result, transcript string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE runs SET outcome = ?, result_json = ?, transcript_json = ? WHERE id = ?`,
			OutcomeFailed, result, transcript, id)
		return err
	})
}

// EncodeRunRecords is what FinishRun writes for a run read back from stored records.
func EncodeRunRecords(r *Run) (result, transcript []byte, err error) {
	if result, err = encodeResult(r.Result); err != nil {
		return nil, nil, err
	}
	transcript, err = encodeTranscript(r.Events)
	return result, transcript, err
}
