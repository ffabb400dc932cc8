package store_test

import (
	"context"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
)

// TestMigrationMovesOldClaimsToQuarantine: a database of before migration
// 003 (in the bookkeeping of then), with a rejected event that had claimed a taken seq beside the chain
// (in_stream = 0), gets it moved into the quarantine, where it no longer
// holds its id; its enrolled keys are carried into workstation_keys.
func TestMigrationMovesOldClaimsToQuarantine(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		evs := tickets(ch, 2)
		push(t, srv, ws.Token, evs[0])
		db := srv.SQL(t)
		// Back to before 003: its tables gone, an old side claim stored
		// with the id the genuine second event will have.
		for _, q := range []string{
			"DROP TABLE quarantine", "DROP TABLE workstation_keys", "DROP TABLE schema_versions", "DROP TABLE rate_buckets", "DROP TABLE signin_failures", "DROP TABLE user_keys",
			"DROP TABLE case_codes", "DROP TABLE status_tries", "DROP TABLE notice_contacts", "DROP TABLE notices", "DROP TABLE offices", "DROP TABLE kiosk_numbers", "DROP TABLE bookings", "DROP TABLE rating_codes", "DROP TABLE ratings", // and those of every migration after 003
			"DROP INDEX cases_department", "DROP INDEX cases_handed", "ALTER TABLE cases DROP COLUMN department", "ALTER TABLE cases DROP COLUMN handed_at",
			"DROP INDEX cases_collect", "ALTER TABLE cases DROP COLUMN collect_from", "ALTER TABLE cases DROP COLUMN collect_by",
			"ALTER TABLE users DROP COLUMN department", "ALTER TABLE sessions DROP COLUMN department",
			"CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
			"INSERT INTO schema_migrations VALUES (1, '001_init.sql', 1), (2, '002_window_break.sql', 1)",
			"INSERT INTO events (id, office, win, seq, at, kind, hash, status, reason, in_stream, received_at, received_by) VALUES ('" +
				evs[1].ID + "', 'IRK', 3, 1, 0, 'ticket.issued', 'abc', 'rejected', 'seq 1 of window IRK/3 is already taken', 0, 1, 'anna')",
		} {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		st, err := store.Open(context.Background(), srv.DSN, store.Options{Argon2: centraltest.TestArgon2})
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		if n := srv.Count(t, "SELECT COUNT(*) FROM quarantine WHERE problem = 'seq_taken' AND received_by = 'anna' AND id = '"+evs[1].ID+"'"); n != 1 {
			t.Errorf("the old claim is not in the quarantine: %d", n)
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE in_stream = 0"); n != 0 {
			t.Errorf("%d events beside the chains", n)
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM workstation_keys WHERE office = 'IRK' AND win = 3"); n != 1 {
			t.Errorf("the enrolled key was not carried over: %d", n)
		}
		if r := push(t, srv, ws.Token, evs[1]); r[0].Status != api.IngestAccepted {
			t.Errorf("the genuine event with the old claim's id: %+v", r[0])
		}
	})
}
