package httpapi_test

import (
	"context"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// TestFeedOfAnOfficeAmongOthers: an office's feed holds its events only,
// in the central's order, whatever other offices wrote between them (the
// store reads them by events_feed, BenchmarkGrowth); a workstation's
// leaves its own window's out, and the cursor of a page that is not full
// goes to the office's newest position, its own events' too, never to
// another office's.
func TestFeedOfAnOfficeAmongOthers(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		type window struct {
			ws centraltest.Workstation
			ch *centraltest.Chain
		}
		irk1 := window{srv.Enrol(t, "IRK", 1), centraltest.NewChain("IRK", 1)}
		irk2 := window{srv.Enrol(t, "IRK", 2), centraltest.NewChain("IRK", 2)}
		msk1 := window{srv.Enrol(t, "MSK", 1), centraltest.NewChain("MSK", 1)}
		// Pushed one at a time: the central's order is this one.
		order := []*window{&irk1, &msk1, &irk2, &msk1, &irk1, &irk2, &msk1, &irk1, &msk1}
		var ids []string
		for _, w := range order {
			e, _ := w.ch.Issue("advertising_permit", "")
			if r := push(t, srv, w.ws.Token, e); r[0].Status != api.IngestAccepted {
				t.Fatalf("push: %+v", r[0])
			}
			ids = append(ids, e.ID)
		}
		all, err := srv.Store.Feed(ctx, store.AllOffices, 0, 100)
		if err != nil || len(all.Events) != len(order) {
			t.Fatalf("every office's feed: %d events, %v", len(all.Events), err)
		}
		pos := map[string]int64{}
		for i, e := range all.Events {
			if e.ID != ids[i] {
				t.Fatalf("every office's feed, event %d: %s, want %s", i, e.ID, ids[i])
			}
			pos[e.ID] = e.Pos
		}
		got := func(p api.FeedPage) []string {
			var out []string
			for _, e := range p.Events {
				out = append(out, e.ID)
			}
			return out
		}
		same := func(what string, p api.FeedPage, want []string, more bool, cursor int64) {
			t.Helper()
			g := got(p)
			ok := len(g) == len(want) && p.More == more && p.Cursor == cursor
			for i := 0; ok && i < len(g); i++ {
				ok = g[i] == want[i]
			}
			if !ok {
				t.Errorf("%s: %v more %v cursor %d; want %v more %v cursor %d", what, g, p.More, p.Cursor, want, more, cursor)
			}
		}

		sup := srv.Client(t, srv.Session(t, "supirk", domain.RoleSupervisor, "IRK", 0))
		p, err := sup.Feed(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		same("the supervisor's feed", p, []string{ids[0], ids[2], ids[4], ids[5], ids[7]}, false, pos[ids[7]])
		p, _ = sup.Feed(ctx, pos[ids[2]], 2)
		same("the supervisor's page of 2", p, []string{ids[4], ids[5]}, true, pos[ids[5]])

		ws := srv.Client(t, irk1.ws.Token)
		p, _ = ws.Feed(ctx, 0, 1)
		same("window 1's first page", p, []string{ids[2]}, true, pos[ids[2]])
		p, _ = ws.Feed(ctx, p.Cursor, 1)
		// IRK/2's second event, then only window 1's own and MSK's: the
		// cursor goes past window 1's newest, not to MSK's after it.
		same("window 1's second page", p, []string{ids[5]}, false, pos[ids[7]])
		p, _ = ws.Feed(ctx, p.Cursor, 10)
		same("window 1 after the end", p, nil, false, pos[ids[7]])
		p, _ = srv.Client(t, irk2.ws.Token).Feed(ctx, pos[ids[5]], 10)
		same("window 2 after its own newest", p, []string{ids[7]}, false, pos[ids[7]])
	})
}
