// Package offline is the link of a workstation with no central server
// configured: sign-in checks the hash kept on this workstation, the next
// ticket comes from the window's own queue, and the status is always
// offline with the outbox depth read from the store. It is real behaviour
// for a standalone window, and the TUI's default link.
package offline

import (
	"context"
	"sync"
	"time"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

// Link is the offline-only link.
type Link struct {
	store   *localdb.Store
	updates chan link.Status
	nudge   chan struct{}

	mu     sync.Mutex
	status link.Status
	done   chan struct{}
	once   sync.Once
}

// New starts the offline link over store: it reads the outbox depth now and
// after every Nudge, in the background.
func New(store *localdb.Store) *Link {
	l := &Link{
		store:   store,
		updates: make(chan link.Status, 1),
		nudge:   make(chan struct{}, 1),
		status:  link.Status{State: link.Offline},
		done:    make(chan struct{}),
	}
	go l.run()
	l.Nudge()
	return l
}

// Close stops the background reader.
func (l *Link) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *Link) run() {
	for {
		select {
		case <-l.done:
			return
		case <-l.nudge:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		st, err := l.store.Outbox(ctx)
		cancel()
		l.mu.Lock()
		next := l.status
		if err == nil {
			next.Pending, next.Rejected = st.Pending, st.Rejected
			next.LastSync = st.LastPull
			next.Err = ""
		} else {
			next.Err = err.Error()
		}
		changed := next != l.status
		l.status = next
		l.mu.Unlock()
		if changed {
			l.publish(next)
		}
	}
}

// publish hands the newest status over, replacing one not yet read.
func (l *Link) publish(st link.Status) {
	for {
		select {
		case l.updates <- st:
			return
		default:
		}
		select {
		case <-l.updates:
		default:
		}
	}
}

// Status is the last status.
func (l *Link) Status() link.Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status
}

// Updates delivers a new status after every change.
func (l *Link) Updates() <-chan link.Status { return l.updates }

// SignIn checks the password against the hash kept on this workstation.
func (l *Link) SignIn(ctx context.Context, login, password string, window int) (domain.Operator, bool, error) {
	op, err := l.store.SignInOffline(ctx, login, password)
	if err != nil {
		return op, false, err
	}
	if window != 0 {
		op.Window = window
	}
	return op, false, nil
}

// CallNext calls the next ticket of the window's own queue.
func (l *Link) CallNext(ctx context.Context, actor string, equipment []string) (localdb.Ticket, bool, error) {
	t, err := l.store.CallNext(ctx, actor, equipment)
	if err == nil {
		l.Nudge()
	}
	return t, false, err
}

// Nudge re-reads the outbox depth soon.
func (l *Link) Nudge() {
	select {
	case l.nudge <- struct{}{}:
	default:
	}
}
