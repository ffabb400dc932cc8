// Package fake is the TUI's test bench: a real workstation store (SQLite in
// a temporary folder) with a small catalogue of its own and a fixed clock,
// and a fake link to the central over it, whose state the test sets.
// Screens are tested against it exactly as they run, without a network;
// each screen takes the small Store interface of its own package, so a
// test may also wrap the store to make one call fail (see the queue's
// TestFailedMoveIsShown).
package fake

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/i18n"
)

// Start is the tests' "now": Monday 23 November 2026, 10:00 Moscow time.
func Start() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("MSK", 3*60*60)) }

// Clock is a clock the test moves by hand.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set sets the clock.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Link is a fake link over a real store: offline unless told otherwise;
// online, it signs in the accounts it was given and calls tickets "from the
// shared queue" (the store's own, in a test).
type Link struct {
	store   *localdb.Store
	updates chan link.Status

	mu       sync.Mutex
	status   link.Status
	online   bool
	accounts map[string]account
	live     link.LiveFeed
	desk     link.DeskAPI
	syncs    int
}

type account struct {
	op       domain.Operator
	password string
}

// NewLink makes the fake link over store, offline.
func NewLink(store *localdb.Store) *Link {
	return &Link{store: store, updates: make(chan link.Status, 16), status: link.Status{State: link.Offline}, accounts: map[string]account{}}
}

// SetStatus sets the link's status and reports it.
func (l *Link) SetStatus(st link.Status) {
	l.mu.Lock()
	l.status = st
	l.online = st.State == link.Online || st.State == link.Syncing
	l.mu.Unlock()
	l.updates <- st
}

// AddAccount makes the central know an operator (for online sign-in).
func (l *Link) AddAccount(op domain.Operator, password string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.accounts[op.Login] = account{op: op, password: password}
}

// SetLive gives the link a supervisor's live queue (nil: none).
func (l *Link) SetLive(f link.LiveFeed) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.live = f
}

// LiveQueue is the feed SetLive gave, if any.
func (l *Link) LiveQueue() link.LiveFeed {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.live
}

// SetDesk gives the link a department's desk (nil: none).
func (l *Link) SetDesk(d link.DeskAPI) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.desk = d
}

// Desk is the desk SetDesk gave, if any.
func (l *Link) Desk() link.DeskAPI {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.desk
}

// SyncNow counts the clerk's refreshes.
func (l *Link) SyncNow() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.syncs++
}

// Syncs counts the SyncNow calls.
func (l *Link) Syncs() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.syncs
}

// Status is the status the test set.
func (l *Link) Status() link.Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status
}

// Updates delivers the statuses the test sets.
func (l *Link) Updates() <-chan link.Status { return l.updates }

// SignIn checks the central's accounts when online (and keeps the hash for
// offline sign-in, as the real link does), else the hash kept here.
func (l *Link) SignIn(ctx context.Context, login, password string, window int) (domain.Operator, bool, error) {
	l.mu.Lock()
	online, acc, ok := l.online, l.accounts[login], false
	if online {
		_, ok = l.accounts[login]
	}
	l.mu.Unlock()
	if online {
		if !ok || acc.password != password {
			return domain.Operator{}, true, domain.ErrBadCredentials
		}
		if err := l.store.RememberOperator(ctx, acc.op, password, passwd.Fast); err != nil {
			return domain.Operator{}, true, err
		}
		op := acc.op
		op.Window = window
		return op, true, nil
	}
	op, err := l.store.SignInOffline(ctx, login, password)
	if err == nil && window != 0 {
		op.Window = window
	}
	return op, false, err
}

// CallNext calls from the store's queue; shared is true when online.
func (l *Link) CallNext(ctx context.Context, actor string, equipment []string) (localdb.Ticket, bool, error) {
	l.mu.Lock()
	online := l.online
	l.mu.Unlock()
	t, err := l.store.CallNext(ctx, actor, equipment)
	return t, online, err
}

// Env is a workstation for a test: office IRK, window 3.
type Env struct {
	Dir   string
	Store *localdb.Store
	Link  *Link
	Clock *Clock
}

// Operator is the clerk the tests sign in as.
func Operator() domain.Operator {
	return domain.Operator{Login: "ivanova", Name: "Иванова Ирина", Role: domain.RoleClerk, Office: "IRK", Window: 3}
}

// Password is the Operator's password.
const Password = "secret12"

// New makes the workstation, with the Operator known for offline sign-in.
func New(tb testing.TB) *Env { return newEnv(tb, false) }

// NewFast is New without fsync, for benchmarks that fill the store.
func NewFast(tb testing.TB) *Env { return newEnv(tb, true) }

func newEnv(tb testing.TB, noSync bool) *Env {
	tb.Helper()
	ctx := context.Background()
	ck := &Clock{t: Start()}
	dir := tb.TempDir()
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{Catalog: Catalog(), Now: ck.Now, NoSync: noSync,
		StatusCodes: rand.NewChaCha8([32]byte{'o', 'k', 'n', 'o'})}) // the same codes every run, for the goldens
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if err := st.Init(ctx, "IRK", 3); err != nil {
		tb.Fatal(err)
	}
	if err := st.RememberOperator(ctx, Operator(), Password, passwd.Fast); err != nil {
		tb.Fatal(err)
	}
	return &Env{Dir: dir, Store: st, Link: NewLink(st), Clock: ck}
}

// Common makes the shared value of a TUI over the workstation, not signed
// in.
func (e *Env) Common(lang i18n.Lang) *common.Common {
	return common.New(context.Background(), common.Options{
		Lang: lang, Place: e.Store, Link: e.Link, Now: e.Clock.Now, DataDir: e.Dir,
	})
}

// SignedIn makes the shared value with the Operator signed in offline.
func (e *Env) SignedIn(lang i18n.Lang) *common.Common {
	c := e.Common(lang)
	c.Operator = Operator()
	return c
}

// Visitor registers a visitor.
func (e *Env) Visitor(tb testing.TB, v domain.Visitor) domain.Visitor {
	tb.Helper()
	v, err := e.Store.RegisterVisitor(context.Background(), Operator().Login, v)
	if err != nil {
		tb.Fatalf("register %s: %v", v.FullName, err)
	}
	return v
}

// Ticket issues a ticket, minutesAgo before the clock's time.
func (e *Env) Ticket(tb testing.TB, service, category string, minutesAgo int) localdb.Ticket {
	tb.Helper()
	now := e.Clock.Now()
	e.Clock.Set(now.Add(-time.Duration(minutesAgo) * time.Minute))
	defer e.Clock.Set(now)
	proof := ""
	if category != "" {
		proof = "удостоверение № 123"
	}
	t, err := e.Store.IssueTicket(context.Background(), Operator().Login, service, category, proof)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// Case opens a draft case for a visitor.
func (e *Env) Case(tb testing.TB, visitorID, service, ticketID string) *domain.CaseView {
	tb.Helper()
	c, err := e.Store.OpenCase(context.Background(), Operator().Login, visitorID, service, ticketID)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
