package mailer

import "strings"

// Reference pages for the replies below.
const (
	docNDR      = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online"
	docHVE      = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/high-volume-mails-m365"
	docRestrict = "https://security.microsoft.com/restrictedentities"
)

// replyCatalogue holds the client-submission replies Exchange Online documents that the first
// catalogue does not, decided from reply code, enhanced code and stage. It is matched before
// the first catalogue, so each rule here must not claim a reply an older row explains better.
var replyCatalogue = []entry{
	{Code: CodeBasicAuthRetired, Doc: docSMTPAuth, reply: replyIs(550, "5.7.30"), temporary: never,
		steps: one("diag.AUTH_BASIC_RETIRED.step.1")},
	{Code: CodeTokenExpiring, Doc: docHVE, reply: replyIs(501, "5.5.127"), temporary: always,
		steps: one("diag.AUTH_TOKEN_EXPIRING.step.1")},
	{Code: CodeXOAUTH2DataInvalid, Doc: docOAuth, temporary: never,
		reply: func(c int, e, _ string, s Stage) bool {
			return c == 501 && (e == "5.5.124" || s == StageAuth && strings.HasPrefix(e, "5.5."))
		},
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.AUTH_XOAUTH2_DATA_INVALID.step.1", v.Mailbox)}}
		}},
	{Code: CodeAuthTypeUnknown, Doc: docOAuth, temporary: never,
		reply: func(c int, e, _ string, s Stage) bool { return c == 504 && (e == "5.7.4" || s == StageAuth) },
		steps: one("diag.AUTH_MECHANISM_UNRECOGNIZED.step.1")},
	{Code: CodeSTARTTLSRequired, Doc: docMFD, temporary: never,
		reply: func(c int, e, _ string, s Stage) bool {
			return c == 451 && e == "5.7.3" || c == 530 && e == "5.7.0" && beforeMail(s)
		},
		steps: one("diag.STARTTLS_REQUIRED.step.1")},
	{Code: CodeServiceUnavailable, Doc: docMFD, temporary: always,
		// 421 closes the channel (RFC 5321), whatever the enhanced code; only TLS 1.0/1.1 needs a change.
		reply: func(c int, e, _ string, _ Stage) bool { return c == 421 && e != "4.7.66" },
		steps: one("diag.SERVICE_NOT_AVAILABLE.step.1")},
	{Code: CodeServerBusy, Doc: docNDR, temporary: always,
		reply: func(c int, e, _ string, _ Stage) bool { return c/100 == 4 && enhancedIn(e, "4.7.", 500, 699) },
		steps: one("diag.SERVER_BUSY.step.1")},
	// 5.4.5 is "mail system congestion" in RFC 3463; as a permanent reply it is the daily sending
	// quota (the issue lists it with 5.1.90; no Exchange Online transcript confirms it yet).
	{Code: CodeDailyRecipientLimit, Doc: docLimits, temporary: always,
		reply: func(c int, e, _ string, _ Stage) bool { return e == "5.1.90" || c/100 == 5 && e == "5.4.5" },
		steps: one("diag.DAILY_RECIPIENT_LIMIT.step.1")},
	{Code: CodeSpamAbuse, Doc: docRestrict, temporary: never,
		reply: func(c int, e, _ string, _ Stage) bool { return c/100 == 5 && enhancedIn(e, "5.7.", 501, 503) },
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.SENDER_BANNED_SPAM.step.1", v.Mailbox)}}
		}},
	{Code: CodeExternalForwarding, Doc: docNDR, reply: func(_ int, e, _ string, _ Stage) bool { return e == "5.7.520" }, temporary: never,
		steps: one("diag.EXTERNAL_FORWARDING_BLOCKED.step.1")},
	{Code: CodeUnregisteredDomain, Doc: docNDR, reply: func(_ int, e, _ string, _ Stage) bool { return e == "5.7.750" }, temporary: never,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.SENDER_DOMAIN_UNREGISTERED.step.1", v.From)}}
		}},
	{Code: CodeTenantBlocked, Doc: docNDR, temporary: never,
		reply: func(c int, e, _ string, _ Stage) bool { return c/100 == 5 && enhancedIn(e, "5.7.", 700, 799) },
		steps: one("diag.TENANT_OUTBOUND_BLOCKED.step.1")},
}

// beforeMail: the stages before a message transaction starts.
func beforeMail(s Stage) bool {
	return s == StageBanner || s == StageEHLO || s == StageSTARTTLS || s == StageTLS || s == StageEHLOTLS || s == StageAuth
}

// enhancedIn reports whether an enhanced code is prefix+N with lo <= N <= hi, e.g. 4.7.500–4.7.699.
func enhancedIn(enhanced, prefix string, lo, hi int) bool {
	rest, ok := strings.CutPrefix(enhanced, prefix)
	if !ok || rest == "" {
		return false
	}
	n := 0
	for _, r := range rest {
		if r < '0' || r > '9' {
			return false
		}
		n = n*10 + int(r-'0')
	}
	return n >= lo && n <= hi
}
