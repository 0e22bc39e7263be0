package web

// TokensView lists API tokens and makes one; NewToken is set only on the answer that made it.
type TokensView struct {
	Page
	Tokens             []TokenRow
	NewToken, NewName  string
	FormName, FormRole string
	Errors             map[string]string
}

// TokenRow is one API token, never the token itself.
type TokenRow struct {
	ID                                        int64
	Name, Role, Scopes, Hint, State, LastUsed string
	Active                                    bool
}
