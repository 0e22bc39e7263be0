package fleet

import (
	"context"
	"strings"
	"sync"
)

// mailboxes bounds the checks that hold an SMTP session on each sending mailbox at once.
type mailboxes struct {
	limit int
	mu    sync.Mutex
	sems  map[string]*mailboxSem
}

// mailboxSem is one mailbox's slots; users counts holders and waiters, so an idle mailbox's
// entry is dropped and a fleet of thousands of mailboxes does not keep one each.
type mailboxSem struct {
	slots chan struct{}
	users int
}

// acquire waits for a slot on mailbox (case does not matter, as for Exchange) and returns its
// release, or ctx's error when ctx ends first.
func (m *mailboxes) acquire(ctx context.Context, mailbox string) (release func(), err error) {
	key := strings.ToLower(strings.TrimSpace(mailbox))
	m.mu.Lock()
	if m.sems == nil {
		m.sems = map[string]*mailboxSem{}
	}
	s := m.sems[key]
	if s == nil {
		s = &mailboxSem{slots: make(chan struct{}, m.limit)}
		m.sems[key] = s
	}
	s.users++
	m.mu.Unlock()
	done := func() {
		m.mu.Lock()
		if s.users--; s.users == 0 {
			delete(m.sems, key)
		}
		m.mu.Unlock()
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-s.slots
			done()
		})
	}, nil
}
