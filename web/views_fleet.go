package web

// FleetView is a fleet run's page: its counters and one row per connection.
type FleetView struct {
	Page
	ID        string
	StartedBy string
	StartedAt string
	// Selection says in words which connections the run covers.
	Selection   string
	Total       int
	Counts      FleetCountsView
	Rows        []FleetRowView
	CancelledBy string // empty unless cancelled
	// Finished: no row waits or runs; the page stops asking for changes.
	Finished bool
	// Version is the latest change the page shows; the page asks for changes after it.
	Version int64
}

// FleetCountsView counts a fleet run's rows by state and its failures by diagnosis.
type FleetCountsView struct {
	Queued, Running, Passed, Failed, Cancelled, Skipped int
	ByDiagnosis                                         []FleetDiagnosisView
}

// FleetDiagnosisView is how many rows failed with one diagnosis.
type FleetDiagnosisView struct {
	Code, Title string
	Count       int
}

// FleetRowView is one connection of a fleet run.
type FleetRowView struct {
	ProfileID int64
	Name      string
	// State is queued, running, passed, failed, cancelled or skipped.
	State string
	// RunID links the row to its run once the check began.
	RunID     string
	Diagnosis string
}

// FleetUpdatesView is what changed on a fleet run's page since the page's last look.
type FleetUpdatesView struct {
	ID       string
	Counts   FleetCountsView
	Rows     []FleetRowView
	Finished bool
	Version  int64
	// Cancellable shows the cancel button.
	Cancellable bool
}

// FleetListView lists the latest fleet runs.
type FleetListView struct {
	Page
	Runs []FleetListRow
	// Admin controls: the global re-test interval in minutes (0: off).
	DefaultRetest int
}

// FleetListRow is one fleet run in the list.
type FleetListRow struct {
	ID, StartedBy, StartedAt, Selection string
	Total                               int
	Cancelled                           bool
}
