package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// TestTicketNumbersApart (issue 14): the kiosk's tickets are numbered in
// the central's thousand (A-001 …, past: no wrap at 99),
// the windows' in their own (window 10: A-10001, window 20: A-20001 —
// they used to share 1–99 with each other and with the kiosk), so no
// two tickets of an office have the same number on a day; the next day
// the kiosk starts again from A-001.
func TestTicketNumbersApart(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		cat := domain.DefaultCatalog()
		svc, ok := cat.Service("advertising_permit")
		if !ok {
			t.Fatal("no advertising_permit in the default catalogue")
		}
		day := time.Now().Truncate(24 * time.Hour)
		kiosk := func(day time.Time) string {
			t.Helper()
			var k store.KioskTicket
			err := srv.Store.WithTx(ctx, func(tx *store.Tx) error {
				var err error
				k, err = tx.IssueKioskTicket("IRK", cat, "advertising_permit", "", 0, day)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return k.Number
		}
		const n = 101
		for i := 1; i <= n; i++ {
			want := domain.TicketNumber{Prefix: svc.Prefix, N: i}.String()
			if got := kiosk(day); got != want {
				t.Fatalf("the kiosk's ticket %d: %s, want %s", i, got, want)
			}
		}
		// Windows 10 and 20 issue offline, numbered as a workstation does
		// (domain.IssuerNumber, the chain's Issue).
		for _, w := range []int{10, 20} {
			ws := srv.Enrol(t, "IRK", w)
			ch := centraltest.NewChain("IRK", w)
			for _, r := range push(t, srv, ws.Token, tickets(ch, 3)...) {
				if r.Status != api.IngestAccepted {
					t.Fatalf("window %d: %+v", w, r)
				}
			}
		}
		if got := srv.Count(t, `SELECT COUNT(*) FROM tickets WHERE office = 'IRK'`); got != n+6 {
			t.Fatalf("%d tickets, want %d", got, n+6)
		}
		if dup := srv.Count(t, `SELECT COUNT(*) FROM (SELECT number FROM tickets WHERE office = 'IRK' GROUP BY number HAVING COUNT(*) > 1) d`); dup != 0 {
			t.Fatalf("%d ticket numbers given twice", dup)
		}
		for _, num := range []string{"A-10001", "A-10003", "A-20001"} {
			if srv.Count(t, fmt.Sprintf(`SELECT COUNT(*) FROM tickets WHERE office = 'IRK' AND number = '%s'`, num)) != 1 {
				t.Errorf("no ticket %s", num)
			}
		}
		// The next day: from the start.
		if got := kiosk(day.Add(24 * time.Hour)); got != svc.Prefix+"-001" {
			t.Fatalf("the next day's first kiosk ticket: %s", got)
		}
	})
}
