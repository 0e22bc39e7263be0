package i18n

// The API tokens page's words, kept beside the main catalogue until the catalogues are split by
// language; they join it at start.
var tokenCatalogue = map[string][2]string{
	"tokens.title":     {"API tokens", "API-Tokens"},
	"tokens.lead":      {"Scripts and monitors use these with the REST API (/api/v1) and /metrics. Only a hash is kept: a token is shown once, when it is made.", "Skripte und Überwachung nutzen sie für die REST-API (/api/v1) und /metrics. Gespeichert wird nur ein Hash: Ein Token wird einmal gezeigt, wenn es entsteht."},
	"tokens.empty":     {"No API tokens yet.", "Noch keine API-Tokens."},
	"tokens.col_scope": {"Scopes", "Bereiche"},
	"tokens.col_ends":  {"Ends in", "Endet auf"},
	"tokens.col_state": {"State", "Zustand"},
	"tokens.col_used":  {"Last used", "Zuletzt benutzt"},
	"tokens.active":    {"active until %s", "gültig bis %s"},
	"tokens.forever":   {"active, never expires", "gültig, läuft nie ab"},
	"tokens.expired":   {"expired %s", "abgelaufen am %s"},
	"tokens.revoked":   {"revoked %s", "widerrufen am %s"},
	"tokens.never":     {"never", "nie"},
	"tokens.revoke":    {"Revoke", "Widerrufen"},
	"tokens.add":       {"Create a token", "Token erstellen"},
	"tokens.name":      {"Name (shown in the audit log)", "Name (steht im Prüfprotokoll)"},
	"tokens.role":      {"Role", "Rolle"},
	"tokens.scopes":    {"May be used for", "Darf benutzt werden für"},
	"tokens.scope_api": {"the REST API", "die REST-API"},
	"tokens.scope_met": {"Prometheus metrics", "Prometheus-Metriken"},
	"tokens.expires":   {"Expires", "Läuft ab"},
	"tokens.days":      {"after %d days", "nach %d Tagen"},
	"tokens.no_expiry": {"never", "nie"},
	"tokens.submit":    {"Create token", "Token erstellen"},
	"tokens.created":   {"Token %s created. Copy it now: it is not shown again.", "Token %s erstellt. Jetzt kopieren: Es wird nicht wieder gezeigt."},
	"tokens.link":      {"API tokens for scripts and monitors", "API-Tokens für Skripte und Überwachung"},
}

func init() {
	for k, v := range tokenCatalogue {
		catalogue[k] = v
	}
}
