package localdb

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
)

func TestTicketQueue(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	issue := func(service, category, proof string) Ticket {
		t.Helper()
		tk, err := s.IssueTicket(ctx, "c", service, category, proof)
		if err != nil {
			t.Fatalf("issue %s/%s: %v", service, category, err)
		}
		return tk
	}
	a1 := issue("replanning", "", "")
	b1 := issue("kindergarten", "", "")
	p1 := issue("foreign_passport", "", "")
	a2 := issue("replanning", "disabled", "справка МСЭ 123")
	a3 := issue("replanning", "war_veteran", "удостоверение 45")
	if a1.Number != "A-3001" || b1.Number != "B-3001" || a2.Number != "A-3002" {
		t.Errorf("numbers %s %s %s, want A-3001 B-3001 A-3002 (window 3's thousand)", a1.Number, b1.Number, a2.Number)
	}
	if _, err := s.IssueTicket(ctx, "c", "replanning", "disabled", ""); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("privileged ticket without proof: %v", err)
	}
	if _, err := s.IssueTicket(ctx, "c", "no_such", "", ""); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("unknown service: %v", err)
	}
	// Privileged first (by rank), then by time; the passport service needs a
	// biometric station this window lacks, so it is skipped.
	var order []string
	for {
		tk, err := s.CallNext(ctx, "c", nil)
		if errors.Is(err, domain.ErrQueueEmpty) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CallNext(ctx, "c", nil); err == nil {
			t.Fatal("called a second ticket while one is at the window")
		}
		order = append(order, tk.Number)
		if _, err := s.Move(ctx, "c", tk.ID, domain.EvTicketServed); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{a3.Number, a2.Number, a1.Number, b1.Number}
	if len(order) != len(want) {
		t.Fatalf("called %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("called %v, want %v", order, want)
		}
	}
	tk, err := s.CallNext(ctx, "c", []string{"biometric"})
	if err != nil || tk.ID != p1.ID {
		t.Fatalf("biometric window called %+v, %v", tk, err)
	}
}

func TestTicketMoves(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	tk, _ := s.IssueTicket(ctx, "c", "replanning", "", "")
	if _, err := s.Move(ctx, "c", tk.ID, domain.EvTicketServed); err == nil {
		t.Fatal("served a ticket that was never called")
	}
	tk, _ = s.CallNext(ctx, "c", nil)
	tk, err := s.Move(ctx, "c", tk.ID, domain.EvTicketPostponed)
	if err != nil || tk.State != domain.TicketPostponed {
		t.Fatalf("postpone: %+v %v", tk, err)
	}
	if w, _ := s.Waiting(ctx); len(w) != 0 {
		t.Fatalf("a postponed ticket is waiting: %+v", w)
	}
	if p, _ := s.Postponed(ctx); len(p) != 1 {
		t.Fatalf("postponed list: %+v", p)
	}
	if tk, err = s.Move(ctx, "c", tk.ID, domain.EvTicketReturned); err != nil || tk.State != domain.TicketWaiting {
		t.Fatalf("return: %+v %v", tk, err)
	}
	tk, _ = s.CallNext(ctx, "c", nil)
	if tk, err = s.Move(ctx, "c", tk.ID, domain.EvTicketRecalled); err != nil || tk.State != domain.TicketCalled {
		t.Fatalf("recall: %+v %v", tk, err)
	}
	if tk, err = s.Redirect(ctx, "c", tk.ID, "kindergarten", 5); err != nil || tk.Service != "kindergarten" || tk.Window != 5 || tk.State != domain.TicketWaiting {
		t.Fatalf("redirect: %+v %v", tk, err)
	}
	if w, _ := s.Waiting(ctx); len(w) != 0 {
		t.Fatal("a ticket sent to window 5 waits at window 3")
	}
	if _, err := s.IssueTicket(ctx, "c", "replanning", "", ""); err != nil {
		t.Fatal(err)
	}
	tk2, err := s.CallNext(ctx, "c", nil)
	if err != nil {
		t.Fatal(err)
	}
	if tk2, err = s.Move(ctx, "c", tk2.ID, domain.EvTicketNoShow); err != nil || tk2.State != domain.TicketNoShow {
		t.Fatalf("no-show: %+v %v", tk2, err)
	}
	if _, ok, _ := s.Current(ctx); ok {
		t.Fatal("a no-show ticket is still at the window")
	}
}

