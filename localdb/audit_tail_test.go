package localdb

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
)

// syncedStore is window 3 with eight events, the first six sent and
// countersigned by the central (a receipt for head 6, signed with the
// central's key, which is kept), the last two not yet sent. Case numbers
// 1 and 2 of the day are in the synced part, 3 in the unsynced tail.
func syncedStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, _ := newStore(t, "IRK", 3)
	s.SetSigner(edSigner{testKey(3)})
	v := mustRegister(t, s, visitor("Фёдоров Пётр", "2504 123456")) // 1
	for range 2 {
		if _, err := s.OpenCase(ctx, "c1", v.ID, "kindergarten", ""); err != nil { // 2, 3
			t.Fatal(err)
		}
	}
	for range 3 {
		if _, err := s.IssueTicket(ctx, "c1", "replanning", "", ""); err != nil { // 4, 5, 6
			t.Fatal(err)
		}
	}
	if _, err := s.OpenCase(ctx, "c1", v.ID, "kindergarten", ""); err != nil { // 7
		t.Fatal(err)
	}
	mustRegister(t, s, visitor("Сидорова Анна", "2504 654321")) // 8
	evs, _ := s.LocalEvents(ctx, 0, 100)
	var answers []api.IngestResult
	for _, e := range evs[:6] {
		answers = append(answers, api.IngestResult{ID: e.ID, Status: api.IngestAccepted})
	}
	if _, err := s.MarkAnswered(ctx, answers); err != nil {
		t.Fatal(err)
	}
	r := api.HeadReceipt{Office: "IRK", Window: 3, Seq: 6, Hash: evs[5].Hash, At: time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)}
	api.SignHead(&r, centralKey)
	if err := s.SaveReceipt(ctx, r); err != nil {
		t.Fatal(err)
	}
	// An older receipt arriving late does not replace it.
	old := api.HeadReceipt{Office: "IRK", Window: 3, Seq: 2, Hash: evs[1].Hash, At: r.At.Add(-time.Minute)}
	api.SignHead(&old, centralKey)
	if err := s.SaveReceipt(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCentralKey(ctx, "IRK", pubOf(centralKey)); err != nil {
		t.Fatal(err)
	}
	return s
}

func verifyTail(t *testing.T, s *Store) *TailReport {
	t.Helper()
	rep, err := s.VerifyTail(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestVerifyTailIntact(t *testing.T) {
	t.Parallel()
	rep := verifyTail(t, syncedStore(t))
	if len(rep.Findings) != 0 || rep.Head != 8 || rep.Receipt == nil || rep.Receipt.Seq != 6 || !rep.Verified {
		t.Fatalf("%+v", rep)
	}
}

// Each way of cutting or rewriting the end of the chain is named.
func TestVerifyTailFindsCuts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		tamper []string
		want   []string // findings' String(), in order (substrings)
	}{
		{"the synced tail deleted, with everything that names it", []string{
			`DELETE FROM events WHERE n > 4`, `DELETE FROM outbox WHERE seq > 4`, `UPDATE meta SET value = '4' WHERE key = 'outbox_low'`,
			`UPDATE counters SET value = 2`,
		}, []string{"seq 5: receipt: head 6 was countersigned by the central at ", "events 5–6 are missing (deleted after they were synced)"}},
		{"the synced event at the receipt rewritten", []string{
			`UPDATE events SET hash = 'ab' || substr(hash, 3) WHERE n = 6`,
		}, []string{"seq 6: receipt: head 6 was countersigned by the central at", "with another hash"}},
		{"the receipt forged further", []string{
			`UPDATE head_receipts SET seq = 8`,
		}, []string{"seq 8: receipt: the receipt kept for head 8 does not verify"}},
		{"the unsynced tail deleted, events only", []string{
			`DELETE FROM events WHERE n > 6`,
		}, []string{"seq 7: outbox: the outbox has rows up to seq 8, but the chain ends at seq 6: events 7–8 were deleted",
			"counter: the case counter of day 261123 is at 3, but the chain's last case of that day is number 2: case 3 was registered and its event is gone"}},
		{"the unsynced tail deleted with its outbox rows", []string{
			`DELETE FROM events WHERE n > 6`, `DELETE FROM outbox WHERE seq > 6`,
		}, []string{"counter: the case counter of day 261123 is at 3, but the chain's last case of that day is number 2"}},
		{"an event's outbox row deleted", []string{
			`DELETE FROM outbox WHERE seq = 8`,
		}, []string{"outbox: events without an outbox row: 1"}},
		{"the case counter turned back", []string{
			`UPDATE counters SET value = 1`,
		}, []string{"counter: the case counter of day 261123 is at 1, below the chain's last case of that day (number 3)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := syncedStore(t)
			for _, q := range c.tamper {
				exec1(t, s, q)
			}
			rep := verifyTail(t, s)
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.String())
			}
			all := strings.Join(got, "\n")
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("no %q in:\n%s", w, all)
				}
			}
			if len(got) == 0 {
				t.Errorf("nothing found")
			}
			t.Logf("%s", all)
		})
	}
}
