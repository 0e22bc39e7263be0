package mailer

import (
	"context"
	"time"
)

// Token is an access token with the time it expires. It is a secret: it never reaches a Result,
// a transcript or a log.
type Token struct {
	Value   string
	Expires time.Time
}

// TokenSource hands a check its token. fetch is the client's own request to Entra ID; the source
// calls it when it has no token to reuse (and may pace or retry it), and says whether the token
// it returns was reused from an earlier run.
type TokenSource interface {
	Token(ctx context.Context, req Request, fetch func(context.Context) (Token, error)) (tok Token, reused bool, err error)
}
