// Package migrations holds the database schema as numbered SQL files. Each file is applied once,
// in its own transaction, and an applied file is never edited: changes go in a new file.
package migrations

import "embed"

// FS holds the migration files, named NNNN_description.sql.
//
//go:embed *.sql
var FS embed.FS
