package web

import (
	"fmt"
	"strconv"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Page is what the layout needs from every page.
type Page struct {
	Title string
	// Nav is the active navigation entry: "profiles", "wizard" or "runs".
	Nav string
	// Demo says the console runs with the simulated Exchange Online.
	Demo bool
	// User is the signed-in user's name, empty on the sign-in pages; Admin shows admin controls.
	User  string
	Admin bool
	// Path is the page's own address, where the language switch returns to.
	Path string
	// Notice confirms the change that led here ("saved", "deleted"), once, after its redirect.
	Notice string
}

// SignInView is the sign-in form.
type SignInView struct {
	Page
	Username, Next, Error string
	// FirstStart is set while no user exists: the page explains the setup link from the log.
	FirstStart bool
}

// SetupView creates the first administrator.
type SetupView struct {
	Page
	Username string
	Errors   map[string]string
}

// AuditView is the audit log page.
type AuditView struct {
	Page
	Actor, Action, From, To string
	Entries                 []AuditRow
	CSVURL                  string
}

// AuditRow is one audit entry.
type AuditRow struct {
	At, Actor, Action, Target, Detail, RemoteAddr string
}

// Option is a choice in a select or radio group.
type Option struct {
	Value, Label string
	Selected     bool
}

// DashboardView is the list of connections.
type DashboardView struct {
	Page
	Filter string
	Rows   []DashboardRow
	// Total counts all profiles, so an empty filter result is told apart from an empty console.
	Total int
	// Fleet holds the counts, the tag, status and sort controls and the pager.
	Fleet FleetControls
}

// DashboardRow is one connection on the dashboard.
type DashboardRow struct {
	ID                           int64
	Name, Cloud, Tenant, Mailbox string
	Simulated                    bool
	LastRun                      *RunSummaryView
	SecretAge                    string
	ExpiryWarning, ExpiryLevel   string // level: "", "soon", "expired"
	// ExpiryDays is the warning's threshold: "", "30", "14", "7" or "expired".
	ExpiryDays string
	// Status is "passing", "failing" or "untested".
	Status string
	Tags   []Link
	// SecretMissing marks a connection saved without its secret (a web import).
	SecretMissing bool
}

// RunSummaryView is a run in a list.
type RunSummaryView struct {
	ID, Outcome, When, Title, By, ProfileName string
}

// Passed reports a passed run.
func (r RunSummaryView) Passed() bool { return r.Outcome == "passed" }

// ProfileFormValues are the form's fields as typed (never the secret).
type ProfileFormValues struct {
	Name, Cloud, Tenant, ClientID, CredentialKind string
	CertificatePEM, SecretExpiresOn               string
	Mailbox, From, TestRecipient, SMTPHost        string
	Authority, Notes, TestMode                    string
	// AuthModel is "permission", "rbac" or "unsure".
	AuthModel string
	// Tags are comma-separated, as typed.
	Tags string
}

// ProfileFormView is the new-connection wizard and the edit form.
type ProfileFormView struct {
	Page
	ID      int64 // 0 for a new connection
	Values  ProfileFormValues
	Errors  map[string]string
	Clouds  []Option
	Secret  SecretStatus
	General string // an error not tied to a field
	// TokenCheck is step 1's result when the page comes back without JavaScript.
	TokenCheck *TokenCheckView
}

// Editing reports whether the form edits an existing profile.
func (v ProfileFormView) Editing() bool { return v.ID != 0 }

// Action is where the form posts: the page's own address, so a form that comes back with
// errors keeps an address that can be reloaded or bookmarked.
func (v ProfileFormView) Action() string {
	if v.Editing() {
		return "/profiles/" + strconv.FormatInt(v.ID, 10) + "/edit"
	}
	return "/wizard"
}

// SecretStatus describes a stored secret without revealing it.
type SecretStatus struct {
	Set         bool
	SetOn       string
	Hint        string
	IsCert      bool
	ExpiresOn   string
	ExpiryLevel string
}

// TokenCheckView is step 1's answer: the claims with a verdict each, or why there is no token.
type TokenCheckView struct {
	OK         bool
	Checks     []mailer.ClaimCheck
	ObjectID   string
	Diagnosis  *DiagnosisView
	PowerShell PowerShellView
	Errors     map[string]string
}

// PowerShellView is step 2's commands, filled in.
type PowerShellView struct {
	AppID, ObjectID, Mailbox, Tenant string
	Commands                         []CommandView
}

// CommandView is a command with a copy button.
type CommandView struct {
	ID, Label, Text string
}

// ProfileView is one connection's page.
type ProfileView struct {
	Page
	ID                            int64
	Name, Cloud, Tenant, ClientID string
	Mailbox, From, TestRecipient  string
	SMTPHost, Authority, Notes    string
	Simulated                     bool
	Secret                        SecretStatus
	Created, Updated              string
	Claims                        *ClaimsView
	Runs                          []RunSummaryView
	PowerShell                    PowerShellView
	// Recipient is who "Test now" may send to; RunMode the mode asked for when it comes back.
	Recipient RecipientChoice
	RunMode   string
	// Tags link to the dashboard's list of each; SecretMissing marks a connection imported without its secret.
	Tags          []Link
	SecretMissing bool
	// Retest is the connection's own re-test interval in minutes ("" follows the default, which
	// DefaultRetest gives; 0 is off).
	Retest        string
	DefaultRetest int
}

// ClaimsView shows the token claims of the last run.
type ClaimsView struct {
	Audience, TenantID, AppID, ObjectID, Expires, Version string
	Roles                                                 string
	Checks                                                []mailer.ClaimCheck
	FromRun                                               string
}

// RunView is a run's page.
type RunView struct {
	Page
	ID, ProfileName, StartedBy, StartedAt string
	ProfileID                             int64
	ProfileDeleted, Live                  bool
	Mode                                  string
	// Token says whether the run fetched a new token or reused one; empty when it got none.
	Token    string
	Events   []mailer.Event
	After    int
	Progress []PhaseView
	Verdict  *VerdictView
	// Wait says what a live run is waiting for; nil once it has finished.
	Wait *WaitView
}

// WaitView is what a live run is doing now: its step, what it waits for, for how long so far and
// how long at most. The page counts the seconds on from ElapsedMS.
type WaitView struct {
	// Phase is the progress bar's step ("token", "connect", …); What says what is awaited.
	Phase, What string
	ElapsedMS   int64
	// TimeoutS is when the run gives up on this wait, in seconds; 0 when nothing is awaited.
	TimeoutS int
}

// EventsURL is the SSE stream, continuing after the events already on the page.
func (v RunView) EventsURL() string {
	return fmt.Sprintf("/runs/%s/events?after=%d", v.ID, v.After)
}

// PhaseView is one step of the progress bar.
type PhaseView struct {
	Name, Label string
	// State is "done", "active", "failed" or "pending".
	State string
}

// VerdictView is the end of a run: pass, or the diagnosis.
type VerdictView struct {
	// Outcome is "passed", "failed" or "interrupted", for the page and for people who automate it.
	Outcome string
	// Phase is the step the run ended in (a progress bar step name); Duration is in words.
	Phase, Duration string
	// Settings are what an application needs to send like the passed run did; nil otherwise.
	Settings  *SettingsView
	OK        bool
	Summary   string
	Diagnosis *DiagnosisView
	Timings   []TimingView
	Support   string
}

// DiagnosisView is a diagnosis ready to show, with numbered steps.
type DiagnosisView struct {
	Code, Title, Explanation, Quote, DocURL, Stage string
	// StepURL links to the checklist step the diagnosis concerns.
	StepURL   string
	Temporary bool
	// RetryAfter is the wait in seconds the server asked for, zero when it named none.
	RetryAfter int
	Steps      []StepView
	// Causes are the ranked candidates a reply such as 535 5.7.3 leaves open, most likely first.
	Causes []string
}

// StepView is one numbered remediation step.
type StepView struct {
	N       int
	Text    string
	Command CommandView
}

// TimingView is one stage's duration.
type TimingView struct {
	Stage string
	MS    int64
}

// ErrorView is an error page.
type ErrorView struct {
	Page
	Status  int
	Message string
}

// RunsView lists recent runs.
type RunsView struct {
	Page
	Runs []RunSummaryView
}

// UsersView lists the console's accounts and adds one.
type UsersView struct {
	Page
	Users            []UserRow
	NewName, NewRole string
	Errors           map[string]string
}

// UserRow is one account.
type UserRow struct {
	ID                  int64
	Name, Role, Created string
	Self                bool
}

// ChecklistView is the setup checklist of one connection.
type ChecklistView struct {
	Page
	ProfileID             int64
	ProfileName, ObjectID string
	ScriptURL             string
	Script                CommandView
	Steps                 []ChecklistStepView
}

// ChecklistStepView is one step with its status in words and colour.
type ChecklistStepView struct {
	N                            int
	ID, Title, What, Where       string
	Status, StatusLabel, Finding string
	RunURL                       string
	Commands                     []CommandView
}
