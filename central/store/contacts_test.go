package store_test

import (
	"database/sql"
	"errors"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// TestContactsOfOneBatch: a transaction writes the visitors' notice
// contacts once, at commit (issue 17), and leaves what the events one at
// a time would have left: a consent given and withdrawn in one batch
// keeps no address; withdrawn and given again, the newest address; a
// withdrawal cancels the notices that were pending before it, and only
// those of that visitor.
func TestContactsOfOneBatch(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 1)
		ch := centraltest.NewChain("IRK", 1)
		db, q := store.RawDB(t, srv.DSN)

		visitor := func(email string) domain.Visitor {
			v := domain.Visitor{ID: centraltest.NewID(), FullName: "Фёдорова Марьяна Ивановна", DocType: domain.DocPassportRU, DocNumber: "2512 345678", Email: email}
			if email != "" {
				v.Notices = &domain.NoticeConsent{Channel: domain.NoticeEmail, Lang: "ru", Date: "2026-12-01"}
			}
			return v
		}
		ev := func(kind domain.EventKind, v domain.Visitor) domain.Event {
			return ch.Next(kind, domain.VisitorPayload{Visitor: v}, centraltest.VisitorOf(v.ID))
		}
		address := func(id string) string {
			t.Helper()
			var a string
			err := db.QueryRow(q(`SELECT address FROM notice_contacts WHERE visitor_id = ?`), id).Scan(&a)
			if errors.Is(err, sql.ErrNoRows) {
				return "(none)"
			}
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		pending := func(visitor, key string) {
			t.Helper()
			if _, err := db.Exec(q(`INSERT INTO notices (key, office, case_id, case_number, visitor_id, kind, status, next_at, created_at)
				VALUES (?, 'IRK', 'c', 'n', ?, 'ready', 'pending', 0, 0)`), key, visitor); err != nil {
				t.Fatal(err)
			}
		}
		status := func(key string) string {
			t.Helper()
			var s string
			if err := db.QueryRow(q(`SELECT status FROM notices WHERE key = ?`), key).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s
		}

		gone, back, kept := visitor("gone@example.org"), visitor("old@example.org"), visitor("kept@example.org")
		// Before: back and kept consented, each with a notice waiting.
		for _, r := range push(t, srv, ws.Token, ev(domain.EvVisitorRegistered, back), ev(domain.EvVisitorRegistered, kept)) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("%+v", r)
			}
		}
		pending(back.ID, "back-1")
		pending(kept.ID, "kept-1")

		withdrawnGone, withdrawnBack, again := gone, back, back
		withdrawnGone.Notices, withdrawnGone.Email = nil, ""
		withdrawnBack.Notices = nil
		again.Email = "new@example.org"
		batch := []domain.Event{
			ev(domain.EvVisitorRegistered, gone), ev(domain.EvVisitorUpdated, withdrawnGone),
			ev(domain.EvVisitorUpdated, withdrawnBack), ev(domain.EvVisitorUpdated, again),
		}
		for _, r := range push(t, srv, ws.Token, batch...) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("%+v", r)
			}
		}
		if a := address(gone.ID); a != "(none)" {
			t.Errorf("consent given and withdrawn in one batch: the address %s was kept", a)
		}
		if a := address(back.ID); a != "new@example.org" {
			t.Errorf("withdrawn and given again in one batch: address %s, want new@example.org", a)
		}
		if a := address(kept.ID); a != "kept@example.org" {
			t.Errorf("a visitor the batch did not touch: address %s", a)
		}
		if s := status("back-1"); s != store.NoticeCancelled {
			t.Errorf("the notice pending before the withdrawal is %s, want cancelled", s)
		}
		if s := status("kept-1"); s != store.NoticePending {
			t.Errorf("another visitor's notice is %s, want pending", s)
		}
	})
}
