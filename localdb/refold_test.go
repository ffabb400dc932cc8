package localdb

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/domain"
)

// deptEvent is a department's status change as the central records it
// (window 0), dated at.
func deptEvent(c *domain.CaseView, seq int64, prev string, status domain.CaseState, at time.Time) domain.Event {
	ev := domain.Event{ID: uuid.Must(uuid.NewV7()).String(), Office: c.Office, Window: 0, Seq: seq, At: at.UTC(),
		Kind: domain.EvCaseStatusChanged, Actor: "dept", CaseID: c.ID, Payload: domain.MustPayload(domain.StatusPayload{Status: status})}
	ev.Seal(prev)
	return ev
}

// workedStore is window 3 after a morning: its own visitors, tickets and a
// case, the feed's work of window 4 and the department's status changes
// (one of which does not fold here), and a result issued after the case
// came back ready: own and feed events interleaved.
func workedStore(t *testing.T) (s *Store, c1, c2 *domain.CaseView, v1 domain.Visitor) {
	t.Helper()
	ctx := context.Background()
	s, ck := newStore(t, "IRK", 3)
	b, _ := newStore(t, "IRK", 4)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	v1 = mustRegister(t, s, visitor("Фёдоров Пётр", "2504 123456"))
	tk, err := s.IssueTicket(ctx, "c1", "kindergarten", "", "")
	must(err)
	_, err = s.CallNext(ctx, "c1", nil)
	must(err)
	c1, err = s.OpenCase(ctx, "c1", v1.ID, "kindergarten", tk.ID)
	must(err)
	must(s.CheckDocument(ctx, "c1", c1.ID, domain.DocumentPayload{Doc: "passport", Presented: true, Form: domain.FormOriginal, Count: 1}))
	must(s.CheckDocument(ctx, "c1", c1.ID, domain.DocumentPayload{Doc: "birth_certificate", Presented: true, Form: domain.FormOriginal, Count: 1}))
	_, err = s.HandOff(ctx, "c1", c1.ID, "")
	must(err)
	_, err = s.Move(ctx, "c1", tk.ID, domain.EvTicketServed)
	must(err)

	v2 := mustRegister(t, b, visitor("Іваненко Марʼяна", "4510 999999"))
	c2, err = b.OpenCase(ctx, "c2", v2.ID, "replanning", "")
	must(err)
	must(b.CheckDocument(ctx, "c2", c2.ID, domain.DocumentPayload{Doc: "passport", Presented: true, Form: domain.FormOriginal, Count: 1}))
	must(b.CheckDocument(ctx, "c2", c2.ID, domain.DocumentPayload{Doc: "floor_plan", Presented: true, Form: domain.FormCopy, Count: 2}))
	_, err = b.HandOff(ctx, "c2", c2.ID, "")
	must(err)
	evs, _ := b.LocalEvents(ctx, 0, 100)
	d1 := deptEvent(c1, 1, "", domain.CaseAccepted, ck.Now())
	d2 := deptEvent(c1, 2, d1.Hash, domain.CaseInWork, ck.Now())
	d3 := deptEvent(c1, 3, d2.Hash, domain.CaseReady, ck.Now())
	bad := deptEvent(c2, 4, d3.Hash, domain.CaseIssued, ck.Now()) // a department cannot issue: does not fold
	if res, err := s.ApplyFeed(ctx, feedOf(append(evs, d1, d2, d3, bad), 10)); err != nil || len(res.Failed) != 1 {
		t.Fatalf("feed: %+v %v", res, err)
	}
	_, err = s.IssueResult(ctx, "c1", c1.ID, domain.IssuePayload{Note: "", Receiver: &domain.Receiver{Kind: domain.ReceiverApplicant, Name: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456"}})
	must(err)
	must(s.SetBreak(ctx, "c1", true, "обед"))
	d5 := deptEvent(c2, 5, bad.Hash, domain.CaseAccepted, ck.Now())
	if res, err := s.ApplyFeed(ctx, feedOf([]domain.Event{d5}, 40)); err != nil || res.Applied != 1 {
		t.Fatalf("feed 2: %+v %v", res, err)
	}
	return s, c1, c2, v1
}

func refold(t *testing.T, s *Store) *RefoldReport {
	t.Helper()
	rep, err := s.Refold(context.Background(), filepath.Join(t.TempDir(), "scratch.db"))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// The events make exactly the projections the store holds: nothing to
// report, also for feed events folded before the store kept their order.
func TestRefoldIntact(t *testing.T) {
	t.Parallel()
	s, _, _, _ := workedStore(t)
	rep := refold(t, s)
	if len(rep.Differences) != 0 || len(rep.OwnFailed) != 0 || rep.FeedSkipped != 1 || rep.Events != 20 || rep.Rows < 10 {
		t.Fatalf("intact store: %+v", rep)
	}
	behind(t, s, func(db *sql.DB) {
		if _, err := db.Exec(`UPDATE events SET after_seq = NULL WHERE local = 0`); err != nil {
			t.Fatal(err)
		}
	})
	if rep := refold(t, s); len(rep.Differences) != 0 || len(rep.OwnFailed) != 0 {
		t.Fatalf("feed order by time: %+v", rep)
	}
}

// behind runs SQL on the store's file behind its back.
func behind(t *testing.T, s *Store, fn func(db *sql.DB)) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(db)
}

// Every edit of a projection behind the store's back is named: table,
// row, column; never the value.
func TestRefoldFindsEdits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		sql  func(c1, c2 *domain.CaseView, v1 domain.Visitor) (string, []any)
		want func(c1, c2 *domain.CaseView, v1 domain.Visitor) []string
	}{
		{"visitor's name", func(_, _ *domain.CaseView, v1 domain.Visitor) (string, []any) {
			return `UPDATE visitors SET full_name = 'Подставной Иван' WHERE id = ?`, []any{v1.ID}
		}, func(_, _ *domain.CaseView, v1 domain.Visitor) []string {
			return []string{"visitors " + v1.ID + ": full_name differs"}
		}},
		{"visitor's name in the JSON too", func(_, _ *domain.CaseView, v1 domain.Visitor) (string, []any) {
			return `UPDATE visitors SET full_name = 'Подставной Иван', data = CAST(json_set(data, '$.full_name', 'Подставной Иван') AS BLOB) WHERE id = ?`, []any{v1.ID}
		}, func(_, _ *domain.CaseView, v1 domain.Visitor) []string {
			return []string{"visitors " + v1.ID + ": full_name differs", "visitors " + v1.ID + ": data.full_name differs"}
		}},
		{"a case forced to issued", func(_, c2 *domain.CaseView, _ domain.Visitor) (string, []any) {
			return `UPDATE cases SET state = 'issued', view = CAST(json_set(view, '$.state', 'issued') AS BLOB) WHERE id = ?`, []any{c2.ID}
		}, func(_, c2 *domain.CaseView, _ domain.Visitor) []string {
			return []string{"cases " + c2.ID + ": state differs", "cases " + c2.ID + ": view.state differs"}
		}},
		{"a checklist row", func(c1, _ *domain.CaseView, _ domain.Visitor) (string, []any) {
			return `UPDATE checklist SET presented = 0 WHERE case_id = ? AND doc = 'passport'`, []any{c1.ID}
		}, func(c1, _ *domain.CaseView, _ domain.Visitor) []string {
			return []string{"checklist " + c1.ID + "/passport: presented differs"}
		}},
		{"a ticket deleted", func(_, _ *domain.CaseView, _ domain.Visitor) (string, []any) {
			return `DELETE FROM tickets`, nil
		}, func(_, _ *domain.CaseView, _ domain.Visitor) []string {
			return []string{"tickets ", ": the events make this row, the file lacks it"}
		}},
		{"a visitor no event makes", func(_, _ *domain.CaseView, _ domain.Visitor) (string, []any) {
			return `INSERT INTO visitors (id, full_name, doc_type, doc_number, data, created_at, updated_at) VALUES ('x-1', 'Никто', 'passport_ru', '1', CAST('{}' AS BLOB), '', '')`, nil
		}, func(_, _ *domain.CaseView, _ domain.Visitor) []string {
			return []string{"visitors x-1: a row no event makes"}
		}},
		{"the break", func(_, _ *domain.CaseView, _ domain.Visitor) (string, []any) {
			return `UPDATE meta SET value = '' WHERE key = 'on_break'`, nil
		}, func(_, _ *domain.CaseView, _ domain.Visitor) []string {
			return []string{"meta on_break: value differs"}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, c1, c2, v1 := workedStore(t)
			q, args := c.sql(c1, c2, v1)
			behind(t, s, func(db *sql.DB) {
				if _, err := db.Exec(q, args...); err != nil {
					t.Fatal(err)
				}
			})
			rep := refold(t, s)
			var got []string
			for _, d := range rep.Differences {
				got = append(got, d.String())
			}
			all := strings.Join(got, "\n")
			want := c.want(c1, c2, v1)
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("no %q in:\n%s", w, all)
				}
			}
			if len(want) == 1 && len(got) != 1 && !strings.HasPrefix(c.name, "a ticket") {
				t.Errorf("want one finding, got:\n%s", all)
			}
			if strings.Contains(all, "Подставной") || strings.Contains(all, "Никто") || strings.Contains(all, "Фёдоров") {
				t.Errorf("a value in the findings:\n%s", all)
			}
		})
	}
}

func TestRefoldEmptyStore(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	if rep := refold(t, s); rep.Events != 0 || len(rep.Differences) != 0 {
		t.Fatalf("%+v", rep)
	}
}
