package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// A run's result and transcript are stored as versioned records that belong to the store, not
// as the core's structs: the core may rename or reshape Result, Diagnosis or Event, and a run
// saved today still reads the same. Each record carries "version"; version 0 is the format
// written before records had one (the core's JSON of 2026-12), which version 1 keeps field for
// field, so both decode into the v1 types. Version 2 (runs_record_v2.go) adds the catalogue's
// codes beside the stored English words; v0 and v1 results are read by converting them to v2,
// with the words they stored and no codes. A change of format adds the next version and a
// conversion from the one before; the fixtures in testdata/runs pin every version.

// runRecordVersion is the version this build writes, in both records of a run; it reads every
// version up to it.
const runRecordVersion = 2

// runRecordV1 is runs.result_json in versions 0 and 1: everything a check found out except its
// transcript.
type runRecordV1 struct {
	Version   int                  `json:"version"`
	OK        bool                 `json:"ok"`
	Stage     string               `json:"stage"`
	Diagnosis *diagnosisRecordV1   `json:"diagnosis,omitempty"`
	Claims    *claimsRecordV1      `json:"claims,omitempty"`
	Checks    []claimCheckRecordV1 `json:"claim_checks,omitempty"`
	TimingsMS map[string]int64     `json:"timings_ms"`
	Entra     *entraRecordV1       `json:"entra_error,omitempty"`
	Reply     *replyRecordV1       `json:"reply,omitempty"`
	Started   time.Time            `json:"started"`
	Finished  time.Time            `json:"finished"`
	Error     string               `json:"error,omitempty"`
	Sent      bool                 `json:"message_sent"`
}

type diagnosisRecordV1 struct {
	Code        string            `json:"code"`
	Title       string            `json:"title"`
	Explanation string            `json:"explanation"`
	Steps       []stepRecordV1    `json:"remediation"`
	DocURL      string            `json:"doc_url,omitempty"`
	Quote       string            `json:"quote,omitempty"`
	Stage       string            `json:"stage"`
	Temporary   bool              `json:"temporary"`
	Values      diagnosisValuesV1 `json:"values"`
	Detail      string            `json:"detail,omitempty"`
}

type stepRecordV1 struct {
	Text    string `json:"text"`
	Command string `json:"command,omitempty"`
}

// diagnosisValuesV1 keeps version 0's Go field names as its JSON names.
type diagnosisValuesV1 struct {
	AppID    string `json:"AppID"`
	ObjectID string `json:"ObjectID"`
	Mailbox  string `json:"Mailbox"`
	From     string `json:"From"`
	Tenant   string `json:"Tenant"`
	Env      string `json:"Env"`
	// Model and NoRoles were added with issue 11; older records read as "not sure" and roles present.
	Model   string `json:"Model,omitempty"`
	NoRoles bool   `json:"NoRoles,omitempty"`
}

type claimsRecordV1 struct {
	Audience   string    `json:"aud"`
	Roles      []string  `json:"roles"`
	TenantID   string    `json:"tid"`
	AppID      string    `json:"appid"`
	ObjectID   string    `json:"oid"`
	Issuer     string    `json:"iss"`
	Version    string    `json:"ver"`
	ExpiresAt  time.Time `json:"exp"`
	AuthMethod string    `json:"auth_method,omitempty"`
}

type claimCheckRecordV1 struct {
	Claim    string `json:"claim"`
	OK       bool   `json:"ok"`
	Detail   string `json:"detail"`
	DetailDE string `json:"detail_de,omitempty"`
}

type entraRecordV1 struct {
	HTTPStatus    int    `json:"http_status"`
	Error         string `json:"error"`
	Code          int    `json:"aadsts"`
	Description   string `json:"description"`
	TraceID       string `json:"trace_id,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
	Timestamp     string `json:"timestamp,omitempty"`
	ErrorURI      string `json:"error_uri,omitempty"`
}

// replyRecordV1 keeps version 0's Go field names as its JSON names.
type replyRecordV1 struct {
	Code     int      `json:"Code"`
	Enhanced string   `json:"Enhanced"`
	Lines    []string `json:"Lines"`
}

// transcriptRecordV1 is runs.transcript_json in versions 1 and 2 (version 2 changed only the
// result record). Version 0 was a bare array of events.
type transcriptRecordV1 struct {
	Version int             `json:"version"`
	Events  []eventRecordV1 `json:"events"`
}

type eventRecordV1 struct {
	Seq      int    `json:"seq"`
	OffsetMS int64  `json:"offset_ms"`
	Dir      string `json:"dir"`
	Stage    string `json:"stage"`
	Text     string `json:"text"`
}

// encodeResult is the result record of res, without its transcript.
func encodeResult(res *mailer.Result) ([]byte, error) {
	return json.Marshal(resultRecord(res))
}

// encodeTranscript is the transcript record of events.
func encodeTranscript(events []mailer.Event) ([]byte, error) {
	rec := transcriptRecordV1{Version: runRecordVersion, Events: make([]eventRecordV1, len(events))}
	for i, e := range events {
		rec.Events[i] = eventRecordV1{Seq: e.Seq, OffsetMS: e.OffsetMS, Dir: string(e.Dir), Stage: string(e.Stage), Text: e.Text}
	}
	return json.Marshal(rec)
}

// decodeResult reads a result record of any version this build knows.
func decodeResult(data []byte) (*mailer.Result, error) {
	var head struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("run record: %w", err)
	}
	switch {
	case head.Version > runRecordVersion:
		return nil, fmt.Errorf("run record version %d is newer than this build reads (%d)", head.Version, runRecordVersion)
	case head.Version < 2:
		var rec runRecordV1
		if err := json.Unmarshal(data, &rec); err != nil {
			return nil, fmt.Errorf("run record: %w", err)
		}
		return rec.v2().result(), nil
	}
	var rec runRecordV2
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("run record: %w", err)
	}
	return rec.result(), nil
}

// decodeTranscript reads a transcript record of any version this build knows.
func decodeTranscript(data []byte) ([]mailer.Event, error) {
	var rec transcriptRecordV1
	if len(data) > 0 && data[0] == '[' {
		// Version 0: the events alone.
		if err := json.Unmarshal(data, &rec.Events); err != nil {
			return nil, fmt.Errorf("transcript record: %w", err)
		}
	} else if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("transcript record: %w", err)
	}
	if rec.Version > runRecordVersion {
		return nil, fmt.Errorf("transcript record version %d is newer than this build reads (%d)", rec.Version, runRecordVersion)
	}
	var events []mailer.Event
	for _, e := range rec.Events {
		events = append(events, mailer.Event{Seq: e.Seq, OffsetMS: e.OffsetMS, Dir: mailer.Direction(e.Dir), Stage: mailer.Stage(e.Stage), Text: e.Text})
	}
	return events, nil
}
