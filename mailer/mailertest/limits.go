package mailertest

import "strings"

// SenderThreadLimit is how many authenticated SMTP sessions Exchange Online lets submit for one
// mailbox at once; the next is refused with 432 4.3.2 at the end of DATA, where the store driver
// submits the message.
const SenderThreadLimit = 3

// replyThreadLimit is Exchange's refusal of a submission beyond SenderThreadLimit.
const replyThreadLimit = "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=%s]"

// Counters are what the fake has served, for tests and benchmarks.
type Counters struct {
	// TokenRequests is how many requests reached the token endpoint (answered or refused).
	TokenRequests int
	// PeakSessions is, per mailbox (lower case), the most authenticated SMTP sessions it had at once.
	PeakSessions map[string]int
	// ActiveSessions is, per mailbox (lower case), how many authenticated SMTP sessions it has now.
	ActiveSessions map[string]int
	// ThreadLimited is how many submissions were refused with 432 4.3.2 for the sender thread limit.
	ThreadLimited int
}

// Counters returns a copy of the counters so far.
func (s *Server) Counters() Counters {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Counters{TokenRequests: s.tokenRequests, ThreadLimited: s.threadLimited, PeakSessions: make(map[string]int, len(s.peak))}
	for m, n := range s.peak {
		c.PeakSessions[m] = n
	}
	c.ActiveSessions = make(map[string]int, len(s.active))
	for m, n := range s.active {
		c.ActiveSessions[m] = n
	}
	return c
}

// MaxPeakSessions is the highest PeakSessions of any mailbox.
func (c Counters) MaxPeakSessions() int {
	most := 0
	for _, n := range c.PeakSessions {
		most = max(most, n)
	}
	return most
}

// countToken records a request to the token endpoint.
func (s *Server) countToken() {
	s.mu.Lock()
	s.tokenRequests++
	s.mu.Unlock()
}

// sessionStarted records an authenticated session on mailbox and reports whether it is beyond
// the sender thread limit. The caller holds s.mu.
func (s *Server) sessionStartedLocked(mailbox string) (over bool) {
	key := strings.ToLower(mailbox)
	if s.active == nil {
		s.active, s.peak = map[string]int{}, map[string]int{}
	}
	s.active[key]++
	s.peak[key] = max(s.peak[key], s.active[key])
	return s.active[key] > SenderThreadLimit
}

// sessionEnded records the end of an authenticated session on mailbox.
func (s *Server) sessionEnded(mailbox string) {
	key := strings.ToLower(mailbox)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active[key]--; s.active[key] <= 0 {
		delete(s.active, key)
	}
}
