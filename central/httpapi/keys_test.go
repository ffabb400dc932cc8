package httpapi_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

var centralPub = centraltest.CentralKey.Public().(ed25519.PublicKey)

// TestOfficeKeys: an office's keys list the central's and every key each
// window was enrolled with, oldest first; enrolment tells the central's
// key; another office is refused, an unknown one is not found.
func TestOfficeKeys(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		ws := srv.Enrol(t, "IRK", 3)
		srv.Enrol(t, "IRK", 5)
		srv.Enrol(t, "MSK", 1)
		// Window 5 gets a new key (a replaced machine), then the same again.
		newKey := centraltest.KeyFor("IRK", 55)
		req := api.EnrolRequest{Office: "IRK", Window: 5, PublicKey: domain.EncodePublicKey(newKey.Public().(ed25519.PublicKey))}
		admin := srv.Client(t, srv.AdminToken)
		resp, err := admin.Enrol(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.CentralKey != domain.EncodePublicKey(centralPub) {
			t.Errorf("enrolment answered central_key %q", resp.CentralKey)
		}
		if _, err := admin.Enrol(ctx, req); err != nil {
			t.Fatal(err)
		}

		keys, err := srv.Client(t, ws.Token).OfficeKeys(ctx, "IRK")
		if err != nil {
			t.Fatal(err)
		}
		pub := func(office string, w int) string {
			return domain.EncodePublicKey(centraltest.KeyFor(office, w).Public().(ed25519.PublicKey))
		}
		want := []struct {
			window int
			key    string
		}{{3, pub("IRK", 3)}, {5, pub("IRK", 5)}, {5, pub("IRK", 55)}}
		if keys.Office != "IRK" || keys.CentralKey != domain.EncodePublicKey(centralPub) || len(keys.Windows) != len(want) {
			t.Fatalf("keys: %+v", keys)
		}
		for i, w := range want {
			if k := keys.Windows[i]; k.Window != w.window || k.PublicKey != w.key || k.EnrolledAt.IsZero() {
				t.Errorf("key %d: %+v, want window %d %s", i, k, w.window, w.key)
			}
		}

		clerk := srv.Client(t, srv.Session(t, "anna", domain.RoleClerk, "IRK", 3))
		if _, err := clerk.OfficeKeys(ctx, "MSK"); !errors.Is(err, client.ErrForbidden) {
			t.Errorf("a clerk of IRK reading MSK's keys: %v", err)
		}
		if _, err := admin.OfficeKeys(ctx, "NOPE"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("an unknown office: %v", err)
		}
		msk, err := admin.OfficeKeys(ctx, "MSK")
		if err != nil || len(msk.Windows) != 1 || msk.Windows[0].PublicKey != pub("MSK", 1) {
			t.Errorf("an admin reading MSK's keys: %+v %v", msk, err)
		}
	})
}

// TestHeadReceipts: each push answers with the central's signed head of
// the caller's window; a batch of duplicates too; none without a key.
func TestHeadReceipts(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		ws := srv.Enrol(t, "IRK", 3)
		c := srv.Client(t, ws.Token)
		ch := centraltest.NewChain("IRK", 3)
		evs := tickets(ch, 4)
		bad := ch.Next(domain.EvTicketIssued, nil) // no payload: rejected, holds seq 5
		check := func(name string, got []api.HeadReceipt, seq int64, hash string) {
			t.Helper()
			if len(got) != 1 {
				t.Fatalf("%s: %d receipts: %+v", name, len(got), got)
			}
			r := got[0]
			if r.Office != "IRK" || r.Window != 3 || r.Seq != seq || r.Hash != hash || r.At.IsZero() {
				t.Errorf("%s: receipt %+v, want seq %d hash %s", name, r, seq, hash)
			}
			if err := r.Verify(centralPub); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			forged := r
			forged.Seq--
			if err := forged.Verify(centralPub); !errors.Is(err, domain.ErrBadSignature) {
				t.Errorf("%s: a receipt with another seq verifies: %v", name, err)
			}
		}
		res, err := c.PushEvents(ctx, evs[:2])
		if err != nil {
			t.Fatal(err)
		}
		check("first batch", res.Receipts, 2, evs[1].Hash)
		res, err = c.PushEvents(ctx, append(evs[2:], bad))
		if err != nil {
			t.Fatal(err)
		}
		check("second batch, its last event rejected", res.Receipts, 5, bad.Hash)
		res, err = c.PushEvents(ctx, evs[:2]) // an outbox sent again
		if err != nil {
			t.Fatal(err)
		}
		check("duplicates", res.Receipts, 5, bad.Hash)
		res, err = c.PushEvents(ctx, evs[:0])
		if err != nil || len(res.Receipts) != 0 {
			t.Errorf("an empty batch: %+v %v", res, err)
		}
	})
	t.Run("no key", func(t *testing.T) {
		srv := centraltest.Start(t, centraltest.StoreOptions(func(o *store.Options) { o.Key = nil }))
		ws := srv.Enrol(t, "IRK", 3)
		res, err := srv.Client(t, ws.Token).PushEvents(context.Background(), tickets(centraltest.NewChain("IRK", 3), 2))
		if err != nil || len(res.Receipts) != 0 || res.Results[1].Status != api.IngestAccepted {
			t.Errorf("without a key: %+v %v", res, err)
		}
		keys, err := srv.Client(t, ws.Token).OfficeKeys(context.Background(), "IRK")
		if err != nil || keys.CentralKey != "" {
			t.Errorf("keys without a central key: %+v %v", keys, err)
		}
	})
}
