package localdb

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// edSigner signs a store's events with a key (link.KeySigner's twin).
type edSigner struct{ key ed25519.PrivateKey }

func (s edSigner) Sign(hash string) (string, error) {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(s.key, []byte(hash))), nil
}

func testKey(b byte) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, 32)) }

func pubOf(k ed25519.PrivateKey) string {
	return domain.EncodePublicKey(k.Public().(ed25519.PublicKey))
}

var (
	centralKey = testKey(1)
	window4Key = testKey(4)
)

// fedStore is window 3 holding what the feed brought: five events of
// window 4 (signed by its key) and three of the central's (signed by the
// central's), with the office's keys kept. skip leaves seqs of window 4 out
// of the feed, as the central does with an event it rejected.
func fedStore(t *testing.T, skip ...int64) *Store {
	t.Helper()
	ctx := context.Background()
	s, ck := newStore(t, "IRK", 3)
	b, _ := newStore(t, "IRK", 4)
	b.SetSigner(edSigner{window4Key})
	v := mustRegister(t, b, visitor("Фёдоров Пётр", "2504 123456"))
	c, err := b.OpenCase(ctx, "c2", v.ID, "kindergarten", "")
	if err != nil {
		t.Fatal(err)
	}
	b.CheckDocument(ctx, "c2", c.ID, domain.DocumentPayload{Doc: "passport", Presented: true})
	b.CheckDocument(ctx, "c2", c.ID, domain.DocumentPayload{Doc: "birth_certificate", Presented: true})
	if _, err := b.HandOff(ctx, "c2", c.ID, ""); err != nil {
		t.Fatal(err)
	}
	evs, _ := b.LocalEvents(ctx, 0, 100)
	var page []domain.Event
	for _, e := range evs {
		skipped := false
		for _, k := range skip {
			skipped = skipped || e.Seq == k
		}
		if !skipped {
			page = append(page, e)
		}
	}
	prev := ""
	for i, st := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseReady} {
		d := deptEvent(c, int64(i+1), prev, st, ck.Now())
		domain.SignEvent(&d, centralKey)
		prev = d.Hash
		page = append(page, d)
	}
	if _, err := s.ApplyFeed(ctx, feedOf(page, 100)); err != nil {
		t.Fatal(err)
	}
	err = s.SetOfficeKeys(ctx, api.OfficeKeys{Office: "IRK", CentralKey: pubOf(centralKey),
		Windows: []api.WindowKey{{Window: 4, PublicKey: pubOf(testKey(40)), EnrolledAt: time.Now()}, {Window: 4, PublicKey: pubOf(window4Key), EnrolledAt: time.Now()}}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func verifyFeed(t *testing.T, s *Store) *FeedReport {
	t.Helper()
	rep, err := s.VerifyFeed(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestVerifyFeedIntact(t *testing.T) {
	t.Parallel()
	rep := verifyFeed(t, fedStore(t))
	if len(rep.Findings) != 0 || rep.Events != 8 || rep.Verified != 8 || rep.Streams["IRK/4"] != 5 || rep.Streams["IRK/0"] != 3 || !rep.KeysKnown {
		t.Fatalf("%+v", rep)
	}
	// Seq 3 of window 4 was rejected at the central: the feed never
	// brought it, and that is no finding.
	rep = verifyFeed(t, fedStore(t, 3))
	if len(rep.Findings) != 0 || rep.Events != 7 || rep.FeedGaps != 1 {
		t.Fatalf("a gap of the feed itself: %+v", rep)
	}
}

func exec1(t *testing.T, s *Store, q string, args ...any) {
	t.Helper()
	behind(t, s, func(db *sql.DB) {
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	})
}

// Each tamper with what the feed brought is found, and named exactly.
func TestVerifyFeedFindsTampers(t *testing.T) {
	t.Parallel()
	type want struct {
		window  int
		seq     int64
		problem string
		detail  string
	}
	cases := []struct {
		name   string
		skip   []int64
		tamper func(t *testing.T, s *Store)
		want   []want
	}{
		{"payload edited", nil, func(t *testing.T, s *Store) {
			exec1(t, s, `UPDATE events SET payload = CAST(json_set(payload, '$.presented', json('false')) AS BLOB) WHERE local = 0 AND window = 4 AND seq = 3`)
		}, []want{{4, 3, ProblemHash, "edited after it came with the feed"}}},
		{"edited and hashed again", nil, func(t *testing.T, s *Store) {
			e := heldEvent(t, s, 4, 3)
			e.Payload = []byte(`{"doc":"passport","presented":false}`)
			e.Seal(e.PrevHash)
			exec1(t, s, `UPDATE events SET payload = ?, hash = ? WHERE id = ?`, []byte(e.Payload), e.Hash, e.ID)
		}, []want{{4, 3, ProblemSignature, "no key the central named"}, {4, 4, ProblemLink, "not the hash of seq 3"}}},
		{"a status change forged with a key of its own", nil, func(t *testing.T, s *Store) {
			e := heldEvent(t, s, 0, 3)
			e.Payload = domain.MustPayload(domain.StatusPayload{Status: domain.CaseRefused})
			e.Seal(e.PrevHash)
			domain.SignEvent(&e, testKey(99))
			exec1(t, s, `UPDATE events SET payload = ?, hash = ?, sig = ? WHERE id = ?`, []byte(e.Payload), e.Hash, e.Sig, e.ID)
		}, []want{{0, 3, ProblemSignature, "no key the central named"}}},
		{"signature removed", nil, func(t *testing.T, s *Store) {
			exec1(t, s, `UPDATE events SET sig = '' WHERE local = 0 AND window = 4 AND seq = 2`)
		}, []want{{4, 2, ProblemUnsigned, "signature was removed"}}},
		{"one deleted", nil, func(t *testing.T, s *Store) {
			exec1(t, s, `DELETE FROM events WHERE local = 0 AND window = 4 AND seq = 3`)
		}, []want{{4, 3, ProblemMissing, "event 3 is not here, and the feed did not lack them"}}},
		{"the first deleted", nil, func(t *testing.T, s *Store) {
			exec1(t, s, `DELETE FROM events WHERE local = 0 AND window = 0 AND seq = 1`)
		}, []want{{0, 1, ProblemMissing, "the stream starts at seq 2"}}},
		{"the last deleted", nil, func(t *testing.T, s *Store) {
			exec1(t, s, `DELETE FROM events WHERE local = 0 AND window = 4 AND seq >= 4`)
		}, []want{{4, 4, ProblemMissing, "events 4–5 are not here"}}},
		{"a whole stream deleted", nil, func(t *testing.T, s *Store) {
			exec1(t, s, `DELETE FROM events WHERE local = 0 AND window = 0`)
		}, []want{{0, 1, ProblemMissing, "events 1–3 are not here"}}},
		{"one deleted beside a gap of the feed", []int64{3}, func(t *testing.T, s *Store) {
			exec1(t, s, `DELETE FROM events WHERE local = 0 AND window = 4 AND seq = 4`)
		}, []want{{4, 3, ProblemMissing, "events 3–4 are not here"}}},
		{"an event added at a taken seq", nil, func(t *testing.T, s *Store) {
			e := heldEvent(t, s, 4, 2)
			exec1(t, s, `INSERT INTO events (n, id, office, window, seq, at, kind, payload, prev_hash, hash, sig, local) SELECT -1000, 'forged', office, window, seq, at, kind, payload, prev_hash, hash, sig, 0 FROM events WHERE id = ?`, e.ID)
		}, []want{{4, 2, ProblemHash, "edited"}, {4, 2, ProblemExtra, "a second event at this seq"}}},
		{"the keys deleted", nil, func(t *testing.T, s *Store) {
			exec1(t, s, `DELETE FROM office_keys WHERE window = 4`)
		}, []want{{4, 1, ProblemNoKey, "no key is kept for this window"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := fedStore(t, c.skip...)
			c.tamper(t, s)
			rep := verifyFeed(t, s)
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.String())
			}
			if c.name != "the keys deleted" && len(rep.Findings) != len(c.want) {
				t.Errorf("want %d findings, got:\n%s", len(c.want), strings.Join(got, "\n"))
			}
			for i, w := range c.want {
				if i >= len(rep.Findings) {
					break
				}
				f := rep.Findings[i]
				if f.Office != "IRK" || f.Window != w.window || f.Seq != w.seq || f.Problem != w.problem || !strings.Contains(f.Detail, w.detail) {
					t.Errorf("finding %d: %s; want window %d seq %d %s %q", i, f, w.window, w.seq, w.problem, w.detail)
				}
			}
		})
	}
}

// heldEvent reads a held feed event of a window.
func heldEvent(t *testing.T, s *Store, window int, seq int64) domain.Event {
	t.Helper()
	e, err := scanEvent(s.rdb.QueryRow(`SELECT `+eventColumns+` FROM events WHERE local = 0 AND window = ? AND seq = ?`, window, seq))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// A central that signs nothing: its events are checked by hash and link.
func TestVerifyFeedUnsignedCentral(t *testing.T) {
	t.Parallel()
	s := fedStore(t)
	ctx := context.Background()
	if err := s.SetCentralKey(ctx, "IRK", ""); err != nil {
		t.Fatal(err)
	}
	rep := verifyFeed(t, s)
	if len(rep.Findings) != 0 || rep.Unsigned != 3 || rep.Verified != 5 {
		t.Fatalf("%+v", rep)
	}
	exec1(t, s, `DELETE FROM events WHERE local = 0 AND window = 0 AND seq = 2`)
	if rep := verifyFeed(t, s); len(rep.Findings) != 1 || rep.Findings[0].Problem != ProblemMissing {
		t.Fatalf("%+v", rep.Findings)
	}
}
