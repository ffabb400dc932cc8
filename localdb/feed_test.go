package localdb

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// feedOf turns another window's events into a feed page, as the central
// would serve it.
func feedOf(evs []domain.Event, firstPos int64) api.FeedPage {
	var p api.FeedPage
	for i, ev := range evs {
		p.Events = append(p.Events, api.FeedEvent{Pos: firstPos + int64(i), Event: ev})
		p.Cursor = firstPos + int64(i)
	}
	return p
}

// departmentEvent is a status change as the central records it (window 0).
func departmentEvent(c *domain.CaseView, seq int64, status domain.CaseState) domain.Event {
	ev := domain.Event{ID: uuid.Must(uuid.NewV7()).String(), Office: c.Office, Window: 0, Seq: seq, At: time.Now().UTC(),
		Kind: domain.EvCaseStatusChanged, Actor: "dept", CaseID: c.ID, Payload: domain.MustPayload(domain.StatusPayload{Status: status})}
	ev.Seal("")
	return ev
}

func TestApplyFeedTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := newStore(t, "IRK", 3)
	b, _ := newStore(t, "IRK", 4)
	v := mustRegister(t, b, visitor("Фёдоров Пётр", "2504 123456"))
	tk, _ := b.IssueTicket(ctx, "c2", "kindergarten", "", "")
	c, err := b.OpenCase(ctx, "c2", v.ID, "kindergarten", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	b.CheckDocument(ctx, "c2", c.ID, domain.DocumentPayload{Doc: "passport", Presented: true})
	b.CheckDocument(ctx, "c2", c.ID, domain.DocumentPayload{Doc: "birth_certificate", Presented: true})
	if _, err := b.HandOff(ctx, "c2", c.ID, ""); err != nil {
		t.Fatal(err)
	}
	evs, _ := b.LocalEvents(ctx, 0, 100)
	evs = append(evs, departmentEvent(c, 1, domain.CaseAccepted), departmentEvent(c, 2, domain.CaseInWork), departmentEvent(c, 3, domain.CaseReady))
	page := feedOf(evs, 10)

	res, err := a.ApplyFeed(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != len(evs) || res.Known != 0 || len(res.Failed) != 0 {
		t.Fatalf("first apply: %+v", res)
	}
	snapshot := func() (domain.CaseView, int, int64) {
		got, err := a.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		hits, _ := a.SearchVisitors(ctx, "федоров", 10)
		cur, _ := a.FeedCursor(ctx)
		return *got, len(hits), cur
	}
	c1, hits1, cur1 := snapshot()
	if c1.State != domain.CaseReady || hits1 != 1 || cur1 != page.Cursor {
		t.Fatalf("after the feed: state %s, %d hits, cursor %d", c1.State, hits1, cur1)
	}
	ready, _ := a.FindCases(ctx, CaseFilter{States: []domain.CaseState{domain.CaseReady}})
	if len(ready) != 1 {
		t.Fatalf("ready-for-issue list: %+v", ready)
	}
	res, err = a.ApplyFeed(ctx, page)
	if err != nil || res.Applied != 0 || res.Known != len(evs) {
		t.Fatalf("second apply: %+v %v", res, err)
	}
	c2, hits2, cur2 := snapshot()
	if c2.State != c1.State || !c2.UpdatedAt.Equal(c1.UpdatedAt) || hits2 != hits1 || cur2 != cur1 {
		t.Fatal("applying the same page twice changed something")
	}
	// The feed's events never enter this window's outbox or chain.
	if st, _ := a.Outbox(ctx); st.Pending != 0 {
		t.Fatalf("feed events in the outbox: %+v", st)
	}
	// The clerk at window 3 can now issue the result of a case taken at window 4.
	if got, err := a.IssueResult(ctx, "c1", c.ID, domain.IssuePayload{Note: "", Receiver: &domain.Receiver{Kind: domain.ReceiverApplicant, Name: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456"}}); err != nil || got.State != domain.CaseIssued {
		t.Fatalf("issue at another window: %+v %v", got, err)
	}
}

// An event that does not fold locally is kept and reported; it does not
// block the rest of the page.
func TestApplyFeedKeepsGoingPastABadEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := newStore(t, "IRK", 3)
	b, _ := newStore(t, "IRK", 4)
	v := mustRegister(t, b, visitor("Иванов Иван", "2504 123456"))
	c, _ := b.OpenCase(ctx, "c2", v.ID, "kindergarten", "")
	evs, _ := b.LocalEvents(ctx, 0, 100)
	bad := departmentEvent(c, 1, domain.CaseReady) // a draft cannot become ready
	page := feedOf(append([]domain.Event{evs[0], bad}, evs[1:]...), 1)
	res, err := a.ApplyFeed(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 2 || len(res.Failed) != 1 {
		t.Fatalf("result %+v", res)
	}
	if got, err := a.Case(ctx, c.ID); err != nil || got.State != domain.CaseDraft {
		t.Fatalf("case after a bad event: %+v %v", got, err)
	}
}

// TestKioskTicketFromFeed: a ticket the central's kiosk issued (a
// window-0 ticket.issued in the feed) is in the office's queue as the
// window sees it (the shared queue, online, calls it).
func TestKioskTicketFromFeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := newStore(t, "IRK", 3)
	ev := domain.Event{ID: uuid.Must(uuid.NewV7()).String(), Office: "IRK", Window: 0, Seq: 1, At: time.Now().UTC(),
		Kind: domain.EvTicketIssued, Actor: "kiosk", TicketID: uuid.Must(uuid.NewV7()).String(),
		Payload: domain.MustPayload(domain.TicketIssuedPayload{Number: "A-001", Service: "kindergarten", Category: "wwii_veteran"})}
	ev.Seal("")
	res, err := a.ApplyFeed(ctx, feedOf([]domain.Event{ev}, 1))
	if err != nil || res.Applied != 1 || len(res.Failed) != 0 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	waiting, err := a.OfficeWaiting(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(waiting) != 1 || waiting[0].Number != "A-001" || waiting[0].ID != ev.TicketID || waiting[0].Category != "wwii_veteran" {
		t.Fatalf("the window's queue: %+v", waiting)
	}
}
