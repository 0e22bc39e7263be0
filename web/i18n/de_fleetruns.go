package i18n

// deFleetRuns holds the words of fleet runs and the re-test schedule in German.
var deFleetRuns = map[string]string{
	"store.retest_invalid": "Geben Sie das Intervall für erneute Tests in Minuten an, von 0 (nie) bis %s",

	"fleet.test_all":      "Alle testen",
	"fleet.test_failing":  "Fehlerhafte testen",
	"fleet.test_selected": "Ausgewählte testen",
	"fleet.tag":           "Schlagwort",
	"fleet.test_tag":      "Schlagwort testen",
	"fleet.list_link":     "Flottenläufe",
	"fleet.select":        "%s für „Ausgewählte testen“ auswählen",

	"fleet.title":         "Flottenlauf",
	"fleet.lead":          "%s: %d Verbindungen, gestartet von %s am %s. Jede Zeile verweist auf ihren Lauf, sobald ihr Test beginnt.",
	"fleet.cancelled_by":  "Abgebrochen von %s: noch nicht begonnene Tests laufen nicht mehr; laufende Tests enden und werden gespeichert.",
	"fleet.col_state":     "Zustand",
	"fleet.col_diagnosis": "Diagnose",
	"fleet.queued":        "Wartend",
	"fleet.running":       "Laufend",
	"fleet.passed":        "Bestanden",
	"fleet.failed":        "Fehlgeschlagen",
	"fleet.cancelled":     "Abgebrochen",
	"fleet.skipped":       "Übersprungen",
	"fleet.cancel":        "Flottenlauf abbrechen",

	"fleet.state.queued":    "wartend",
	"fleet.state.running":   "laufend",
	"fleet.state.passed":    "bestanden",
	"fleet.state.failed":    "fehlgeschlagen",
	"fleet.state.cancelled": "abgebrochen",
	"fleet.state.skipped":   "übersprungen (gelöscht oder ohne Geheimnis)",

	"fleet.sel.all":      "Alle Verbindungen",
	"fleet.sel.failing":  "Die fehlerhaften Verbindungen",
	"fleet.sel.selected": "Die ausgewählten Verbindungen",
	"fleet.sel.tag":      "Die Verbindungen mit dem Schlagwort %s",
	"fleet.sel.schedule": "Verbindungen, deren geplanter Test fällig ist",

	"fleet.list_title":     "Flottenläufe",
	"fleet.none":           "Noch kein Flottenlauf. Starten Sie einen auf der Seite der Verbindungen.",
	"fleet.col_started":    "Gestartet",
	"fleet.col_by":         "Von",
	"fleet.col_selection":  "Verbindungen",
	"fleet.col_total":      "Anzahl",
	"fleet.schedule_label": "Jede Verbindung alle … Minuten erneut testen (0: aus; das Intervall einer Verbindung geht vor)",
	"fleet.schedule_save":  "Speichern",

	"fleet.err_title":     "Kein Flottenlauf gestartet",
	"fleet.err_selection": "Wählen Sie, welche Verbindungen getestet werden: alle, fehlerhafte, ausgewählte oder ein Schlagwort.",
	"fleet.err_tag":       "Geben Sie das Schlagwort ein, dessen Verbindungen getestet werden sollen.",
	"fleet.err_none":      "Keine Verbindung passt, daher wurde nichts gestartet.",
	"fleet.err_selected":  "Wählen Sie mindestens eine Verbindung in der Tabelle aus und dann „Ausgewählte testen“.",
	"fleet.err_off":       "Flottenläufe sind nicht verfügbar: Diese Konsole läuft ohne ihre Auftragswarteschlange.",
	"fleet.err_rate":      "Sie haben in der letzten Minute %d Flottenläufe gestartet. Bitte %s warten.",
	"fleet.err_minutes":   "Geben Sie das Intervall als ganze Zahl von Minuten an (0 schaltet es aus).",
}
