package i18n

import (
	"regexp"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Localize returns the diagnosis in words of a language: title, explanation, the text of each
// step and the detail of an input error. Codes, quotes and commands stay as they are; Exchange's
// own words are never translated. The steps are rebuilt from the diagnosis's values, so a
// diagnosis saved long ago reads the same as a fresh one.
func Localize(d *mailer.Diagnosis, l Lang) *mailer.Diagnosis {
	if d == nil {
		return nil
	}
	out := *d
	out.Title = Title(l, d.Code)
	if len(d.Input) > 0 {
		lines := make([]string, len(d.Input))
		for i, fe := range d.Input {
			lines[i] = fe.Field + ": " + Msg(l, fe.Message)
		}
		out.Detail = strings.Join(lines, "\n")
	}
	out.Explanation = explain(l, &out)
	steps := mailer.DiagnosisSteps(d.Code, d.Values)
	if steps == nil {
		steps = d.Steps
	}
	out.Steps = make([]mailer.Step, len(steps))
	for i, st := range steps {
		if st.Msg.Code != "" {
			st.Text = Msg(l, st.Msg)
		}
		out.Steps[i] = st
	}
	if len(out.Steps) == 0 {
		out.Steps = nil
	}
	if causes := mailer.DiagnosisCauses(d.Code, d.Values); causes != nil && (d.Causes != nil || d.Values.Model != "") {
		out.Causes = causes
		for i := range out.Causes {
			out.Causes[i].Text = Msg(l, out.Causes[i].Msg)
		}
	}
	return &out
}

// Title is a diagnosis code's title in a language, the code itself when the catalogue has none;
// lists that hold only the code use it without localizing a whole diagnosis.
func Title(l Lang, code string) string {
	if _, ok := languages[EN]["diag."+code+".title"]; ok {
		return Tr(l, "diag."+code+".title")
	}
	return code
}

// Catalogue returns every diagnosis in a language, for documentation and tests.
func Catalogue(l Lang) []mailer.Diagnosis {
	all := mailer.Catalogue()
	for i := range all {
		all[i] = *Localize(&all[i], l)
	}
	return all
}

// explain is a diagnosis's explanation with what depends on the run: the stage of a timeout or a
// dropped connection, the step an unknown reply answered, the error behind bad input.
func explain(l Lang, d *mailer.Diagnosis) string {
	base := ""
	if _, ok := languages[EN]["diag."+d.Code+".explanation"]; ok {
		base = Tr(l, "diag."+d.Code+".explanation")
	}
	switch d.Code {
	case mailer.CodeInputInvalid:
		if d.Detail != "" {
			return d.Detail
		}
	case mailer.CodeSMTPTimeout, mailer.CodeSMTPClosed:
		return Tr(l, "diag.at_step", stageName(l, d.Stage)) + base
	case mailer.CodeUnknownReply:
		return Tr(l, "diag.UNKNOWN_REPLY.explanation_at", stageName(l, d.Stage))
	case mailer.CodeReplyOther, mailer.CodeReplyAddressing, mailer.CodeReplyMailbox, mailer.CodeReplyMailSystem,
		mailer.CodeReplyNetwork, mailer.CodeReplyProtocol, mailer.CodeReplyContent, mailer.CodeReplySecurity:
		return Tr(l, "diag.at_step", stageName(l, d.Stage)) + explainClass(l, d.Quote, base)
	case mailer.CodeTokenRefused:
		if msg := entraMessage(d.Quote); msg != "" {
			return Tr(l, "diag.TOKEN_REFUSED.explanation_quote", msg)
		}
	case mailer.CodeTokenNotJSON:
		if d.Quote != "" {
			return base + Tr(l, "diag.TOKEN_ENDPOINT_NOT_JSON.came_back", d.Quote)
		}
	}
	return base
}

var enhancedInQuote = regexp.MustCompile(`^\d{3} ([245])\.(\d{1,3})\.(\d{1,3})\b`)

// explainClass says what an otherwise unknown reply is: its class, and its detail when RFC 3463
// or its successors name it (Exchange uses many details of its own, such as 5.7.139).
func explainClass(l Lang, quote, base string) string {
	m := enhancedInQuote.FindStringSubmatch(quote)
	if m == nil {
		return base
	}
	status, detail := m[1]+"."+m[2]+"."+m[3], m[2]+"."+m[3]
	out := Tr(l, "rfc3463.status", status, Tr(l, "rfc3463.class."+m[1])) + base
	if _, ok := languages[EN]["rfc3463."+detail]; ok {
		return out + Tr(l, "rfc3463.named", detail, Tr(l, "rfc3463."+detail))
	}
	return out + Tr(l, "rfc3463.own", m[3], status)
}

// entraMessage is Entra's description without the trace, correlation and timestamp lines.
func entraMessage(desc string) string {
	e := mailer.EntraError{Description: desc}
	return strings.Join(strings.Fields(e.Message()), " ")
}

// stageName is the name of an SMTP stage in a language; empty for stages before SMTP.
func stageName(l Lang, s mailer.Stage) string {
	if _, ok := languages[EN]["stage."+string(s)]; !ok {
		return ""
	}
	return Tr(l, "stage."+string(s))
}
