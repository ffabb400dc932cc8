package localdb

import (
	"context"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
)

// A rejected event stays in the attention list until it is offered again;
// then it is pending as it was (same id, hash, signature), in seq order
// before the events behind it, and a second rejection brings it back.
func TestResendRejected(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t, "IRK", 3)
	for i := range 6 {
		mustRegister(t, s, visitor("Иванов Иван", "2504 12345"+string(rune('0'+i))))
	}
	evs, _ := s.LocalEvents(ctx, 0, 10)
	// The attack on an old central: 3 and 4 rejected (their seqs taken by
	// junk), 5 and 6 asked for again behind them.
	_, err := s.MarkAnswered(ctx, []api.IngestResult{
		{ID: evs[0].ID, Status: api.IngestAccepted},
		{ID: evs[1].ID, Status: api.IngestAccepted},
		{ID: evs[2].ID, Status: api.IngestRejected, Reason: "seq 3 of window IRK/3 is already taken by event junk"},
		{ID: evs[3].ID, Status: api.IngestRejected, Reason: "chain link mismatch"},
		{ID: evs[4].ID, Status: api.IngestRetry, Reason: "event 3 of window IRK/3 not received yet"},
		{ID: evs[5].ID, Status: api.IngestRetry, Reason: "event 3 of window IRK/3 not received yet"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ob, _ := s.Outbox(ctx)
	if ob.Rejected != 2 || ob.Pending != 2 {
		t.Fatalf("outbox %+v", ob)
	}
	if n, err := s.ResendRejected(ctx, "no-such-id"); err != nil || n != 0 {
		t.Fatalf("resend of an unknown id: %d %v", n, err)
	}
	if n, err := s.ResendRejected(ctx); err != nil || n != 2 {
		t.Fatalf("resend: %d %v", n, err)
	}
	pending, err := s.Pending(ctx, 10)
	if err != nil || len(pending) != 4 {
		t.Fatalf("pending %d %v", len(pending), err)
	}
	for i, p := range pending {
		want := evs[2+i]
		if p.ID != want.ID || p.Seq != want.Seq || p.Hash != want.Hash || p.Sig != want.Sig || p.PrevHash != want.PrevHash {
			t.Errorf("pending %d is not the event as it was: %+v", i, p)
		}
	}
	if rj, _ := s.RejectedEvents(ctx, 10); len(rj) != 0 {
		t.Errorf("still listed as rejected: %d", len(rj))
	}

	// Offered again: 3 accepted; 4 answered as a duplicate of a rejected
	// copy the central holds: it stays in the attention list.
	counts, err := s.MarkAnswered(ctx, []api.IngestResult{
		{ID: evs[2].ID, Status: api.IngestAccepted},
		{ID: evs[3].ID, Status: api.IngestDuplicate, First: api.IngestRejected, Reason: "chain link mismatch"},
	})
	if err != nil || counts[api.IngestAccepted] != 1 || counts[api.IngestRejected] != 1 {
		t.Fatalf("answers: %v %v", counts, err)
	}
	rj, _ := s.RejectedEvents(ctx, 10)
	if len(rj) != 1 || rj[0].Event.ID != evs[3].ID || !strings.Contains(rj[0].Reason, "still rejected: chain link mismatch") {
		t.Fatalf("attention list: %+v", rj)
	}
	// Once more, and accepted with the two behind it.
	if n, _ := s.ResendRejected(ctx, evs[3].ID); n != 1 {
		t.Fatalf("resend one: %d", n)
	}
	var all []api.IngestResult
	for _, e := range evs[3:] {
		all = append(all, api.IngestResult{ID: e.ID, Status: api.IngestAccepted})
	}
	if _, err := s.MarkAnswered(ctx, all); err != nil {
		t.Fatal(err)
	}
	if ob, _ := s.Outbox(ctx); ob.Pending != 0 || ob.Rejected != 0 || ob.Sent != 6 {
		t.Fatalf("outbox at the end %+v", ob)
	}
}
