package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

// TestRejectedIsNotLost plays issue 11's attack against a real central
// (both stores), then what the attack left on a workstation that met it
// before the central was fixed:
//
//   - a clerk pushes a thousand junk events for window 3: at window 0 the
//     central refuses the push, at window 3 it keeps them apart; the
//     window's genuine events then all go through (exit 0);
//   - events the old central rejected ("seq already taken" by junk) stay
//     in the attention list: okno sync --once exits 3 (and stops sending
//     what waits behind them), until --resend-rejected offers the same
//     events again and the central takes them (exit 0); the audit then
//     finds the central's copy equal to the chain.
func TestRejectedIsNotLost(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := centraltest.Start(t, centraltest.Kind(t, kind), manySignIns)
			srv.AddUser(t, "mallory", domain.RoleClerk, "IRK")
			dir := workstation(t, srv, 3) // seq 1–9 synced
			record := func(n int) {
				withStation(t, srv, dir, func(st *localdb.Store, _ *link.Link) {
					for range n {
						if _, err := st.IssueTicket(ctx, "anna", "kindergarten_queue", "", ""); err != nil {
							t.Fatal(err)
						}
					}
				})
			}
			record(5) // seq 10–14, not yet sent

			// The attack: junk with the window's next seqs.
			junk := centraltest.NewChain("IRK", 3)
			junk.Key, junk.Seq, junk.Prev = nil, 9, "not the real head"
			var evs []domain.Event
			for range 1000 {
				e, _ := junk.Issue("kindergarten_queue", "")
				evs = append(evs, e)
			}
			at0 := srv.Client(t, srv.Session(t, "mallory", domain.RoleClerk, "IRK", 0))
			if _, err := at0.PushEvents(ctx, evs); !errors.Is(err, client.ErrForbidden) {
				t.Fatalf("a clerk at no window pushed: %v", err)
			}
			at3 := srv.Client(t, srv.Session(t, "mallory", domain.RoleClerk, "IRK", 3))
			resp, err := at3.PushEvents(ctx, evs)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range resp.Results {
				if r.Status != api.IngestRejected {
					t.Fatalf("junk answered %s: %s", r.Status, r.Reason)
				}
			}

			var errOut bytes.Buffer
			out, code := runWith(t, nil, &errOut, "sync", "--once", "--data", dir)
			if code != 0 || !strings.Contains(out, "sent 5, duplicate 0, rejected 0") {
				t.Fatalf("the genuine events after the junk: exit %d\n%s%s", code, out, errOut.String())
			}

			// What the attack left where the central was not fixed yet:
			// three events rejected, their seqs taken by junk.
			record(4) // seq 15–18
			withStation(t, srv, dir, func(st *localdb.Store, _ *link.Link) {
				mine, _ := st.LocalEvents(ctx, 14, 3)
				var answers []api.IngestResult
				for _, e := range mine {
					answers = append(answers, api.IngestResult{ID: e.ID, Status: api.IngestRejected,
						Reason: fmt.Sprintf("seq %d of window IRK/3 is already taken by event %s", e.Seq, evs[e.Seq-10].ID)})
				}
				if _, err := st.MarkAnswered(ctx, answers); err != nil {
					t.Fatal(err)
				}
			})
			errOut.Reset()
			out, code = runWith(t, nil, &errOut, "sync", "--once", "--data", dir)
			if code != syncRejected || !strings.Contains(errOut.String(), "events rejected by the central need attention: 3") ||
				!strings.Contains(errOut.String(), "okno sync --once --resend-rejected; events still waiting to be sent: 1") {
				t.Fatalf("with rejected events: exit %d, want %d\n%s%s", code, syncRejected, out, errOut.String())
			}
			errOut.Reset()
			out, code = runWith(t, nil, &errOut, "sync", "--once", "--resend-rejected", "--data", dir)
			if code != 0 || !strings.Contains(out, "rejected events offered again: 3") || !strings.Contains(out, "sent 4, duplicate 0, rejected 0") {
				t.Fatalf("resend: exit %d\n%s%s", code, out, errOut.String())
			}
			errOut.Reset()
			out, code = runWith(t, nil, &errOut, "audit", "verify", "--data", dir, "--central", srv.URL)
			if code != 0 || !strings.Contains(out, "holds exactly these 18 events") || !strings.Contains(out, "head 18 was countersigned") {
				t.Fatalf("audit: exit %d\n%s%s", code, out, errOut.String())
			}
		})
	}
}

// With the central out of reach, okno sync --once exits 4: events wait.
func TestSyncStuckExits4(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t, manySignIns)
	dir := workstation(t, srv, 3)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := "http://" + ln.Addr().String()
	ln.Close()
	withStation(t, srv, dir, func(st *localdb.Store, _ *link.Link) {
		if _, err := st.IssueTicket(context.Background(), "anna", "kindergarten_queue", "", ""); err != nil {
			t.Fatal(err)
		}
	})
	var errOut bytes.Buffer
	out, code := runWith(t, nil, &errOut, "sync", "--once", "--timeout", "3s", "--data", dir, "--central", gone)
	if code != syncStuck || !strings.Contains(errOut.String(), "events still waiting to be sent: 1") {
		t.Fatalf("exit %d, want %d\n%s%s", code, syncStuck, out, errOut.String())
	}
	// And back: 0.
	errOut.Reset()
	if out, code := runWith(t, nil, &errOut, "sync", "--once", "--data", dir, "--central", srv.URL); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut.String())
	}
}
