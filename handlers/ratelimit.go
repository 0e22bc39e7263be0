package handlers

import (
	"sync"
	"time"
)

// rateLimiter allows n events per key in any sliding minute. It lives in memory: a restart
// forgets, which is acceptable for abuse limits on test runs.
type rateLimiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	hits   map[string][]time.Time
}

func newRateLimiter(perMinute int) *rateLimiter {
	return &rateLimiter{n: perMinute, window: time.Minute, hits: map[string][]time.Time{}}
}

// allow records an event for key if it is within the limit; otherwise it says how long to wait.
func (l *rateLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	if l == nil || l.n <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.hits[key][:0]
	for _, t := range l.hits[key] {
		if now.Sub(t) < l.window {
			recent = append(recent, t)
		}
	}
	if len(recent) >= l.n {
		l.hits[key] = recent
		return false, l.window - now.Sub(recent[0])
	}
	l.hits[key] = append(recent, now)
	return true, 0
}
