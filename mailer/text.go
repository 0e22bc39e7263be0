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