func TestBreak(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	s.IssueTicket(ctx, "c", "replanning", "", "")
	s.IssueTicket(ctx, "c", "replanning", "", "")
	tk, _ := s.CallNext(ctx, "c", nil)
	if err := s.SetBreak(ctx, "c", true, ""); err == nil {
		t.Fatal("went on a break with a visitor at the window")
	}
	s.Move(ctx, "c", tk.ID, domain.EvTicketServed)
	if err := s.SetBreak(ctx, "c", true, "lunch"); err != nil {
		t.Fatal(err)
	}
	if on, since, err := s.OnBreak(ctx); !on || since.IsZero() || err != nil {
		t.Fatalf("on break: %v %v %v", on, since, err)
	}
	if _, err := s.CallNext(ctx, "c", nil); !errors.Is(err, domain.ErrOnBreak) {
		t.Fatalf("called during a break: %v", err)
	}
	if err := s.SetBreak(ctx, "c", true, ""); err == nil {
		t.Fatal("a break during a break")
	}
	if err := s.SetBreak(ctx, "c", false, ""); err != nil {
		t.Fatal(err)
	}
	if on, _, _ := s.OnBreak(ctx); on {
		t.Fatal("still on a break")
	}
	if _, err := s.CallNext(ctx, "c", nil); err != nil {
		t.Fatalf("after the break: %v", err)
	}
	evs, _ := s.LocalEvents(ctx, 0, 100)
	kinds := map[domain.EventKind]int{}
	for _, ev := range evs {
		kinds[ev.Kind]++
	}
	if kinds[domain.EvWindowBreak] != 1 || kinds[domain.EvWindowResumed] != 1 {
		t.Fatalf("events %v", kinds)
	}
}

// Ticket numbers go on where they were after the store is reopened (the
// day's count is found again from its events), start again the next day,
// and continue a day whose first tickets an earlier version counted in the
// counters table.
func TestTicketNumbersSurviveRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ck := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.Local)}
	path := filepath.Join(t.TempDir(), "okno.db")
	open := func() *Store {
		t.Helper()
		s, err := Open(ctx, path, Options{Catalog: testCatalog(), Now: ck.Now})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Init(ctx, "IRK", 3); err != nil {
			t.Fatal(err)
		}
		return s
	}
	issue := func(s *Store, service string) string {
		t.Helper()
		tk, err := s.IssueTicket(ctx, "c", service, "", "")
		if err != nil {
			t.Fatal(err)
		}
		return tk.Number
	}
	s := open()
	var got []string
	got = append(got, issue(s, "replanning"), issue(s, "replanning"), issue(s, "kindergarten"))
	mustRegister(t, s, visitor("Иванов Иван", "2504 123456")) // other events between
	s.Close()
	s = open()
	got = append(got, issue(s, "replanning"), issue(s, "kindergarten"))
	// The next day numbering starts again.
	ck.mu.Lock()
	ck.t = ck.t.Add(24 * time.Hour)
	ck.mu.Unlock()
	got = append(got, issue(s, "replanning"))
	// A day an earlier version began: its counter says 7 A tickets.
	day := ck.Now().Format("060102")
	if _, err := s.db.Exec(`INSERT INTO counters (name, value) VALUES (?, 7)`, "ticket:"+day+":A"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open()
	defer s.Close()
	got = append(got, issue(s, "replanning"))
	want := []string{"A-3001", "A-3002", "B-3001", "A-3003", "B-3002", "A-3001", "A-3008"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("numbers %v, want %v", got, want)
	}
}
