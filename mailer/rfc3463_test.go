package mailer_test

import (
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

func diagnoseReply(stage mailer.Stage, code int, enhanced, text string) *mailer.Diagnosis {
	return mailer.Diagnose(mailer.Facts{Stage: stage, Err: &mailer.ReplyError{Stage: stage,
		Reply: mailer.Reply{Code: code, Enhanced: enhanced, Lines: []string{text}}}})
}

// "Temporary" means retrying unchanged can succeed: a 4xx that needs a change is not, and
// throttling and busy replies are.
func TestDiagnose_TemporaryMeansRetryingUnchangedCanSucceed(t *testing.T) {
	cases := []struct {
		stage     mailer.Stage
		code      int
		enhanced  string
		wantCode  string
		temporary bool
	}{
		{mailer.StageAuth, 421, "4.7.66", mailer.CodeTLSVersion, false},
		{mailer.StageMail, 451, "5.7.3", mailer.CodeSTARTTLSRequired, false},
		{mailer.StageAuth, 530, "5.7.0", mailer.CodeSTARTTLSRequired, false},
		{mailer.StageEHLOTLS, 530, "5.7.0", mailer.CodeSTARTTLSRequired, false},
		{mailer.StageMail, 530, "5.7.0", mailer.CodeMailNotAuth, false},
		{mailer.StageData, 430, "4.2.0", mailer.CodeMailboxLogon, false},
		{mailer.StageData, 432, "4.3.2", mailer.CodeThreadLimit, true},
		{mailer.StageEHLO, 421, "4.3.2", mailer.CodeServiceUnavailable, true},
		{mailer.StageAuth, 421, "4.3.2", mailer.CodeServiceUnavailable, true},
		{mailer.StageMail, 451, "4.7.500", mailer.CodeServerBusy, true},
		{mailer.StageRcpt, 550, "5.1.90", mailer.CodeDailyRecipientLimit, true},
		{mailer.StageMail, 550, "5.7.1", mailer.CodeReplySecurity, false},
		{mailer.StageData, 452, "4.3.1", mailer.CodeReplyMailSystem, true},
	}
	texts := map[string]string{"4.7.66": "TLS 1.0 and 1.1 are not supported.", "4.2.0": "STOREDRV; mailbox logon failure;", "4.3.2": "Service not active"}
	for _, tc := range cases {
		text := texts[tc.enhanced]
		if tc.code == 432 {
			text = "STOREDRV.ClientSubmit; sender thread limit exceeded"
		}
		d := diagnoseReply(tc.stage, tc.code, tc.enhanced, text)
		if d.Code != tc.wantCode || d.Temporary != tc.temporary {
			t.Errorf("%d %s at %s: got %s temporary=%v, want %s temporary=%v", tc.code, tc.enhanced, tc.stage, d.Code, d.Temporary, tc.wantCode, tc.temporary)
		}
	}
}

// A reply no entry knows still says what kind of problem it is, from its RFC 3463 code.
func TestDiagnose_UnknownReplyIsClassifiedByItsEnhancedCode(t *testing.T) {
	cases := []struct {
		code             int
		enhanced         string
		want             string
		wordsEN, wordsDE []string
	}{
		{550, "5.1.1", mailer.CodeReplyAddressing, []string{"5.1.1", "permanent failure", "bad destination mailbox address"}, []string{"dauerhafter Fehler", "ungültige Zielpostfachadresse"}},
		{452, "4.3.1", mailer.CodeReplyMailSystem, []string{"transient failure", "mail system full"}, []string{"vorübergehender Fehler", "Mailsystem voll"}},
		{550, "5.7.999", mailer.CodeReplySecurity, []string{"security or policy", "Exchange's own"}, []string{"Sicherheit oder Richtlinie", "eigenes von Exchange"}},
		{554, "5.6.0", mailer.CodeReplyContent, []string{"other or undefined media error"}, []string{"sonstiger Medienfehler"}},
	}
	for _, tc := range cases {
		d := diagnoseReply(mailer.StageData, tc.code, tc.enhanced, "something never seen")
		if d.Code != tc.want {
			t.Errorf("%d %s: got %s, want %s", tc.code, tc.enhanced, d.Code, tc.want)
			continue
		}
		en, de := i18n.Localize(d, i18n.EN).Explanation, i18n.Localize(d, i18n.DE).Explanation
		for _, w := range tc.wordsEN {
			if !strings.Contains(en, w) {
				t.Errorf("%d %s: explanation lacks %q: %s", tc.code, tc.enhanced, w, en)
			}
		}
		for _, w := range tc.wordsDE {
			if !strings.Contains(de, w) {
				t.Errorf("%d %s: German explanation lacks %q: %s", tc.code, tc.enhanced, w, de)
			}
		}
	}
}

// The decision rests on codes and stage, not on one server's wording.
func TestDiagnose_DocumentedRepliesNeedNoExactWording(t *testing.T) {
	cases := map[string]string{
		"550 5.7.30":  mailer.CodeBasicAuthRetired,
		"504 5.7.4":   mailer.CodeAuthTypeUnknown,
		"501 5.5.127": mailer.CodeTokenExpiring,
		"550 5.7.520": mailer.CodeExternalForwarding,
		"550 5.7.750": mailer.CodeUnregisteredDomain,
		"550 5.7.705": mailer.CodeTenantBlocked,
		"550 5.7.502": mailer.CodeSpamAbuse,
		"550 5.2.253": mailer.CodeSenderThrottled,
		"554 5.2.2":   mailer.CodeMailboxFull,
		"550 5.4.5":   mailer.CodeDailyRecipientLimit,
	}
	for reply, want := range cases {
		code, enhanced, _ := strings.Cut(reply, " ")
		n := int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0')
		if got := diagnoseReply(mailer.StageAuth, n, enhanced, "Texte localisé inconnu").Code; got != want {
			t.Errorf("%s: got %s, want %s", reply, got, want)
		}
	}
}
