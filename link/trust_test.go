package link

import (
	"context"
	"crypto/ed25519"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// The link keeps what the audit needs: the office's keys, fetched when
// the feed brings a window it has none for, and the central's verified
// receipt of this window's head after each push. With them the feed and
// the end of the chain verify offline, on both stores.
func TestLinkKeepsKeysAndReceipts(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := centraltest.Start(t, centraltest.Kind(t, kind))
			a := newStation(t, srv, "IRK", 3)
			b := newStation(t, srv, "IRK", 4)
			c := b.intake(t, "Фёдоров Пётр")
			b.sync(t)
			dept := srv.Client(t, srv.Session(t, "dept", domain.RoleDepartment, "IRK", 0))
			if _, err := dept.SetStatus(ctx, c.ID, api.StatusRequest{Status: domain.CaseAccepted}); err != nil {
				t.Fatal(err)
			}
			a.intake(t, "Сидорова Анна")
			sum := a.sync(t)
			if sum.Pulled == 0 {
				t.Fatalf("nothing pulled: %+v", sum)
			}
			keys, ok, err := a.st.OfficeKeys(ctx, "IRK")
			if err != nil || !ok || keys.CentralKey != domain.EncodePublicKey(centraltest.CentralKey.Public().(ed25519.PublicKey)) || len(keys.Windows) < 2 {
				t.Fatalf("keys kept: %+v %v %v", keys, ok, err)
			}
			r, ok, err := a.st.Receipt(ctx, "IRK", 3)
			local, _ := a.st.LocalEvents(ctx, 0, 1000)
			if err != nil || !ok || r.Seq != int64(len(local)) || r.Hash != local[len(local)-1].Hash {
				t.Fatalf("receipt kept: %+v %v %v (%d local events)", r, ok, err, len(local))
			}
			feed, err := a.st.VerifyFeed(ctx, nil)
			if err != nil || len(feed.Findings) != 0 || feed.Verified != feed.Events || feed.Streams["IRK/0"] != 1 || feed.Streams["IRK/4"] == 0 {
				t.Fatalf("feed: %+v %v", feed, err)
			}
			tail, err := a.st.VerifyTail(ctx, "")
			if err != nil || len(tail.Findings) != 0 || !tail.Verified || tail.Receipt.Seq != r.Seq {
				t.Fatalf("tail: %+v %v", tail, err)
			}
			// A receipt that does not verify is not kept.
			forged := r
			forged.Seq += 10
			if got := a.link.verifiedReceipts(ctx, []api.HeadReceipt{forged, r}); len(got) != 1 || got[0] != r {
				t.Fatalf("receipts taken as verified: %+v", got)
			}
		})
	}
}
