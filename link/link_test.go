package link

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/localdb"
)

// station is one workstation: its store and its link to srv.
type station struct {
	st   *localdb.Store
	link *Link
	dir  string
}

func newStation(t testing.TB, srv *centraltest.Server, office string, window int, opts ...func(*Config)) *station {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Init(ctx, office, window); err != nil {
		t.Fatal(err)
	}
	ws := srv.Enrol(t, office, window)
	st.SetSigner(KeySigner{Key: ws.Key}) // the key Enrol registered
	cfg := Config{Store: st, Client: srv.Client(t, ""), Cred: Credential{Central: srv.URL, Office: office, Window: window, Login: ws.Login, Secret: ws.Secret},
		Hash: passwd.Fast, MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Idle: 50 * time.Millisecond, Probe: 20 * time.Millisecond}
	for _, o := range opts {
		o(&cfg)
	}
	return &station{st: st, link: New(cfg), dir: dir}
}

func (s *station) sync(t testing.TB) Summary {
	t.Helper()
	sum, err := s.link.SyncOnce(context.Background())
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return sum
}

// intake records one visitor's whole intake at the station: a ticket, the
// visitor, a case with its checklist, the hand-off.
func (s *station) intake(t testing.TB, name string) *domain.CaseView {
	t.Helper()
	ctx := context.Background()
	tk, err := s.st.IssueTicket(ctx, "anna", "kindergarten_queue", "", "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.st.RegisterVisitor(ctx, "anna", domain.Visitor{FullName: name, DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.st.OpenCase(ctx, "anna", v.ID, "kindergarten_queue", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := s.st.Checklist(ctx, c.ID)
	for _, r := range rows {
		if r.Need == domain.Required {
			if err := s.st.CheckDocument(ctx, "anna", c.ID, domain.DocumentPayload{Doc: r.Code, Presented: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if c, err = s.st.HandOff(ctx, "anna", c.ID, ""); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPushPullRoundTrip(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := centraltest.Start(t, centraltest.Kind(t, kind))
			a := newStation(t, srv, "IRK", 3)
			b := newStation(t, srv, "IRK", 4)
			c := a.intake(t, "Фёдоров Пётр")
			local, _ := a.st.LocalEvents(ctx, 0, 1000)

			sum := a.sync(t)
			if sum.Sent != len(local) || sum.Left != 0 || sum.Rejected != 0 {
				t.Fatalf("first push: %+v, want %d sent", sum, len(local))
			}
			if n := srv.Count(t, "SELECT count(*) FROM events WHERE office = 'IRK' AND win = 3"); n != len(local) {
				t.Fatalf("central holds %d events of window 3, want %d", n, len(local))
			}
			// The feed leaves a window's own events out, and moves its cursor past them.
			page, err := a.link.c.Feed(ctx, 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, fe := range page.Events {
				if fe.Window == 3 {
					t.Fatalf("window 3's feed returns its own event %s", fe.Kind)
				}
			}
			if cur, _ := a.st.FeedCursor(ctx); page.Cursor == 0 || cur != page.Cursor {
				t.Fatalf("feed cursor %d (stored %d): it must move past the window's own events", page.Cursor, cur)
			}
			if got := a.link.Status(); got.State != Online || got.Pending != 0 || got.LastSync.IsZero() {
				t.Fatalf("status after sync: %+v", got)
			}

			// The department moves the case; both windows see it.
			dept := srv.Client(t, srv.Session(t, "dept", domain.RoleDepartment, "IRK", 0))
			for _, st := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseReady} {
				if _, err := dept.SetStatus(ctx, c.ID, api.StatusRequest{Status: st}); err != nil {
					t.Fatalf("set %s: %v", st, err)
				}
			}
			a.sync(t)
			b.sync(t)
			for name, s := range map[string]*station{"a": a, "b": b} {
				got, err := s.st.Case(ctx, c.ID)
				if err != nil || got.State != domain.CaseReady {
					t.Fatalf("station %s: case %+v %v, want ready", name, got, err)
				}
			}
			// Window 4 issues the result of window 3's case; it reaches everyone.
			if _, err := b.st.IssueResult(ctx, "boris", c.ID, domain.IssuePayload{Note: "", Receiver: &domain.Receiver{Kind: domain.ReceiverApplicant, Name: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456"}}); err != nil {
				t.Fatal(err)
			}
			b.sync(t)
			a.sync(t)
			if got, _ := a.st.Case(ctx, c.ID); got.State != domain.CaseIssued {
				t.Fatalf("window 3 sees %s, want issued", got.State)
			}
			// Nothing left to do: a sync now moves nothing.
			if sum := a.sync(t); sum.Sent+sum.Duplicate+sum.Pulled != 0 {
				t.Fatalf("idle sync moved something: %+v", sum)
			}
		})
	}
}

// The shared queue: a ticket issued at one window is called by exactly one.
func TestSharedQueueNeverCallsTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := centraltest.Start(t)
	a := newStation(t, srv, "IRK", 3)
	b := newStation(t, srv, "IRK", 4)
	tk, err := a.st.IssueTicket(ctx, "anna", "kindergarten_queue", "", "")
	if err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	b.sync(t)
	got, shared, err := b.link.CallNext(ctx, "boris", nil)
	if err != nil || !shared || got.ID != tk.ID {
		t.Fatalf("window 4 called %+v shared=%v err=%v, want the ticket of window 3", got, shared, err)
	}
	if _, shared, err := a.link.CallNext(ctx, "anna", nil); !errors.Is(err, domain.ErrQueueEmpty) || !shared {
		t.Fatalf("window 3 after window 4 called: shared=%v err=%v, want an empty shared queue", shared, err)
	}
	// Window 4's call reaches the central as its event.
	b.sync(t)
	if n := srv.Count(t, "SELECT count(*) FROM events WHERE kind = 'ticket.called' AND ticket_id = '"+tk.ID+"'"); n != 1 {
		t.Fatalf("%d ticket.called events, want 1", n)
	}
}

// With no central to reach, the window still signs in (known operators),
// and calls from its own queue.
func TestOffline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := centraltest.Start(t)
	srv.AddUser(t, "anna", domain.RoleClerk, "IRK")
	a := newStation(t, srv, "IRK", 3)
	// Online first: the password is checked at the central and remembered.
	op, online, err := a.link.SignIn(ctx, "anna", centraltest.Password("anna"), 3)
	if err != nil || !online || op.Role != domain.RoleClerk {
		t.Fatalf("online sign-in: %+v %v %v", op, online, err)
	}
	if _, _, err := a.link.SignIn(ctx, "anna", "wrong-password", 3); !errors.Is(err, domain.ErrBadCredentials) {
		t.Fatalf("wrong password online: %v", err)
	}
	// Now the central is gone.
	dead, err := client.New("http://127.0.0.1:1", client.WithRetry(client.RetryPolicy{Attempts: 1}), client.WithTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	a.link.c = dead
	if _, err := a.link.SyncOnce(ctx); !errors.Is(err, client.ErrOffline) {
		t.Fatalf("sync with no central: %v", err)
	}
	if st := a.link.Status(); st.State != Offline {
		t.Fatalf("state %s, want offline", st.State)
	}
	op, online, err = a.link.SignIn(ctx, "anna", centraltest.Password("anna"), 3)
	if err != nil || online || op.Login != "anna" || op.Window != 3 {
		t.Fatalf("offline sign-in: %+v %v %v", op, online, err)
	}
	if _, _, err := a.link.SignIn(ctx, "anna", "wrong-password", 3); !errors.Is(err, domain.ErrBadCredentials) {
		t.Fatalf("wrong password offline: %v", err)
	}
	if _, _, err := a.link.SignIn(ctx, "stranger", "whatever-pass", 3); !errors.Is(err, domain.ErrUnknownOffline) {
		t.Fatalf("unknown operator offline: %v", err)
	}
	tk, _ := a.st.IssueTicket(ctx, "anna", "kindergarten_queue", "", "")
	got, shared, err := a.link.CallNext(ctx, "anna", nil)
	if err != nil || shared || got.ID != tk.ID {
		t.Fatalf("offline call: %+v shared=%v %v", got, shared, err)
	}
}

// A supervisor's session is kept for the live queue; a clerk's is closed.
func TestPersonSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := centraltest.Start(t)
	srv.AddUser(t, "anna", domain.RoleClerk, "IRK")
	srv.AddUser(t, "sveta", domain.RoleSupervisor, "IRK")
	a := newStation(t, srv, "IRK", 3)
	if _, _, err := a.link.SignIn(ctx, "anna", centraltest.Password("anna"), 3); err != nil {
		t.Fatal(err)
	}
	if a.link.LiveQueue() != nil {
		t.Fatal("a clerk's session is kept")
	}
	if _, _, err := a.link.SignIn(ctx, "sveta", centraltest.Password("sveta"), 3); err != nil {
		t.Fatal(err)
	}
	live := a.link.LiveQueue()
	if live == nil {
		t.Fatal("a supervisor's session is not kept")
	}
	if offices, err := live.Offices(ctx); err != nil || len(offices) == 0 {
		t.Fatalf("the supervisor's live queue cannot list the offices: %v %v", offices, err)
	}
	a.link.mu.Lock()
	token := a.link.person.Token()
	a.link.mu.Unlock()
	a.link.SignOut(ctx)
	if _, err := srv.Client(t, token).Queue(ctx, "IRK"); !errors.Is(err, client.ErrUnauthorized) {
		t.Fatalf("after sign-out the session still works: %v", err)
	}
}

// A window's break reaches the supervisor's picture, and stops its calls.
func TestBreakReachesTheCentral(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, kind := range centraltest.Kinds() {
		srv := centraltest.Start(t, centraltest.Kind(t, kind))
		a := newStation(t, srv, "IRK", 3)
		a.st.IssueTicket(ctx, "anna", "kindergarten_queue", "", "")
		if err := a.st.SetBreak(ctx, "anna", true, "lunch"); err != nil {
			t.Fatal(err)
		}
		a.sync(t)
		sup := srv.Client(t, srv.Session(t, "sveta", domain.RoleSupervisor, "IRK", 0))
		state := func() string {
			snap, err := sup.Queue(ctx, "IRK")
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range snap.Windows {
				if w.Window == 3 {
					return w.State
				}
			}
			return "missing"
		}
		if got := state(); got != "break" {
			t.Fatalf("%s: window 3 is %q, want break", kind, got)
		}
		if _, _, err := a.link.CallNext(ctx, "anna", nil); !errors.Is(err, domain.ErrOnBreak) {
			t.Fatalf("%s: a call during the break: %v", kind, err)
		}
		if err := a.st.SetBreak(ctx, "anna", false, ""); err != nil {
			t.Fatal(err)
		}
		a.sync(t)
		if got := state(); got != "free" {
			t.Fatalf("%s: after the break window 3 is %q, want free", kind, got)
		}
	}
}

// A catalogue the central publishes reaches the window through the feed and
// is in force there, also after a restart.
func TestCatalogUpdateReachesTheWindow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := centraltest.Start(t)
	a := newStation(t, srv, "IRK", 3)
	a.st.IssueTicket(ctx, "anna", "kindergarten_queue", "", "") // the office exists at the central
	a.sync(t)
	cat := domain.DefaultCatalog()
	cat.Version = "2026.12.1"
	svc, _ := cat.Service("kindergarten_queue")
	svc.Names["en"] = "Kindergarten waiting list (new wording)"
	svc.Deadline = 3
	admin := srv.Client(t, srv.AdminToken)
	if _, published, err := admin.PublishCatalog(ctx, cat); err != nil || !published {
		t.Fatalf("publish: %v %v", published, err)
	}
	if sum := a.sync(t); sum.Pulled == 0 {
		t.Fatalf("the feed brought nothing: %+v", sum)
	}
	check := func(st *localdb.Store) {
		t.Helper()
		got, ok := st.Catalog().Service("kindergarten_queue")
		if st.Catalog().Version != "2026.12.1" || !ok || got.Deadline != 3 || got.Name("en") != "Kindergarten waiting list (new wording)" {
			t.Fatalf("catalogue in force: %s %+v", st.Catalog().Version, got)
		}
	}
	check(a.st)
	path := a.st.Path()
	a.st.Close()
	again, err := localdb.Open(ctx, path, localdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	check(again)
}
