package handlers

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// rateLimiter allows n events per key per minute: n at once, then one more every minute/n
// (a token bucket per key, from golang.org/x/time/rate). It lives in memory: a restart
// forgets, which is acceptable for abuse limits on test runs.
type rateLimiter struct {
	mu     sync.Mutex
	n      int
	every  time.Duration
	keys   map[string]*keyLimiter
	swept  time.Time
	window time.Duration
}

// keyLimiter is one key's bucket and when it was last used.
type keyLimiter struct {
	lim  *rate.Limiter
	last time.Time
}

func newRateLimiter(perMinute int) *rateLimiter {
	l := &rateLimiter{n: perMinute, window: time.Minute, keys: map[string]*keyLimiter{}}
	if perMinute > 0 {
		l.every = l.window / time.Duration(perMinute)
	}
	return l
}

// allow records an event for key if it is within the limit; otherwise it says how long to wait.
func (l *rateLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	if l == nil || l.n <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.evictIdle(now)
	k := l.keys[key]
	if k == nil {
		k = &keyLimiter{lim: rate.NewLimiter(rate.Every(l.every), l.n)}
		l.keys[key] = k
	}
	k.last = now
	r := k.lim.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now) // a refused run takes no token
		return false, wait
	}
	return true, 0
}

// evictIdle forgets keys unused for a whole window, at most once a window: their buckets are
// full again, so a fresh one behaves the same, and the map holds only recently active keys.
func (l *rateLimiter) evictIdle(now time.Time) {
	if now.Sub(l.swept) < l.window {
		return
	}
	l.swept = now
	for key, k := range l.keys {
		if now.Sub(k.last) >= l.window {
			delete(l.keys, key)
		}
	}
}

// size is how many keys the limiter remembers.
func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}
