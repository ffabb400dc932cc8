package localdb

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
)

// testCatalog is a small catalogue of its own, so the tests do not move when
// the built-in one is edited.
func testCatalog() *domain.Catalog {
	names := func(s string) map[string]string { return map[string]string{"ru": s, "uk": s, "en": s} }
	return &domain.Catalog{
		Version: "test-1",
		Norms:   domain.Norms{WaitMinutes: 15, StorageDays: 30},
		Categories: []domain.Category{
			{Code: "war_veteran", Names: names("veteran"), Basis: "law", Proof: "veteran's certificate", Rank: 1},
			{Code: "disabled", Names: names("disabled I/II"), Basis: "law", Proof: "disability certificate", Rank: 2},
		},
		Services: []domain.Service{
			{Code: "replanning", Names: names("Re-planning"), Department: "housing", Deadline: 45, DeadlineKind: domain.CalendarDays, Prefix: "A",
				Documents: []domain.Requirement{
					{Code: "passport", Names: names("Passport"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
					{Code: "floor_plan", Names: names("Floor plan"), Need: domain.Required, Form: domain.FormCopy, Count: 2},
					{Code: "power_of_attorney", Names: names("Power of attorney"), Need: domain.IfAvailable, Form: domain.FormOriginal, Count: 1},
				}},
			{Code: "kindergarten", Names: names("Kindergarten"), Department: "education", Deadline: 7, Prefix: "B",
				Documents: []domain.Requirement{
					{Code: "passport", Names: names("Passport"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
					{Code: "birth_certificate", Names: names("Birth certificate"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
				}},
			{Code: "foreign_passport", Names: names("Foreign passport"), Department: "migration", Deadline: 20, Prefix: "P", Equipment: []string{"biometric"},
				Documents: []domain.Requirement{
					{Code: "passport", Names: names("Passport"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
				}},
		},
	}
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func newStore(t testing.TB, office string, window int) (*Store, *clock) {
	return newStoreTail(t, office, window, 0)
}

// newStoreTail is newStore with Options.SearchTail set (0: the default).
func newStoreTail(t testing.TB, office string, window int, tail int) (*Store, *clock) {
	t.Helper()
	ck := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.Local)}
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "okno.db"), Options{Catalog: testCatalog(), Now: ck.Now, SearchTail: tail})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Init(context.Background(), office, window); err != nil {
		t.Fatal(err)
	}
	return s, ck
}

func visitor(name, passport string) domain.Visitor {
	return domain.Visitor{FullName: name, DocType: domain.DocPassportRU, DocNumber: passport}
}

func mustRegister(t testing.TB, s *Store, v domain.Visitor) domain.Visitor {
	t.Helper()
	v, err := s.RegisterVisitor(context.Background(), "clerk1", v)
	if err != nil {
		t.Fatalf("register %s: %v", v.FullName, err)
	}
	return v
}

var fastHash = passwd.Fast

// foldAll folds the whole search tail into the index, in one write.
func foldAll(tb testing.TB, s *Store) {
	tb.Helper()
	ctx := context.Background()
	if err := s.WithTx(ctx, func(tx *Tx) error { _, err := s.foldSearch(ctx, tx, 0); return err }); err != nil {
		tb.Fatal(err)
	}
}

// searchModes are the ways a visitor can be found: only in the tail (not
// yet folded), only in the indexes (folded as it comes), and both at once.
var searchModes = []struct {
	name string
	tail int
}{
	{"tail", 0},
	{"folded", 1},
	{"mixed", 4}, // of six visitors, four folded at the fourth and two in the tail
}
