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

// ValidationError lists every invalid field with a message in the admin's words, in English
// (Fields) and German (FieldsDE). Nothing was saved.
type ValidationError struct {
	Fields   map[string]string
	FieldsDE map[string]string
}

// In returns the messages in a language ("de", or English for anything else).
func (e *ValidationError) In(lang string) map[string]string {
	if lang == "de" && len(e.FieldsDE) == len(e.Fields) {
		return e.FieldsDE
	}
	return e.Fields
}

// fields collects field messages in both languages; the first message of a field wins.
type fields struct{ en, de map[string]string }

func newFields() *fields { return &fields{en: map[string]string{}, de: map[string]string{}} }

func (f *fields) add(field, en, de string) {
	if _, seen := f.en[field]; !seen {
		f.en[field], f.de[field] = en, de
	}
}

func (f *fields) err() error {
	if len(f.en) == 0 {
		return nil
	}
	return &ValidationError{Fields: f.en, FieldsDE: f.de}
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
	Field, Message, MessageDE string
}

// In returns the message in a language.
func (e *ConflictError) In(lang string) string {
	if lang == "de" && e.MessageDE != "" {
		return e.MessageDE
	}
	return e.Message
}

func (e *ConflictError) Error() string { return e.Field + ": " + e.Message }

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }
