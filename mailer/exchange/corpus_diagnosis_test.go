package exchange_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// causeCodes maps the corpus's cause vocabulary (testdata/replies/README.md) to the diagnoses
// that are right for it. Where one real reply stands for several causes, the table says why.
var causeCodes = map[string][]string{
	"smtp_auth_disabled_tenant": {mailer.CodeAuthDisabledTenant},
	// The vendor guide ties "did not meet the criteria" to the mailbox switch; the diagnosis for
	// that reply names the sign-in policy and the mailbox switch both.
	"smtp_auth_disabled_mailbox": {mailer.CodeAuthDisabledMailbox, mailer.CodeAuthPolicyBlocked},
	"basic_auth_disabled":        {mailer.CodeAuthBasicReply},
	"basic_auth_retired":         {mailer.CodeBasicAuthRetired},
	"security_defaults_block":    {mailer.CodeAuthSecurityDefaults},
	"auth_blocked_by_policy":     {mailer.CodeAuthPolicyBlocked},
	// A bare 535 5.7.3 does not say which link is missing: the ranked 535 diagnosis is right for
	// every cause a thread later found behind one (wrong account, Graph token, Microsoft's fault).
	"auth_rejected_unspecified":   {mailer.CodeAuthUnsuccessful},
	"token_user_mismatch":         {mailer.CodeAuthUnsuccessful},
	"token_wrong_audience":        {mailer.CodeAuthUnsuccessful},
	"service_side_fault":          {mailer.CodeAuthUnsuccessful},
	"xoauth2_user_invalid":        {mailer.CodeXOAUTH2DataInvalid},
	"not_authenticated":           {mailer.CodeMailNotAuth},
	"unknown_auth_type":           {mailer.CodeAuthTypeUnknown},
	"starttls_required":           {mailer.CodeSTARTTLSRequired},
	"tls_version":                 {mailer.CodeTLSVersion},
	"sendas_denied":               {mailer.CodeSendAsEnvelope, mailer.CodeSendAsDenied},
	"mailbox_full":                {mailer.CodeMailboxFull},
	"mailbox_logon_failed":        {mailer.CodeMailboxLogon},
	"recipient_rate_limit":        {mailer.CodeQuotaExceeded, mailer.CodeDailyRecipientLimit},
	"throttled_concurrency":       {mailer.CodeThreadLimit},
	"throttled_continuous_errors": {mailer.CodeSenderThrottled},
	"outbound_spam_blocked":       {mailer.CodeOutboundSpam},
	"sender_blocked_spam":         {mailer.CodeRestrictedSender, mailer.CodeSpamAbuse},
	"tenant_outbound_blocked":     {mailer.CodeTenantBlocked},
	"external_forwarding_blocked": {mailer.CodeExternalForwarding},
	"service_unavailable":         {mailer.CodeServiceUnavailable, mailer.CodeTokenUnavailable},
	"invalid_client_secret":       {mailer.CodeTokenSecretInvalid},
	"secret_expired":              {mailer.CodeTokenSecretExpired},
	"missing_credential":          {mailer.CodeTokenNoCredential},
	"missing_parameter":           {mailer.CodeTokenRequestMalformed},
	"app_not_found":               {mailer.CodeTokenAppNotFound},
	"app_disabled":                {mailer.CodeTokenAppDisabled},
	"service_principal_missing":   {mailer.CodeTokenNoSP},
	"consent_missing":             {mailer.CodeTokenConsentMissing},
	"tenant_not_found":            {mailer.CodeTokenTenantNotFound},
	"tenant_invalid":              {mailer.CodeTokenTenantMalformed},
	"tenant_missing":              {mailer.CodeTokenTenantMissing},
	"invalid_scope":               {mailer.CodeTokenScopeInvalid},
	"resource_not_found":          {mailer.CodeTokenResourceMissing},
	"certificate_not_registered":  {mailer.CodeTokenCertUnknown},
	"assertion_time_invalid":      {mailer.CodeTokenAssertionTime},
	"assertion_audience_invalid":  {mailer.CodeTokenAssertionAudience},
	"conditional_access_blocked":  {mailer.CodeTokenConditional},
	"user_credentials_invalid":    {mailer.CodeTokenUserCredentials},
	"flow_not_enabled":            {mailer.CodeTokenFlowNotEnabled},
	"throttled":                   {mailer.CodeTokenThrottled},
	"non_json_response":           {mailer.CodeTokenNotJSON},
}

// positiveCauses are replies that are not failures: nothing is diagnosed for them.
var positiveCauses = map[string]bool{"ok": true, "auth_continue": true}

// temporaryCauses are the causes where retrying unchanged can succeed; every other failure
// needs a change first (a 4xx such as 451 5.7.3 or 421 4.7.66 included).
var temporaryCauses = map[string]bool{
	"throttled": true, "service_unavailable": true, "throttled_concurrency": true, "recipient_rate_limit": true,
}

// genericCodes are the fallbacks: right, but not the specific answer the corpus asks for.
var genericCodes = map[string]bool{
	mailer.CodeUnknownReply: true, mailer.CodeTokenRefused: true,
	mailer.CodeReplyOther: true, mailer.CodeReplyAddressing: true, mailer.CodeReplyMailbox: true, mailer.CodeReplyMailSystem: true,
	mailer.CodeReplyNetwork: true, mailer.CodeReplyProtocol: true, mailer.CodeReplyContent: true, mailer.CodeReplySecurity: true,
}

// notFromAnswers are diagnoses that no SMTP reply or token endpoint answer produces: bad input,
// the token's claims, the network and TLS, the console's own policy, and the fallbacks.
var notFromAnswers = map[string]bool{
	mailer.CodeInputInvalid: true, mailer.CodeInternal: true, mailer.CodeTokenUnreachable: true, mailer.CodeTargetRefused: true,
	mailer.CodeClaimsRoleMissing: true, mailer.CodeClaimsWrongAudience: true, mailer.CodeClaimsWrongTenant: true,
	mailer.CodeClaimsWrongApp: true, mailer.CodeClaimsExpired: true, mailer.CodeClaimsNotJWT: true,
	mailer.CodeSMTPDNS: true, mailer.CodeSMTPRefused: true, mailer.CodeSMTPUnreachable: true, mailer.CodeSMTPTimeout: true,
	mailer.CodeSMTPClosed: true, mailer.CodeSMTPProtocol: true, mailer.CodeSTARTTLSMissing: true, mailer.CodeTLSVerify: true,
	mailer.CodeTLSHandshake: true, mailer.CodeXOAUTH2NotOffered: true,
}

// documentedOnly are catalogue entries for answers no public source in the corpus shows
// verbatim; each names where the reply or code is documented, so the gap stays visible.
var documentedOnly = map[string]string{
	mailer.CodeAuthDisabledMailbox:   "\"535 5.7.139 … SmtpClientAuthentication is disabled for the Mailbox\": quoted in public code comments only (team notes on Exchange, §6.1, marked unconfirmed)",
	mailer.CodeEHLOInvalid:           "\"501 5.5.4 Invalid domain name\": a Net::SMTP debug transcript (team notes on Exchange, §5.1)",
	mailer.CodeAuthTemporary:         "\"4.7.0 Temporary server error. Please try again later. PRX4\": https://github.com/jstedfast/MailKit/issues/566 (reply code not shown there)",
	mailer.CodeTemporary:             "\"4.3.111 Temporary server error. Please try again later MRH1\": https://github.com/datalust/seq-app-htmlemail/issues/101 (reply code not shown there)",
	mailer.CodeRecipientNotFound:     "5.1.10 RecipientNotFound: Microsoft Learn, \"Fix email delivery issues for error code 5.1.10 in Exchange Online\"",
	mailer.CodeTokenExpiring:         "501 5.5.127: Microsoft Learn, High Volume Email for Microsoft 365 (a token about to expire; exact text unconfirmed)",
	mailer.CodeServerBusy:            "451 4.7.500–4.7.699 \"Server busy. Please try again later\": https://github.com/MicrosoftDocs/OfficeDocs-Exchange/issues/2499 (seen inbound; unconfirmed on client submission)",
	mailer.CodeUnregisteredDomain:    "550 5.7.750 \"Service unavailable. Client blocked from sending from unregistered domains\": Microsoft Learn (Exchange Online NDR 5.7.750)",
	mailer.CodeTokenAssertionInvalid: "AADSTS50013 (assertion failed signature validation): Microsoft Learn, \"Microsoft Entra authentication and authorization error codes\"",
	mailer.CodeTokenClientRejected:   "OAuth error invalid_client with an AADSTS code smtpoauth does not know: RFC 6749 §5.2",
	mailer.CodeTokenClientNotAllowed: "OAuth error unauthorized_client with an AADSTS code smtpoauth does not know: RFC 6749 §5.2",
	mailer.CodeTokenServerError:      "HTTP 5xx without Entra's JSON: RFC 9110 §15.6",
	// The reply is the same real 535 5.7.3 as AUTH_UNSUCCESSFUL's; the token (no roles) picks this
	// entry, which the corpus cannot show: TestCheck_535CausesRankedByTheEvidence covers it end to end.
	mailer.CodeAuthUnsuccessfulNoRoles: "535 5.7.3 with a token that carries no roles (Exchange RBAC for Applications, Microsoft Learn, 17 Oct 2025)",
}

// corpusDiagnosis runs one corpus entry through the real parsers and Diagnose. positive is true
// for a reply that is not a failure (nothing to diagnose).
func corpusDiagnosis(t *testing.T, e corpusEntry) (d *mailer.Diagnosis, positive bool) {
	t.Helper()
	facts := mailer.Facts{Req: mailer.Request{ClientID: "11111111-aaaa-4bbb-8ccc-000000000001", Tenant: "contoso.onmicrosoft.com", Mailbox: "billing@contoso.com"}}
	switch e.Kind {
	case "smtp":
		reply, err := exchange.ParseReplyText(e.Reply)
		if err != nil {
			t.Fatalf("%s: the reply parser refused %q: %v", e.ID, e.Reply, err)
		}
		if reply.Code < 400 {
			return nil, true
		}
		// Replies shown without their command are non-delivery reports of a submission.
		stage := mailer.StageData
		if e.Stage != "" {
			stage = mailer.Stage(e.Stage)
		}
		facts.Stage = stage
		facts.Err = &mailer.ReplyError{Stage: stage, Reply: reply}
	case "token":
		status := e.HTTPStatus
		if status == 0 {
			status = http.StatusBadRequest // not shown: Entra's usual status for a refusal
		}
		header := http.Header{}
		if e.RetryAfter != "" {
			header.Set("Retry-After", e.RetryAfter)
		}
		facts.Stage = mailer.StageToken
		facts.Err = exchange.TokenErrorForTest(status, header, tokenBody(t, e), time.Now())
	}
	return mailer.Diagnose(facts), false
}

