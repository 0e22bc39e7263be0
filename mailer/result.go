package mailer

import "time"

// Result is everything a check found out. It holds no secret and no token.
type Result struct {
	OK bool `json:"ok"`
	// Stage is the last stage reached: where it failed, or StageDone.
	Stage     Stage           `json:"stage"`
	Diagnosis *Diagnosis      `json:"diagnosis,omitempty"`
	Claims    *Claims         `json:"claims,omitempty"`
	Checks    []ClaimCheck    `json:"claim_checks,omitempty"`
	Events    []Event         `json:"transcript"`
	Timings   map[Stage]int64 `json:"timings_ms"`
	Entra     *EntraError     `json:"entra_error,omitempty"`
	Reply     *Reply          `json:"reply,omitempty"` // the reply that ended the check, at any stage (AUTH too): what the diagnosis quotes
	Started   time.Time       `json:"started"`
	Finished  time.Time       `json:"finished"`
	Err       error           `json:"-"`
	Error     string          `json:"error,omitempty"`
	Sent      bool            `json:"message_sent"`
	// TokenReused says the check used a token an earlier run fetched (Request.ReuseToken) rather
	// than a new one; the run page says which.
	TokenReused bool `json:"token_reused,omitempty"`
}

// AuthPassed reports whether Exchange accepted the token: the check got past AUTH, even if
// sending failed later.
func (r *Result) AuthPassed() bool {
	switch r.Stage {
	case StageMail, StageRcpt, StageData, StageQuit, StageDone:
		return true
	}
	return false
}

// TokenCheck is the answer to "does Entra give this app a token Exchange will accept?".
type TokenCheck struct {
	OK        bool
	Claims    *Claims
	Checks    []ClaimCheck
	Diagnosis *Diagnosis
	Events    []Event
}

// ClaimsError stops a check before SMTP because the token cannot work.
type ClaimsError struct {
	Code   string
	Detail string
}

func (e *ClaimsError) Error() string {
	if e.Detail != "" {
		return "token check: " + e.Detail
	}
	return "token check failed: " + e.Code
}
