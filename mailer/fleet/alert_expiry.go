package fleet

import (
	"strconv"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// ExpiryAlert is the warning due for c at now, if any, at the levels the core decides
// (mailer.ExpiryAt: 30, 14 and 7 days, expired), the same the dashboard shows. Its key holds the
// expiry instant and the level, so each level warns once per credential: a renewed secret (a new
// date) warns afresh, and a console that was off while two levels passed sends only the later one.
func ExpiryAlert(c Connection, now time.Time) (Alert, bool) {
	e := mailer.ExpiryAt(c.ExpiresAt, now)
	if e.Level == mailer.ExpiryNone {
		return Alert{}, false
	}
	// The last day it works: a secret's portal date (it ends at that day's end), a certificate's NotAfter day.
	date := c.ExpiresAt.Add(-time.Second).UTC().Format(time.DateOnly)
	level, days := e.Level.String(), e.Days
	a := Alert{Key: "expiry/" + strconv.FormatInt(c.ID, 10) + "/" + c.Credential + "/" + c.ExpiresAt.UTC().Format(time.RFC3339) + "/" + level,
		ConnectionID: c.ID, Connection: c.Name, Credential: c.Credential, ExpiresOn: date, DaysLeft: &days, Level: level, RaisedAt: now}
	cert := c.Credential == "certificate"
	switch {
	case e.Level == mailer.ExpiryExpired && cert:
		a.Kind, a.Message = KindExpired, mailer.Msg(MsgExpiredCertificate, c.Name, date)
	case e.Level == mailer.ExpiryExpired:
		a.Kind, a.Message = KindExpired, mailer.Msg(MsgExpiredSecret, c.Name, date)
	case cert:
		a.Kind, a.Message = KindExpiring, mailer.Msg(MsgExpiringCertificate, c.Name, date, strconv.Itoa(days))
	default:
		a.Kind, a.Message = KindExpiring, mailer.Msg(MsgExpiringSecret, c.Name, date, strconv.Itoa(days))
	}
	return a, true
}