// tokenBody is the body as the source shows it; where it shows only the fields, they are put
// into Entra's JSON shape unchanged (nothing added that the source does not show).
func tokenBody(t *testing.T, e corpusEntry) []byte {
	if e.Reply != "" {
		return []byte(e.Reply)
	}
	fields := map[string]string{"error_description": e.ErrorDescription}
	if e.Error != "" {
		fields["error"] = e.Error
	}
	b, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCorpus_EveryReplyGetsItsSpecificDiagnosis(t *testing.T) {
	type tally struct{ specific, generic, wrong int }
	perCause := map[string]*tally{}
	hit := map[string]bool{}
	positives := 0
	for _, e := range loadCorpus(t) {
		d, positive := corpusDiagnosis(t, e)
		if positive {
			positives++
			if !positiveCauses[e.ExpectedCause] {
				t.Errorf("%s: reply %q reads as success, want a failure with cause %s", e.ID, e.Reply, e.ExpectedCause)
			}
			continue
		}
		tl := perCause[e.ExpectedCause]
		if tl == nil {
			tl = &tally{}
			perCause[e.ExpectedCause] = tl
		}
		want, known := causeCodes[e.ExpectedCause]
		if !known {
			t.Errorf("%s: cause %q has no row in causeCodes", e.ID, e.ExpectedCause)
			continue
		}
		hit[d.Code] = true
		switch {
		case genericCodes[d.Code]:
			tl.generic++
			t.Errorf("%s: got the fallback %s for %q, want one of %v", e.ID, d.Code, e.Reply+e.ErrorDescription, want)
		case !contains(want, d.Code):
			tl.wrong++
			t.Errorf("%s: got %s, want one of %v (cause %s)", e.ID, d.Code, want, e.ExpectedCause)
		default:
			tl.specific++
		}
		if d.Temporary != temporaryCauses[e.ExpectedCause] {
			t.Errorf("%s: %s temporary=%v, want %v", e.ID, d.Code, d.Temporary, temporaryCauses[e.ExpectedCause])
		}
		if e.RetryAfter != "" && strconv.Itoa(d.RetryAfterSeconds) != e.RetryAfter {
			t.Errorf("%s: wait %d s, want the Retry-After %s", e.ID, d.RetryAfterSeconds, e.RetryAfter)
		}
		en, de := i18n.Localize(d, i18n.EN), i18n.Localize(d, i18n.DE)
		if en.Title == "" || en.Title == d.Code || en.Explanation == "" || len(en.Steps) == 0 {
			t.Errorf("%s: %s has no English words: %q / %q", e.ID, d.Code, en.Title, en.Explanation)
		}
		if de.Code != d.Code || de.Title == "" || de.Title == en.Title || de.Explanation == "" || de.Explanation == en.Explanation || len(de.Steps) != len(en.Steps) {
			t.Errorf("%s: %s is not complete in German: %q / %q", e.ID, d.Code, de.Title, de.Explanation)
		}
		for i := range de.Steps {
			if de.Steps[i].Text == "" || de.Steps[i].Text == en.Steps[i].Text {
				t.Errorf("%s: %s step %d has no German", e.ID, d.Code, i+1)
			}
		}
	}
	causes := make([]string, 0, len(perCause))
	total := tally{}
	for c, tl := range perCause {
		causes = append(causes, c)
		total.specific, total.generic, total.wrong = total.specific+tl.specific, total.generic+tl.generic, total.wrong+tl.wrong
	}
	sort.Strings(causes)
	var b strings.Builder
	for _, c := range causes {
		tl := perCause[c]
		b.WriteString(c + "=" + strconv.Itoa(tl.specific) + "/" + strconv.Itoa(tl.specific+tl.generic+tl.wrong) + " ")
	}
	t.Logf("failures: %d specific, %d generic, %d wrong; %d positive replies (not diagnosed)", total.specific, total.generic, total.wrong, positives)
	t.Logf("specific per cause: %s", b.String())

	for _, d := range mailer.Catalogue() {
		switch {
		case notFromAnswers[d.Code] || genericCodes[d.Code]:
		case hit[d.Code] && documentedOnly[d.Code] != "":
			t.Errorf("%s is listed as documented only, but a real reply produces it: take it off the list", d.Code)
		case !hit[d.Code] && documentedOnly[d.Code] == "":
			t.Errorf("catalogue entry %s is produced by no real reply in the corpus and is not listed as documented only", d.Code)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
