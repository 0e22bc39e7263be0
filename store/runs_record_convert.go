package store

import "github.com/smtpoauth/smtpoauth/mailer"

// Conversions between the core's values and the current (v2) records, field by field, so that a
// change to the core shows up here as a compile error or a failing fixture test, not as old runs
// that silently lose a field.

func resultRecord(res *mailer.Result) runRecordV2 {
	rec := runRecordV2{Version: runRecordVersion, OK: res.OK, Stage: string(res.Stage), Started: res.Started,
		Finished: res.Finished, Error: res.Error, Sent: res.Sent, TokenReused: res.TokenReused}
	if d := res.Diagnosis; d != nil {
		rec.Diagnosis = &diagnosisRecordV2{Code: d.Code, Title: d.Title, Explanation: d.Explanation, DocURL: d.DocURL,
			Quote: d.Quote, Stage: string(d.Stage), Temporary: d.Temporary, RetryAfter: d.RetryAfterSeconds, Detail: d.Detail,
			Values: diagnosisValuesV1{AppID: d.Values.AppID, ObjectID: d.Values.ObjectID, Mailbox: d.Values.Mailbox,
				From: d.Values.From, Tenant: d.Values.Tenant, Env: d.Values.Env, Model: string(d.Values.Model), NoRoles: d.Values.NoRoles}}
		for _, c := range d.Causes {
			rec.Diagnosis.Causes = append(rec.Diagnosis.Causes, causeRecordV2{Rank: c.Rank, Step: c.Step, Text: c.Text, Msg: messageRecord(c.Msg)})
		}
		for _, s := range d.Steps {
			rec.Diagnosis.Steps = append(rec.Diagnosis.Steps, stepRecordV2{Text: s.Text, Command: s.Command, Msg: messageRecord(s.Msg)})
		}
		for _, fe := range d.Input {
			rec.Diagnosis.Input = append(rec.Diagnosis.Input, fieldRecordV2{Field: fe.Field, Code: fe.Code, Args: fe.Args})
		}
	}
	if c := res.Claims; c != nil {
		rec.Claims = &claimsRecordV1{Audience: c.Audience, Roles: c.Roles, TenantID: c.TenantID, AppID: c.AppID,
			ObjectID: c.ObjectID, Issuer: c.Issuer, Version: c.Version, ExpiresAt: c.ExpiresAt, AuthMethod: c.AuthMethod}
	}
	for _, c := range res.Checks {
		rec.Checks = append(rec.Checks, claimCheckRecordV2{Claim: c.Claim, OK: c.OK, Note: c.Note, Detail: c.Detail, Msg: messageRecord(c.Msg)})
	}
	if res.Timings != nil {
		rec.TimingsMS = make(map[string]int64, len(res.Timings))
		for stage, ms := range res.Timings {
			rec.TimingsMS[string(stage)] = ms
		}
	}
	if e := res.Entra; e != nil {
		rec.Entra = &entraRecordV1{HTTPStatus: e.HTTPStatus, Error: e.Error, Code: e.Code, Description: e.Description,
			TraceID: e.TraceID, CorrelationID: e.CorrelationID, Timestamp: e.Timestamp, ErrorURI: e.ErrorURI}
	}
	if r := res.Reply; r != nil {
		rec.Reply = &replyRecordV1{Code: r.Code, Enhanced: r.Enhanced, Lines: r.Lines}
	}
	return rec
}

func (rec *runRecordV2) result() *mailer.Result {
	res := &mailer.Result{OK: rec.OK, Stage: mailer.Stage(rec.Stage), Started: rec.Started, Finished: rec.Finished,
		Error: rec.Error, Sent: rec.Sent, TokenReused: rec.TokenReused}
	if d := rec.Diagnosis; d != nil {
		res.Diagnosis = &mailer.Diagnosis{Code: d.Code, Title: d.Title, Explanation: d.Explanation, DocURL: d.DocURL,
			Quote: d.Quote, Stage: mailer.Stage(d.Stage), Temporary: d.Temporary, RetryAfterSeconds: d.RetryAfter, Detail: d.Detail,
			Values: mailer.DiagnosisValues{AppID: d.Values.AppID, ObjectID: d.Values.ObjectID, Mailbox: d.Values.Mailbox,
				From: d.Values.From, Tenant: d.Values.Tenant, Env: d.Values.Env, Model: mailer.AuthModel(d.Values.Model), NoRoles: d.Values.NoRoles}}
		for _, c := range d.Causes {
			res.Diagnosis.Causes = append(res.Diagnosis.Causes, mailer.Cause{Rank: c.Rank, Step: c.Step, Text: c.Text, Msg: c.Msg.message()})
		}
		for _, s := range d.Steps {
			res.Diagnosis.Steps = append(res.Diagnosis.Steps, mailer.Step{Text: s.Text, Command: s.Command, Msg: s.Msg.message()})
		}
		for _, fe := range d.Input {
			res.Diagnosis.Input = append(res.Diagnosis.Input, mailer.NewFieldError(fe.Field, fe.Code, fe.Args...))
		}
	}
	if c := rec.Claims; c != nil {
		res.Claims = &mailer.Claims{Audience: c.Audience, Roles: c.Roles, TenantID: c.TenantID, AppID: c.AppID,
			ObjectID: c.ObjectID, Issuer: c.Issuer, Version: c.Version, ExpiresAt: c.ExpiresAt, AuthMethod: c.AuthMethod}
	}
	for _, c := range rec.Checks {
		res.Checks = append(res.Checks, mailer.ClaimCheck{Claim: c.Claim, OK: c.OK, Note: c.Note, Detail: c.Detail, Msg: c.Msg.message()})
	}
	if rec.TimingsMS != nil {
		res.Timings = make(map[mailer.Stage]int64, len(rec.TimingsMS))
		for stage, ms := range rec.TimingsMS {
			res.Timings[mailer.Stage(stage)] = ms
		}
	}
	if e := rec.Entra; e != nil {
		res.Entra = &mailer.EntraError{HTTPStatus: e.HTTPStatus, Error: e.Error, Code: e.Code, Description: e.Description,
			TraceID: e.TraceID, CorrelationID: e.CorrelationID, Timestamp: e.Timestamp, ErrorURI: e.ErrorURI}
	}
	if r := rec.Reply; r != nil {
		res.Reply = &mailer.Reply{Code: r.Code, Enhanced: r.Enhanced, Lines: r.Lines}
	}
	return res
}

// messageRecord is m as a record; nil when m has no code (words stored before the catalogue).
func messageRecord(m mailer.Message) *messageRecordV2 {
	if m.Code == "" {
		return nil
	}
	return &messageRecordV2{Code: m.Code, Args: m.Args}
}

// message is the record as the core's Message; the zero Message when there is no code.
func (m *messageRecordV2) message() mailer.Message {
	if m == nil {
		return mailer.Message{}
	}
	return mailer.Msg(m.Code, m.Args...)
}
