package i18n

// enFleetRuns holds the words of fleet runs and the re-test schedule in English.
var enFleetRuns = map[string]string{
	"store.retest_invalid": "give the re-test interval in minutes, from 0 (never) to %s",

	"fleet.test_all":      "Test all",
	"fleet.test_failing":  "Test failing",
	"fleet.test_selected": "Test selected",
	"fleet.tag":           "Tag",
	"fleet.test_tag":      "Test tag",
	"fleet.list_link":     "Fleet runs",
	"fleet.select":        "Select %s for “Test selected”",

	"fleet.title":         "Fleet run",
	"fleet.lead":          "%s: %d connections, started by %s on %s. Each row links to its run once its check begins.",
	"fleet.cancelled_by":  "Cancelled by %s: checks not yet begun will not run; checks already running finish and are saved.",
	"fleet.col_state":     "State",
	"fleet.col_diagnosis": "Diagnosis",
	"fleet.queued":        "Queued",
	"fleet.running":       "Running",
	"fleet.passed":        "Passed",
	"fleet.failed":        "Failed",
	"fleet.cancelled":     "Cancelled",
	"fleet.skipped":       "Skipped",
	"fleet.cancel":        "Cancel the fleet run",

	"fleet.state.queued":    "queued",
	"fleet.state.running":   "running",
	"fleet.state.passed":    "passed",
	"fleet.state.failed":    "failed",
	"fleet.state.cancelled": "cancelled",
	"fleet.state.skipped":   "skipped (deleted or without a secret)",

	"fleet.sel.all":      "Every connection",
	"fleet.sel.failing":  "The failing connections",
	"fleet.sel.selected": "The selected connections",
	"fleet.sel.tag":      "The connections tagged %s",
	"fleet.sel.schedule": "Connections due for their scheduled re-test",

	"fleet.list_title":     "Fleet runs",
	"fleet.none":           "No fleet run yet. Start one from the connections page.",
	"fleet.col_started":    "Started",
	"fleet.col_by":         "By",
	"fleet.col_selection":  "Connections",
	"fleet.col_total":      "Total",
	"fleet.schedule_label": "Re-test every connection every … minutes (0: off; a connection's own interval wins)",
	"fleet.schedule_save":  "Save",

	"fleet.err_title":     "No fleet run started",
	"fleet.err_selection": "Choose which connections to test: all, failing, selected or a tag.",
	"fleet.err_tag":       "Enter the tag whose connections should be tested.",
	"fleet.err_none":      "No connection matches, so nothing was started.",
	"fleet.err_selected":  "Tick at least one connection in the table, then choose “Test selected”.",
	"fleet.err_off":       "Fleet runs are not available: this console runs without its job queue.",
	"fleet.err_rate":      "You started %d fleet runs in the last minute. Wait %s.",
	"fleet.err_minutes":   "Give the interval as a whole number of minutes (0 turns it off).",
}
