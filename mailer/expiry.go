package mailer

import (
	"time"
)

// ExpiryLevel is how urgently a credential's expiry needs attention. The levels are ordered, so
// a later level is a higher value: an alert raised once per level crossed compares them.
type ExpiryLevel int

// Expiry levels: nothing to say, at most 30, 14 and 7 days left, expired.
const (
	ExpiryNone ExpiryLevel = iota
	Expiry30
	Expiry14
	Expiry7
	ExpiryExpired
)

// String is the level's stable name, as CSS classes, CSV cells and alert payloads carry it.
func (l ExpiryLevel) String() string {
	switch l {
	case Expiry30:
		return "30"
	case Expiry14:
		return "14"
	case Expiry7:
		return "7"
	case ExpiryExpired:
		return "expired"
	}
	return ""
}

// Expiry is a credential's end and how close it is.
type Expiry struct {
	// At is the instant the credential stops working.
	At time.Time
	// Days is the number of whole days left (0 on the last day); negative once expired.
	Days  int
	Level ExpiryLevel
}

// ExpiryAt decides the warning level of a credential ending at at, seen at now. The zero time
// means the end is unknown: no warning.
func ExpiryAt(at, now time.Time) Expiry {
	if at.IsZero() {
		return Expiry{}
	}
	left := at.Sub(now)
	e := Expiry{At: at, Days: int(left / day)}
	switch {
	case left <= 0:
		// Whole days since it ended, counted down from -1 on its first day gone.
		e.Days = -1 - int(-left/day)
		e.Level = ExpiryExpired
	case left <= 7*day:
		e.Level = Expiry7
	case left <= 14*day:
		e.Level = Expiry14
	case left <= ExpiryWindow:
		e.Level = Expiry30
	}
	return e
}

// SecretExpiryTime is when a client secret whose portal "Expires" column shows the date on
// (YYYY-MM-DD) stops working, taken as the end of that day in UTC: the portal shows no time, and
// the warning must not come after the fact. ok is false when on is empty or not such a date.
func SecretExpiryTime(on string) (at time.Time, ok bool) {
	d, err := time.Parse(time.DateOnly, on)
	if err != nil {
		return time.Time{}, false
	}
	return d.AddDate(0, 0, 1), true
}

const day = 24 * time.Hour

// ExpiryWindow is how far ahead a credential counts as expiring: the first warning threshold.
// A credential with at most this long left is "expiring" on the dashboard.
const ExpiryWindow = 30 * day
