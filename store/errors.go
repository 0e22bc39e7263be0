package store

import (
	"errors"
	"sort"
	"strings"
)

// ErrNotFound is returned when a profile or run does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a change would break a uniqueness rule, such as a profile name.
var ErrConflict = errors.New("conflict")

// ValidationError lists every invalid field with a message in the admin's words. Nothing was saved.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return "invalid profile: " + strings.Join(parts, "; ")
}

// ConflictError says which unique value is taken.
type ConflictError struct {
	Field, Message string
}

func (e *ConflictError) Error() string { return e.Field + ": " + e.Message }

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }
