package localdb

import (
	"context"
	"errors"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// next takes the change waiting on ch, failing when none is.
func next(t *testing.T, ch <-chan Change) Change {
	t.Helper()
	select {
	case c := <-ch:
		return c
	default:
		t.Fatal("no change was published")
		return Change{}
	}
}

func none(t *testing.T, ch <-chan Change, after string) {
	t.Helper()
	select {
	case c := <-ch:
		t.Fatalf("%s published %+v", after, c)
	default:
	}
}

// TestCommitsAreAnnounced: every committed intent announces what it
// changed and that it has events to push; a refused one announces
// nothing; the feed's events and the central's answers are told apart.
func TestCommitsAreAnnounced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t, "IRK", 3)
	ch, cancel := s.Subscribe()
	defer cancel()

	v := mustRegister(t, s, visitor("Фёдоров Пётр", "2504 123456"))
	if c := next(t, ch); c != (Change{Tables: Visitors | Outbox, From: Local}) || !c.ToPush() {
		t.Fatalf("a registration announced %+v", c)
	}
	tk, err := s.IssueTicket(ctx, "c", "kindergarten", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if c := next(t, ch); !c.Has(Tickets) || c.Has(Cases) || !c.ToPush() {
		t.Fatalf("a ticket announced %+v", c)
	}
	cs, err := s.OpenCase(ctx, "c", v.ID, "kindergarten", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := next(t, ch); !c.Has(Cases) || !c.ToPush() {
		t.Fatalf("a case announced %+v", c)
	}
	var md *domain.MissingDocumentsError
	if _, err := s.HandOff(ctx, "c", cs.ID, ""); !errors.As(err, &md) {
		t.Fatalf("a hand-off without the documents: %v", err)
	}
	none(t, ch, "a refused hand-off")

	// Writes the subscriber has not read yet are merged into one change.
	for _, d := range []string{"passport", "birth_certificate"} {
		if err := s.CheckDocument(ctx, "c", cs.ID, domain.DocumentPayload{Doc: d, Presented: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Move(ctx, "c", tk.ID, domain.EvTicketRecalled); err == nil {
		t.Fatal("a waiting ticket was recalled")
	}
	if c := next(t, ch); c != (Change{Tables: Cases | Outbox, From: Local}) {
		t.Fatalf("two checks announced %+v", c)
	}
	none(t, ch, "two checks read once")

	// The central's answers are not events to push.
	evs, err := s.LocalEvents(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkAnswered(ctx, []api.IngestResult{{ID: evs[0].ID, Status: api.IngestRejected, Reason: "test"}}); err != nil {
		t.Fatal(err)
	}
	if c := next(t, ch); c != (Change{Tables: Outbox, From: Central}) || c.ToPush() {
		t.Fatalf("the central's answers announced %+v", c)
	}
	// Put back in the outbox, the rejected event is to push again.
	if n, err := s.ResendRejected(ctx); err != nil || n != 1 {
		t.Fatalf("resend: %d %v", n, err)
	}
	if c := next(t, ch); !c.ToPush() {
		t.Fatalf("a resend announced %+v", c)
	}

	// A department's status change comes with the feed.
	if _, err := s.HandOff(ctx, "c", cs.ID, ""); err != nil {
		t.Fatal(err)
	}
	next(t, ch)
	if _, err := s.ApplyFeed(ctx, feedOf([]domain.Event{departmentEvent(cs, 1, domain.CaseAccepted)}, 1)); err != nil {
		t.Fatal(err)
	}
	if c := next(t, ch); c != (Change{Tables: Cases, From: Feed}) || c.ToPush() {
		t.Fatalf("the feed announced %+v", c)
	}
	// A page of nothing new changes nothing a screen shows.
	if _, err := s.ApplyFeed(ctx, api.FeedPage{Cursor: 5}); err != nil {
		t.Fatal(err)
	}
	none(t, ch, "an empty feed page")

	cancel()
	if _, ok := <-ch; ok {
		t.Fatal("the channel stays open after cancel")
	}
	mustRegister(t, s, visitor("Иванов Иван", "2504 654321")) // nobody listens: the writer goes on
}

// TestSubscribersComeAndGo: subscribers that come, read a little and go
// while writes go on neither block the writer nor miss what they were
// there for (run with -race).
func TestSubscribersComeAndGo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t, "IRK", 3)
	stay, cancel := s.Subscribe()
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 20 {
			ch, cancel := s.Subscribe()
			select {
			case <-ch:
			default:
			}
			cancel()
		}
	}()
	for i := range 20 {
		if _, err := s.IssueTicket(ctx, "c", "kindergarten", "", ""); err != nil {
			t.Fatal(err)
		}
		if i == 10 {
			mustRegister(t, s, visitor("Фёдоров Пётр", "2504 123456"))
		}
	}
	<-done
	// The subscriber that never read holds one change covering them all.
	if c := next(t, stay); c != (Change{Tables: Visitors | Tickets | Outbox, From: Local}) {
		t.Fatalf("merged: %+v", c)
	}
}
