package store

import "time"

// Options are a database's settings besides its file and keys. The zero value is production's:
// each zero field means its default.
type Options struct {
	// Now is the clock; nil means time.Now. Tests pass a fixed or stepping one.
	Now func() time.Time
	// Password is argon2id's cost for new hashes; zero means DefaultPasswordParams. Tests lower
	// it, since the race detector makes argon2 very slow.
	Password PasswordParams
	// HashLimit argon2 hashes run at once; one more waits up to HashWait for a slot, then fails
	// with ErrBusy. Zero means DefaultHashLimit and DefaultHashWait.
	HashLimit int
	HashWait  time.Duration
	// RotateHook, if set, runs before Rotate re-seals each row: tests stop a rotation halfway
	// with it, as a crash would.
	RotateHook func(row int) error
	// HashHook, if set, runs at each argon2 computation; tests count and time them with it.
	HashHook func()
}

// withDefaults fills the zero fields.
func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Password == (PasswordParams{}) {
		o.Password = DefaultPasswordParams
	}
	if o.HashLimit <= 0 {
		o.HashLimit = DefaultHashLimit
	}
	if o.HashWait <= 0 {
		o.HashWait = DefaultHashWait
	}
	return o
}
