package mailer

// Message is a sentence for a person, held as a stable code and its arguments rather than as
// words: the one text catalogue (package web/i18n) turns it into English, German or any other
// language. The domain and the store build Messages; only the catalogue knows sentences.
// Arguments are strings so that a Message saved as JSON reads back the same.
type Message struct {
	Code string   `json:"code"`
	Args []string `json:"args,omitempty"`
}

// Msg builds a Message.
func Msg(code string, args ...string) Message { return Message{Code: code, Args: args} }

// Words puts a message code and its arguments into a person's language. web/i18n provides it;
// the domain takes it where it writes text for people itself, such as a commented script.
type Words func(code string, args ...string) string

// words is the catalogue the values came with; without one, codes show as themselves, which a
// test notices at once.
func (sv SetupValues) words() Words {
	if sv.Words != nil {
		return sv.Words
	}
	return func(code string, _ ...string) string { return code }
}

// The codes of ClaimCheck.Msg (see ClaimCodes).
const (
	ClaimAudience     = "claims.aud"
	ClaimRoles        = "claims.roles"
	ClaimRolesNone    = "claims.roles_none"
	ClaimTenant       = "claims.tid"
	ClaimTenantDomain = "claims.tid_domain"
	ClaimApp          = "claims.appid"
	ClaimExpires      = "claims.exp"
	ClaimObjectID     = "claims.oid"
)

// ClaimCodes lists every ClaimCheck code, so a test can prove each has words in every language.
func ClaimCodes() []string {
	return []string{ClaimAudience, ClaimRoles, ClaimRolesNone, ClaimTenant, ClaimTenantDomain, ClaimApp, ClaimExpires, ClaimObjectID}
}
