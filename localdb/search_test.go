package localdb

import (
	"context"
	"testing"

	"github.com/okno-mfc/okno/domain"
)

func TestSearchVisitors(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	people := map[string]domain.Visitor{
		"fedorov":  {FullName: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456", Phone: "+7 916 123-45-67"},
		"fedorova": {FullName: "Федорова Алёна", DocType: domain.DocPassportRU, DocNumber: "4510 654321"},
		"ivanenko": {FullName: "Іваненко Марʼяна", DocType: domain.DocIDCardUA, DocNumber: "123456789", Phone: "+380 67 123 4567"},
		"ivanov":   {FullName: "Иванов Иван", DocType: domain.DocPassportRU, DocNumber: "0101 000001", SNILS: "112-233-445 95"},
		"yizhak":   {FullName: "Їжак Ґанна", DocType: domain.DocPassportUA, DocNumber: "КВ 123456"},
		"smith":    {FullName: "O'Connor John", DocType: domain.DocOther, DocNumber: "X1234567"},
	}
	ids := map[string]string{}
	for key, v := range people {
		ids[mustRegister(t, s, v).ID] = key
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"федоров", []string{"fedorov", "fedorova"}},                   // е finds ё
		{"ФЁДОРОВ", []string{"fedorov", "fedorova"}},                   // upper case, ё in the query
		{"фёдорова", []string{"fedorova"}},                             // ё in the query finds е
		{"фед пётр", []string{"fedorov"}},                              // two prefixes, both required
		{"алена", []string{"fedorova"}},                                // ё→е in a first name
		{"іван", []string{"ivanenko"}},                                 // Ukrainian і is not и
		{"иван", []string{"ivanov"}},                                   // and и is not і
		{"мар'яна", []string{"ivanenko"}},                              // apostrophe forms
		{"марʼ", []string{"ivanenko"}},                                 // a prefix with an apostrophe
		{"їжак", []string{"yizhak"}},                                   // ї kept
		{"ґанна", []string{"yizhak"}},                                  // ґ kept
		{"ганна", nil},                                                 // г is not ґ
		{"2504", []string{"fedorov"}},                                  // passport series
		{"2504123456", []string{"fedorov"}},                            // series and number as bare digits
		{"123456", []string{"fedorov", "yizhak", "ivanenko", "smith"}}, // passport numbers, ID card and other documents by prefix
		{"кв123456", []string{"yizhak"}},                               // booklet passport, compact
		{"11223344595", []string{"ivanov"}},                            // SNILS as bare digits
		{"112-233", []string{"ivanov"}},                                // SNILS as printed
		{"89161234567", []string{"fedorov"}},                           // phone with 8
		{"916123", []string{"fedorov"}},                                // phone without the country code
		{"0671234567", []string{"ivanenko"}},                           // Ukrainian phone, national
		{"o'connor", []string{"smith"}},                                // Latin with an apostrophe
		{"OCONNOR", []string{"smith"}},
		{"нет такого", nil},
		{"  ", nil},
		{`"; DROP`, nil}, // FTS syntax in the query is data
	} {
		hits, err := s.SearchVisitors(ctx, tc.q, 20)
		if err != nil {
			t.Fatalf("search %q: %v", tc.q, err)
		}
		got := map[string]bool{}
		for _, h := range hits {
			got[ids[h.ID]] = true
		}
		if len(got) != len(tc.want) {
			t.Errorf("search %q found %v, want %v", tc.q, got, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !got[w] {
				t.Errorf("search %q found %v, want %v", tc.q, got, tc.want)
			}
		}
	}
}

// An update replaces the indexed text: the old name no longer finds the visitor.
func TestSearchFollowsUpdates(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	v := mustRegister(t, s, visitor("Петрова Анна", "2504 123456"))
	v.FullName = "Смирнова Анна"
	if _, err := s.UpdateVisitor(ctx, "c", v); err != nil {
		t.Fatal(err)
	}
	if hits, _ := s.SearchVisitors(ctx, "петрова", 10); len(hits) != 0 {
		t.Errorf("old name still found: %+v", hits)
	}
	if hits, _ := s.SearchVisitors(ctx, "смирн", 10); len(hits) != 1 || hits[0].FullName != "Смирнова Анна" {
		t.Errorf("new name: %+v", hits)
	}
}

// A changed document number leaves the key table with the new one only, and
// the duplicate check finds a visitor by the exact document.
func TestKeysFollowUpdates(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	v := mustRegister(t, s, visitor("Петрова Анна", "2504 123456"))
	mustRegister(t, s, visitor("Другая Анна", "2504 654321"))
	if hits, _ := s.VisitorsByDocument(ctx, "2504 123456"); len(hits) != 1 || hits[0].ID != v.ID {
		t.Fatalf("by document: %+v", hits)
	}
	v.DocNumber = "4510 777777"
	if _, err := s.UpdateVisitor(ctx, "c", v); err != nil {
		t.Fatal(err)
	}
	if hits, _ := s.SearchVisitors(ctx, "2504123456", 10); len(hits) != 0 {
		t.Errorf("the old number still finds the visitor: %+v", hits)
	}
	if hits, _ := s.SearchVisitors(ctx, "4510 777", 10); len(hits) != 1 || hits[0].ID != v.ID {
		t.Errorf("the new number: %+v", hits)
	}
	if hits, _ := s.VisitorsByDocument(ctx, "2504 123456"); len(hits) != 0 {
		t.Errorf("by the old document: %+v", hits)
	}
}
