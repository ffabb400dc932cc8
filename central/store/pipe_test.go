package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// Writes that wait in the queue (pipe.go) behave as if they had run when
// called: a read after them sees them, and one that fails fails the
// transaction, naming its table, with nothing of it kept.
func TestQueuedWrites(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		err := srv.Store.QueueTx(ctx, func(exec func(string, ...any) error, scan func(string, []any, ...any) (bool, error)) error {
			if err := exec(`INSERT INTO office_marks (office, mark) VALUES (?, ?)`, "QA", 1); err != nil {
				return err
			}
			var mark int64
			found, err := scan(`SELECT mark FROM office_marks WHERE office = ?`, []any{"QA"}, &mark)
			if err != nil {
				return err
			}
			if !found || mark != 1 {
				t.Errorf("a read after a queued write: found %v, mark %d; want the row, 1", found, mark)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		err = srv.Store.QueueTx(ctx, func(exec func(string, ...any) error, _ func(string, []any, ...any) (bool, error)) error {
			if err := exec(`INSERT INTO office_marks (office, mark) VALUES (?, ?)`, "QB", 1); err != nil {
				return err
			}
			// A duplicate key: on PostgreSQL its error comes at the commit.
			return exec(`INSERT INTO office_marks (office, mark) VALUES (?, ?)`, "QA", 2)
		})
		if err == nil || !strings.Contains(err.Error(), "office_marks") {
			t.Fatalf("a failing queued write: %v, want an error naming office_marks", err)
		}
		if n := srv.Count(t, `SELECT count(*) FROM office_marks WHERE office = 'QB'`); n != 0 {
			t.Errorf("the failed transaction's other write was kept (%d rows)", n)
		}
		if n := srv.Count(t, `SELECT count(*) FROM office_marks WHERE office = 'QA' AND mark = 1`); n != 1 {
			t.Errorf("the first transaction's row: %d, want 1", n)
		}
	})
}

// On PostgreSQL an ingest transaction sends its statements in a few
// queues, not one round trip each (pipe.go): every round trip is time its
// office's lock is held while the office's other batches wait, on every
// replica. A batch of 100 events (tickets issued, called and served, a
// visitor and a case opened and handed off) takes 8 with Decide's queue
// off (the commit's flush still one batch), and more without any queue.
func TestIngestRoundTrips(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t, centraltest.Kind(t, "postgres"))
	ws := srv.Enrol(t, "IRK", 3)
	ch := centraltest.NewChain("IRK", 3)
	var first, second []domain.Event
	var open []string
	for len(first) < 90 {
		e, id := ch.Issue("advertising_permit", "")
		first = append(first, e)
		open = append(open, id)
		if len(open) > 2 {
			first = append(first, ch.Move(domain.EvTicketCalled, open[0]), ch.Move(domain.EvTicketServed, open[0]))
			open = open[1:]
		}
	}
	v, vid := ch.Register()
	c, cid := ch.Open(vid, "advertising_permit")
	first = append(first, v, c, ch.HandOff(cid))
	for range 100 {
		e, _ := ch.Issue("advertising_permit", "")
		second = append(second, e)
	}
	for i, batch := range [][]domain.Event{first, second} {
		before := srv.Store.RoundTrips()
		for _, r := range push(t, srv, ws.Token, batch...) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("batch %d: %s %s: %s", i, r.ID, r.Status, r.Reason)
			}
		}
		t.Logf("batch %d of %d events: %d round trips", i, len(batch), srv.Store.RoundTrips()-before)
		// Two: the lock with the reads, the flush. A write transaction
		// of the store's background running meanwhile may add one or two.
		if n := srv.Store.RoundTrips() - before; n > 4 {
			t.Errorf("batch %d of %d events: %d round trips in write transactions, want at most 4", i, len(batch), n)
		}
	}
}
