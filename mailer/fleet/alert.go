package fleet

import (
	"strconv"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Alert kinds: what happened to a connection. They are stable strings, used in the webhook's
// JSON and in the delivery history.
const (
	KindFailing   = "failing"   // passing → failing
	KindRecovered = "recovered" // failing → passing
	KindExpiring  = "expiring"  // a credential's expiry came within a threshold
	KindExpired   = "expired"   // a credential's expiry date has come
	KindTest      = "test"      // an admin pressed a test button
)

// Alert message codes; web/i18n puts them into English and German. Their arguments are listed
// with each code, in order.
const (
	// MsgFailing: connection, diagnosis code.
	MsgFailing = "ALERT_FAILING"
	// MsgFailingExpired: connection. A run met AADSTS7000222: the client secret has expired.
	MsgFailingExpired = "ALERT_FAILING_EXPIRED"
	// MsgRecovered: connection.
	MsgRecovered = "ALERT_RECOVERED"
	// MsgExpiringSecret and MsgExpiringCertificate: connection, expiry date (YYYY-MM-DD), days left.
	MsgExpiringSecret      = "ALERT_EXPIRING_SECRET"
	MsgExpiringCertificate = "ALERT_EXPIRING_CERTIFICATE"
	// MsgExpiredSecret and MsgExpiredCertificate: connection, expiry date.
	MsgExpiredSecret      = "ALERT_EXPIRED_SECRET"
	MsgExpiredCertificate = "ALERT_EXPIRED_CERTIFICATE"
	// MsgTest: the user who asked.
	MsgTest = "ALERT_TEST"
)

// MessageCodes lists every alert message code, so that web/i18n's completeness test covers them.
func MessageCodes() []string {
	return []string{MsgFailing, MsgFailingExpired, MsgRecovered, MsgExpiringSecret, MsgExpiringCertificate, MsgExpiredSecret,
		MsgExpiredCertificate, MsgTest}
}

// Alert is one thing to tell people about. It holds codes and parameters, never sentences (the
// console's catalogue renders them) and never a secret. Key identifies the event it reports:
// raising the same key twice delivers once.
type Alert struct {
	Key          string         `json:"id"`
	Kind         string         `json:"kind"`
	Message      mailer.Message `json:"message"`
	ConnectionID int64          `json:"connection_id,omitempty"`
	Connection   string         `json:"connection,omitempty"`
	// RunID is the run that caused a transition alert.
	RunID string `json:"run_id,omitempty"`
	// Diagnosis is the failing run's diagnosis code.
	Diagnosis string `json:"diagnosis,omitempty"`
	// Credential ("secret" or "certificate"), ExpiresOn (its last day, YYYY-MM-DD), DaysLeft
	// and Level ("30", "14", "7" or "expired", as mailer.ExpiryLevel names it) describe an
	// expiry alert.
	Credential string    `json:"credential,omitempty"`
	ExpiresOn  string    `json:"expires_on,omitempty"`
	DaysLeft   *int      `json:"days_left,omitempty"`
	Level      string    `json:"level,omitempty"`
	RaisedAt   time.Time `json:"raised_at"`
}

// Status is a connection's standing as its last finished run left it.
type Status string

// Statuses. A run that was interrupted leaves the status as it was.
const (
	StatusUnknown Status = ""        // never tested, or only interrupted runs
	StatusPassing Status = "passing" // the last run passed
	StatusFailing Status = "failing" // the last run failed
)

// Connection is what an alert needs to know about a stored connection.
type Connection struct {
	ID   int64
	Name string
	// Credential is "secret" or "certificate"; ExpiresAt is when it stops working (zero when
	// unknown), as store.Profile.ExpiresAt tells it.
	Credential string
	ExpiresAt  time.Time
}

// RunOutcome is a finished run as the alert rules see it.
type RunOutcome struct {
	ID     string
	Passed bool
	// Diagnosis is the failed run's diagnosis code.
	Diagnosis string
	Finished  time.Time
}

// Status is the status this run leaves its connection in.
func (r RunOutcome) Status() Status {
	if r.Passed {
		return StatusPassing
	}
	return StatusFailing
}

// TransitionAlert decides whether a run that left prev behind is worth an alert: only a change
// between passing and failing is. A first run (prev unknown) raises nothing: the person who
// saved the connection is looking at its result. The key names the run, so that however often
// the same saved run is reported, one alert goes out.
func TransitionAlert(c Connection, prev Status, run RunOutcome) (Alert, bool) {
	now := run.Status()
	if prev == StatusUnknown || prev == now {
		return Alert{}, false
	}
	a := Alert{Key: "transition/" + strconv.FormatInt(c.ID, 10) + "/" + run.ID, ConnectionID: c.ID, Connection: c.Name,
		RunID: run.ID, RaisedAt: run.Finished}
	switch {
	case now == StatusPassing:
		a.Kind, a.Message = KindRecovered, mailer.Msg(MsgRecovered, c.Name)
	case run.Diagnosis == mailer.CodeTokenSecretExpired:
		// AADSTS7000222: the secret is past its date. "Expired" tells the reader what to renew.
		a.Kind, a.Diagnosis, a.Message = KindExpired, run.Diagnosis, mailer.Msg(MsgFailingExpired, c.Name)
	default:
		a.Kind, a.Diagnosis, a.Message = KindFailing, run.Diagnosis, mailer.Msg(MsgFailing, c.Name, run.Diagnosis)
	}
	return a, true
}

// TestAlert is the alert the test buttons send; its key is unique per press.
func TestAlert(by string, now time.Time) Alert {
	return Alert{Key: "test/" + now.UTC().Format(time.RFC3339Nano), Kind: KindTest, Message: mailer.Msg(MsgTest, by), RaisedAt: now}
}
