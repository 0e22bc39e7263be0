package fleet

import (
	"strconv"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// ExpiryThresholds are the days before a credential's expiry at which people are warned, widest
// first. Zero stands for "expired".
var ExpiryThresholds = []int{30, 14, 7}

// ExpiryLevel is the narrowest threshold a credential expiring on expiresOn has reached at now:
// 30, 14 or 7 days, 0 once expired; ok is false while it is further away than every threshold
// (or its date is unknown). Days count whole calendar days in UTC. Entra shows a date but
// expires the secret at a time of that day, so the day itself already counts as expired:
// a warning a few hours early beats a mail that went unsent.
func ExpiryLevel(expiresOn, now time.Time) (level, daysLeft int, ok bool) {
	if expiresOn.IsZero() {
		return 0, 0, false
	}
	daysLeft = DaysLeft(expiresOn, now)
	if daysLeft <= 0 {
		return 0, daysLeft, true
	}
	ok = false
	for _, t := range ExpiryThresholds {
		if daysLeft <= t {
			level, ok = t, true
		}
	}
	return level, daysLeft, ok
}

// DaysLeft counts calendar days (UTC) from now's date to expiresOn's date.
func DaysLeft(expiresOn, now time.Time) int {
	day := func(t time.Time) time.Time {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return int(day(expiresOn).Sub(day(now)).Hours() / 24)
}

// ExpiryAlert is the warning due for c at now, if any. Its key holds the expiry date and the
// level, so each threshold warns once per date: a renewed secret (a new date) warns afresh, and
// a console that was off while two thresholds passed sends only the narrower one.
func ExpiryAlert(c Connection, now time.Time) (Alert, bool) {
	level, days, ok := ExpiryLevel(c.ExpiresOn, now)
	if !ok {
		return Alert{}, false
	}
	date := c.ExpiresOn.UTC().Format(time.DateOnly)
	a := Alert{Key: "expiry/" + strconv.FormatInt(c.ID, 10) + "/" + c.Credential + "/" + date + "/" + strconv.Itoa(level),
		ConnectionID: c.ID, Connection: c.Name, Credential: c.Credential, ExpiresOn: date,
		DaysLeft: &days, Threshold: &level, RaisedAt: now}
	cert := c.Credential == "certificate"
	switch {
	case level == 0 && cert:
		a.Kind, a.Message = KindExpired, mailer.Msg(MsgExpiredCertificate, c.Name, date)
	case level == 0:
		a.Kind, a.Message = KindExpired, mailer.Msg(MsgExpiredSecret, c.Name, date)
	case cert:
		a.Kind, a.Message = KindExpiring, mailer.Msg(MsgExpiringCertificate, c.Name, date, strconv.Itoa(days))
	default:
		a.Kind, a.Message = KindExpiring, mailer.Msg(MsgExpiringSecret, c.Name, date, strconv.Itoa(days))
	}
	return a, true
}
