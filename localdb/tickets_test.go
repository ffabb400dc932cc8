package localdb

import (
	"context"
	"errors"
	"testing"

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
	if a1.Number != "A-301" || b1.Number != "B-301" || a2.Number != "A-302" {
		t.Errorf("numbers %s %s %s, want A-301 B-301 A-302 (window 3's band)", a1.Number, b1.Number, a2.Number)
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
		if errors.Is(err, ErrQueueEmpty) {
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
	tk2, _ := s.IssueTicket(ctx, "c", "replanning", "", "")
	tk2, _ = s.CallNext(ctx, "c", nil)
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
	if _, err := s.CallNext(ctx, "c", nil); !errors.Is(err, ErrOnBreak) {
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
