//go:build tools

// Package tools pins the versions of the checkers CI runs (staticcheck, govulncheck) and the
// offline Go vulnerability database, in a module of their own so that none of them enters the
// product's go.mod.
package tools

import (
	_ "golang.org/x/vuln/cmd/govulncheck"
	_ "golang.org/x/vulndb/cmd/indexdb"
	_ "honnef.co/go/tools/cmd/staticcheck"
)
