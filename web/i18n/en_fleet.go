package i18n

// enFleet holds the words of connection tags, the fleet dashboard, expiry and CSV import/export in English.
var enFleet = map[string]string{
	"form.tags":           "Tags (optional)",
	"form.tags_help":      "Comma-separated, e.g. the customer: Contoso, Site Berlin. The dashboard filters by them.",
	"store.tags_too_many": "give at most %s tags",
	"store.tag_too_long":  "the tag %q is too long: at most %s characters",
	"store.tag_invalid":   "the tag %q may hold only letters, digits, spaces and . _ - & /, and must start with a letter or digit; separate tags with commas",
}
