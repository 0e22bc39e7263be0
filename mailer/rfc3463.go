package mailer

import "strings"

// A reply no catalogue entry knows is still explained by its enhanced status code (RFC 3463,
// "Enhanced Mail System Status Codes"; RFC 3207, RFC 4954 and RFC 5248 add details): the class
// says permanent or transient, the subject what kind of problem, the detail which one. The
// diagnosis code names the subject; web/i18n words the class and the detail from the quote.

// classCode is the diagnosis for a reply's subject, or CodeUnknownReply without a known subject.
func classCode(enhanced string) string {
	parts := strings.Split(enhanced, ".")
	if len(parts) != 3 {
		return CodeUnknownReply
	}
	code, ok := map[string]string{
		"0": CodeReplyOther, "1": CodeReplyAddressing, "2": CodeReplyMailbox, "3": CodeReplyMailSystem,
		"4": CodeReplyNetwork, "5": CodeReplyProtocol, "6": CodeReplyContent, "7": CodeReplySecurity,
	}[parts[1]]
	if !ok {
		return CodeUnknownReply
	}
	return code
}

// classCatalogue explains each RFC 3463 subject and what to try.
var classCatalogue = []entry{
	{Code: CodeReplyOther, Doc: docMFD,
		steps: one("diag.REPLY_OTHER_STATUS.step.1")},
	{Code: CodeReplyAddressing, Doc: docMFD,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.REPLY_ADDRESSING_STATUS.step.1", v.From, v.Mailbox)}}
		}},
	{Code: CodeReplyMailbox, Doc: docLimits,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.REPLY_MAILBOX_STATUS.step.1", v.Mailbox)}}
		}},
	{Code: CodeReplyMailSystem, Doc: docMFD,
		steps: one("diag.REPLY_MAIL_SYSTEM_STATUS.step.1")},
	{Code: CodeReplyNetwork, Doc: docMFD,
		steps: one("diag.REPLY_NETWORK_STATUS.step.1")},
	{Code: CodeReplyProtocol, Doc: docMFD,
		steps: one("diag.REPLY_PROTOCOL_STATUS.step.1")},
	{Code: CodeReplyContent, Doc: docMFD,
		steps: one("diag.REPLY_CONTENT_STATUS.step.1")},
	{Code: CodeReplySecurity, Doc: docOAuth,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.REPLY_SECURITY_STATUS.step.1", v.Mailbox, v.From)}}
		}},
}
