package store

import "time"

// runRecordV2 is runs.result_json from version 2 on. Beside the English words that version 1
// kept (a person reading the database or a backup still finds sentences), it keeps the text
// catalogue's codes and arguments, so a page can put a stored run into its reader's language:
// the verdict on each claim, each remediation step, and what was wrong with the input.
type runRecordV2 struct {
	Version   int                  `json:"version"`
	OK        bool                 `json:"ok"`
	Stage     string               `json:"stage"`
	Diagnosis *diagnosisRecordV2   `json:"diagnosis,omitempty"`
	Claims    *claimsRecordV1      `json:"claims,omitempty"`
	Checks    []claimCheckRecordV2 `json:"claim_checks,omitempty"`
	TimingsMS map[string]int64     `json:"timings_ms"`
	Entra     *entraRecordV1       `json:"entra_error,omitempty"`
	Reply     *replyRecordV1       `json:"reply,omitempty"`
	Started   time.Time            `json:"started"`
	Finished  time.Time            `json:"finished"`
	Error     string               `json:"error,omitempty"`
	Sent      bool                 `json:"message_sent"`
	// TokenReused was added within v2 (issue 12): older records have none, which reads as a
	// fresh token, the only kind runs had then.
	TokenReused bool `json:"token_reused,omitempty"`
}

type diagnosisRecordV2 struct {
	Code        string            `json:"code"`
	Title       string            `json:"title"`
	Explanation string            `json:"explanation"`
	Steps       []stepRecordV2    `json:"remediation"`
	DocURL      string            `json:"doc_url,omitempty"`
	Quote       string            `json:"quote,omitempty"`
	Stage       string            `json:"stage"`
	Temporary   bool              `json:"temporary"`
	RetryAfter  int               `json:"retry_after_seconds,omitempty"`
	Values      diagnosisValuesV1 `json:"values"`
	Detail      string            `json:"detail,omitempty"`
	Input       []fieldRecordV2   `json:"input,omitempty"`
	// Causes were added within v2 (issue 11): older records have none, which reads as "the reply names its cause".
	Causes []causeRecordV2 `json:"causes,omitempty"`
}

// causeRecordV2 is one ranked cause of a 535 5.7.3, its words as stored and its code.
type causeRecordV2 struct {
	Rank int              `json:"rank"`
	Step string           `json:"step,omitempty"`
	Text string           `json:"text"`
	Msg  *messageRecordV2 `json:"msg,omitempty"`
}

// messageRecordV2 is a catalogue code with its arguments.
type messageRecordV2 struct {
	Code string   `json:"code"`
	Args []string `json:"args,omitempty"`
}

type stepRecordV2 struct {
	Text    string           `json:"text"`
	Command string           `json:"command,omitempty"`
	Msg     *messageRecordV2 `json:"msg,omitempty"`
}

// fieldRecordV2 is one input error: the field and what is wrong with it, as a code.
type fieldRecordV2 struct {
	Field string   `json:"field"`
	Code  string   `json:"code"`
	Args  []string `json:"args,omitempty"`
}

type claimCheckRecordV2 struct {
	Claim  string           `json:"claim"`
	OK     bool             `json:"ok"`
	Note   bool             `json:"note,omitempty"` // added within v2 (issue 11)
	Detail string           `json:"detail"`
	Msg    *messageRecordV2 `json:"msg,omitempty"`
}

// v2 is a version 0 or 1 record read as version 2: the words it stored and no codes, so pages
// show those words (English; a v1 record's German claim details have no place left and are
// dropped, and pages rebuild a diagnosis's steps from its code and values in any language).
func (rec *runRecordV1) v2() *runRecordV2 {
	out := &runRecordV2{Version: 2, OK: rec.OK, Stage: rec.Stage, Claims: rec.Claims, TimingsMS: rec.TimingsMS,
		Entra: rec.Entra, Reply: rec.Reply, Started: rec.Started, Finished: rec.Finished, Error: rec.Error, Sent: rec.Sent}
	if d := rec.Diagnosis; d != nil {
		out.Diagnosis = &diagnosisRecordV2{Code: d.Code, Title: d.Title, Explanation: d.Explanation, DocURL: d.DocURL,
			Quote: d.Quote, Stage: d.Stage, Temporary: d.Temporary, Values: d.Values, Detail: d.Detail}
		for _, s := range d.Steps {
			out.Diagnosis.Steps = append(out.Diagnosis.Steps, stepRecordV2{Text: s.Text, Command: s.Command})
		}
	}
	for _, c := range rec.Checks {
		out.Checks = append(out.Checks, claimCheckRecordV2{Claim: c.Claim, OK: c.OK, Detail: c.Detail})
	}
	return out
}
