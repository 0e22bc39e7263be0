package i18n

// deFleet holds the words of connection tags, the fleet dashboard, expiry and CSV import/export in German.
var deFleet = map[string]string{
	"form.tags":           "Tags (optional)",
	"form.tags_help":      "Durch Kommas getrennt, z. B. der Kunde: Contoso, Standort Berlin. Das Dashboard filtert danach.",
	"store.tags_too_many": "höchstens %s Tags angeben",
	"store.tag_too_long":  "der Tag %q ist zu lang: höchstens %s Zeichen",
	"store.tag_invalid":   "der Tag %q darf nur Buchstaben, Ziffern, Leerzeichen und . _ - & / enthalten und muss mit einem Buchstaben oder einer Ziffer beginnen; Tags durch Kommas trennen",
}
