package mailer_test

import (
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

func TestExpiryAt(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tc := range []struct {
		name  string
		left  time.Duration
		level mailer.ExpiryLevel
		days  int
	}{
		{"FarAway", 31 * day, mailer.ExpiryNone, 31},
		{"Exactly30", 30 * day, mailer.Expiry30, 30},
		{"Just15", 15 * day, mailer.Expiry30, 15},
		{"Exactly14", 14 * day, mailer.Expiry14, 14},
		{"Exactly7", 7 * day, mailer.Expiry7, 7},
		{"LastHour", time.Hour, mailer.Expiry7, 0},
		{"JustExpired", -time.Minute, mailer.ExpiryExpired, -1},
		{"ExpiredNow", 0, mailer.ExpiryExpired, -1},
		{"LongExpired", -3*day - time.Hour, mailer.ExpiryExpired, -4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mailer.ExpiryAt(now.Add(tc.left), now)
			if e.Level != tc.level || e.Days != tc.days {
				t.Fatalf("got level %q, %d days; want %q, %d days", e.Level, e.Days, tc.level, tc.days)
			}
		})
	}
	t.Run("Unknown", func(t *testing.T) {
		if e := mailer.ExpiryAt(time.Time{}, now); e.Level != mailer.ExpiryNone {
			t.Fatalf("got %q, want no warning for an unknown end", e.Level)
		}
	})
	t.Run("LevelsOrdered", func(t *testing.T) {
		if !(mailer.ExpiryNone < mailer.Expiry30 && mailer.Expiry30 < mailer.Expiry14 && mailer.Expiry14 < mailer.Expiry7 && mailer.Expiry7 < mailer.ExpiryExpired) {
			t.Fatal("levels are not ordered by urgency: an alert per level crossed relies on it")
		}
	})
}

func TestSecretExpiryTime(t *testing.T) {
	at, ok := mailer.SecretExpiryTime("2026-12-31")
	if !ok || !at.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("got %v %v, want the end of 31 December in UTC", at, ok)
	}
	// The secret still works on its last day: no "expired" before the day is over.
	if e := mailer.ExpiryAt(at, time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)); e.Level != mailer.Expiry7 || e.Days != 0 {
		t.Fatalf("got %q %d on the last day, want the 7-day warning, 0 days", e.Level, e.Days)
	}
	for _, bad := range []string{"", "31.12.2026", "2026-02-30"} {
		if _, ok := mailer.SecretExpiryTime(bad); ok {
			t.Errorf("%q: got a time, want none", bad)
		}
	}
}
