package localdb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A word longer than the prefix indexes is matched through the dictionary
// of long words (the OR of the terms it begins), in both tiers, or as a
// prefix when it begins more than maxExpand terms; the result is what the
// prefix query gives.
func TestSearchLongWords(t *testing.T) {
	for _, mode := range searchModes {
		t.Run(mode.name, func(t *testing.T) { testSearchLongWords(t, mode.tail) })
	}
}

func testSearchLongWords(t *testing.T, tail int) {
	t.Parallel()
	s, _ := newStoreTail(t, "IRK", 3, tail)
	ctx := context.Background()
	names := []string{"Кузнецова Анна", "Кузнецоваенко Пётр", "Кузнецовский Олег Петрович", "Кузнецов Иван", "Ґудзенко-Кузнецова Олена", "Петровук Олег Петрович"}
	// More terms than maxExpand begin "бондаренко": the prefix query.
	for i := range maxExpand + 2 {
		names = append(names, fmt.Sprintf("Бондаренко%s Ірина", strings.Repeat("а", i%5)+string(rune('б'+i))))
	}
	for i, n := range names {
		mustRegister(t, s, visitor(n, fmt.Sprintf("2504 %06d", 100000+i)))
	}
	count := func(find func(context.Context, string, int) ([]VisitorHit, error), q string) (exact, loose int) {
		t.Helper()
		hits, err := find(ctx, q, 100)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		for _, h := range hits {
			if h.Loose {
				loose++
			} else {
				exact++
			}
		}
		return exact, loose
	}
	for _, tc := range []struct {
		q            string
		exact, loose int
	}{
		{"кузнецова", 3, 0},            // Кузнецова, Кузнецоваенко, Ґудзенко-Кузнецова (the part after the hyphen is a word)
		{"кузнецоваенко", 1, 0},        // one term
		{"кузнецова пет", 1, 0},        // and a short prefix
		{"кузнецов", 5, 0},             // eight letters: five terms
		{"кузнецовск олег петр", 1, 0}, // three words: the combination term, checked on the rows
		{"кузнецоваx", 0, 0},           // no term begins it
		{"kuznetsova", 0, 3},           // the second tier's skeleton, long too
		{"kuznetsovaenko pe", 0, 1},
		{"гудзенко", 0, 1}, // г for ґ: only the second tier
		{"бондаренко", maxExpand + 2, 0},
		{"bondarenko i", 0, maxExpand + 2},
		{"бондаренкоав", 1, 0},
		{"петровук олег петрович", 1, 0}, // the same first letters twice: a combination term too
		{"петров олег петр", 2, 0},       // петров of Петрович too, in Кузнецовский Олег Петрович
		{"petrovuk oleg petrovich", 0, 1},
	} {
		e, l := count(s.FindVisitors, tc.q)
		if e != tc.exact || l != tc.loose {
			t.Errorf("find %q: %d exact and %d loose, want %d and %d", tc.q, e, l, tc.exact, tc.loose)
		}
	}
	// The dictionary follows an update: the new long name is found, the
	// old one is not.
	hits, err := s.SearchVisitors(ctx, "кузнецоваенко", 10)
	if err != nil || len(hits) != 1 {
		t.Fatalf("before the update: %+v %v", hits, err)
	}
	v, err := s.Visitor(ctx, hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	v.FullName = "Прокопенкова Ганна"
	if _, err := s.UpdateVisitor(ctx, "c", v); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"кузнецоваенко": 0, "прокопенкова": 1, "прокопенко": 1, "кузнецова": 2} {
		if e, _ := count(s.SearchVisitors, q); e != want {
			t.Errorf("after the update, %q: %d hits, want %d", q, e, want)
		}
	}
}

// Migration 012 has the dictionary filled from the rows of a workstation's
// file: the same terms as the folds write.
func TestSearchTermsMigration(t *testing.T) {
	t.Parallel()
	s, _ := newStoreTail(t, "IRK", 3, 1)
	ctx := context.Background()
	for i, n := range []string{"Кузнецова Анна", "Іваненко Марʼяна Олегівна", "О'Коннорович Шон", "Шевченко-Бондаренко Євгенія"} {
		mustRegister(t, s, visitor(n, fmt.Sprintf("2504 %06d", 100000+i)))
	}
	dict := func() []string {
		t.Helper()
		got := names(t, s.db, `SELECT tier || ' ' || term FROM search_terms ORDER BY 1`)
		slices.Sort(got)
		return got
	}
	folded := dict()
	if !slices.Contains(folded, "0 кузнецова") || !slices.Contains(folded, "1 ivanenko") || !slices.Contains(folded, "0 бондаренко") || slices.Contains(folded, "0 анна") {
		t.Fatalf("the folds' dictionary: %q", folded)
	}
	path := s.Path()
	for _, q := range []string{`DROP TABLE search_terms`, `DELETE FROM schema_versions WHERE version = 12`} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err := Open(ctx, path, Options{Catalog: testCatalog(), SearchTail: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := dict(); !slices.Equal(got, folded) {
		t.Errorf("the migration's dictionary:\n%q\nthe folds':\n%q", got, folded)
	}
	if hits, err := s.FindVisitors(ctx, "ivanenko", 10); err != nil || len(hits) != 1 {
		t.Errorf("ivanenko after the migration: %+v %v", hits, err)
	}
}
