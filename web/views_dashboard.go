package web

// FleetControls are the dashboard's controls for many connections: counts by state that filter,
// tag, status and sort choices, the pager, and the CSV links.
type FleetControls struct {
	Counts                []StatusCount
	Tag, Status, Sort     string
	Tags, Statuses, Sorts []Option
	Pager                 Pager
	NoMatch               string // why no row is shown when some connections exist
	ExportHref            string // the CSV of what the filters select
	CanImport             bool   // admins import connections
}

// StatusCount is one count at the top of the dashboard, a link that filters by it.
type StatusCount struct {
	// Key is "all", "passing", "failing", "untested", "expiring" or "missing".
	Key, Label string
	Count      int
	Href       string
	Active     bool
}

// Pager moves through the pages of a long list.
type Pager struct {
	Page, Pages int
	// Prev and Next are empty on the first and last page.
	Prev, Next string
	// Summary reads like "1–50 of 2,000".
	Summary string
}

// Link is a labelled address.
type Link struct{ Label, Href string }

// ImportView is the CSV import page, with the problems of a refused file.
type ImportView struct {
	Page
	Columns  []string
	MaxKiB   int
	Problems []ImportProblemView
}

// ImportProblemView is one problem of an import file; Line 0 is the whole file.
type ImportProblemView struct {
	Line            int
	Column, Message string
}
