package localdb

import (
	"context"
	"fmt"
	"testing"

	"github.com/okno-mfc/okno/domain"
)

func TestSearchVisitors(t *testing.T) {
	for _, mode := range searchModes {
		t.Run(mode.name, func(t *testing.T) { testSearchVisitors(t, mode.tail) })
	}
}

func testSearchVisitors(t *testing.T, tail int) {
	t.Parallel()
	s, _ := newStoreTail(t, "IRK", 3, tail)
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
	upto, err := searchUpto(ctx, s.rdb)
	if want := map[int]int64{0: 0, 1: 6, 4: 4}[tail]; err != nil || upto != want {
		t.Fatalf("with a tail of %d, %d of 6 visitors are folded, want %d (%v)", tail, upto, want, err)
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
		{"ф", []string{"fedorov", "fedorova"}},                              // one letter
		{"1", []string{"fedorov", "ivanenko", "ivanov", "yizhak", "smith"}}, // one digit
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
	for _, mode := range searchModes {
		t.Run(mode.name, func(t *testing.T) { testSearchFollowsUpdates(t, mode.tail) })
	}
}

func testSearchFollowsUpdates(t *testing.T, tail int) {
	t.Parallel()
	s, _ := newStoreTail(t, "IRK", 3, tail)
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
	for _, mode := range searchModes {
		t.Run(mode.name, func(t *testing.T) { testKeysFollowUpdates(t, mode.tail) })
	}
}

func testKeysFollowUpdates(t *testing.T, tail int) {
	t.Parallel()
	s, _ := newStoreTail(t, "IRK", 3, tail)
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

// The fold moves the tail into the index in one write, and a search finds
// the same visitors before and after it; the tail never outgrows its limit.
func TestSearchFold(t *testing.T) {
	t.Parallel()
	s, _ := newStoreTail(t, "IRK", 3, 5)
	ctx := context.Background()
	surnames := []string{"Сидоров", "Сидоренко", "Сидорова", "Петров", "Петренко", "Сидорчук", "Сидоркин"}
	for i, name := range surnames {
		mustRegister(t, s, visitor(name+" Иван", fmt.Sprintf("2504 %06d", 100000+i)))
		upto, err := searchUpto(ctx, s.rdb)
		if err != nil {
			t.Fatal(err)
		}
		if tail := int64(i+1) - upto; tail < 0 || tail >= 5 {
			t.Fatalf("after %d visitors the tail holds %d, want 0–4", i+1, tail)
		}
	}
	count := func(q string) int {
		hits, err := s.SearchVisitors(ctx, q, 20)
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	// 5 folded, 2 in the tail: the results span both.
	if got := count("сидор"); got != 5 {
		t.Errorf("сидор: %d hits, want 5", got)
	}
	if got := count("2504 1000"); got != 7 {
		t.Errorf("2504 1000: %d hits, want 7", got)
	}
	if got := count("сидор 2504100006"); got != 1 {
		t.Errorf("a name and a number, the number in the tail: %d hits, want 1", got)
	}
	if got := count("сидор 2504100001"); got != 1 {
		t.Errorf("a name and a number, folded: %d hits, want 1", got)
	}
	var keys, names int
	s.rdb.QueryRow(`SELECT count(*) FROM visitors_fts WHERE visitors_fts MATCH 'keys:2504*'`).Scan(&keys)
	s.rdb.QueryRow(`SELECT count(*) FROM visitors_fts WHERE visitors_fts MATCH 'name:иван'`).Scan(&names)
	if names != 5 || keys != 5 {
		t.Errorf("the index holds %d names and %d numbers, want the 5 folded visitors", names, keys)
	}
}

// A new visitor whose SNILS, INN or RNOKPP is registered already is found
// by it, written with or without separators, like a duplicate passport.
func TestDuplicates(t *testing.T) {
	for _, mode := range searchModes {
		t.Run(mode.name, func(t *testing.T) { testDuplicates(t, mode.tail) })
	}
}

func testDuplicates(t *testing.T, tail int) {
	t.Parallel()
	s, _ := newStoreTail(t, "IRK", 3, tail)
	ctx := context.Background()
	a := visitor("Петрова Анна", "2504 123456")
	a.SNILS, a.INN = "112-233-445 95", "500100732259"
	pa := mustRegister(t, s, a)
	b := domain.Visitor{FullName: "Шевченко Тарас", DocType: domain.DocIDCardUA, DocNumber: "274019385", RNOKPP: "3064700004"}
	pb := mustRegister(t, s, b)
	mustRegister(t, s, visitor("Другая Анна", "2504 654321"))
	for _, tc := range []struct {
		name  string
		v     domain.Visitor
		id    string
		field string
	}{
		{"passport", visitor("Петрова А.", "2504 123456"), pa.ID, "doc_number"},
		{"snils", domain.Visitor{FullName: "Петрова А.", DocNumber: "4510 000001", SNILS: "11223344595"}, pa.ID, "snils"},
		{"inn", domain.Visitor{FullName: "Петрова А.", DocNumber: "4510 000002", INN: "500100732259"}, pa.ID, "inn"},
		{"rnokpp", domain.Visitor{FullName: "Шевченко Т.", DocNumber: "000000001", RNOKPP: "3064700004"}, pb.ID, "rnokpp"},
		{"passport and snils: listed once", domain.Visitor{DocNumber: "2504 123456", SNILS: "112-233-445 95"}, pa.ID, "doc_number"},
	} {
		d, err := s.Duplicates(ctx, tc.v)
		if err != nil || len(d) != 1 || d[0].ID != tc.id || d[0].Field != tc.field {
			t.Errorf("%s: %+v %v", tc.name, d, err)
		}
	}
	if d, err := s.Duplicates(ctx, domain.Visitor{DocNumber: "4510 000003", SNILS: "112-233-445 96", INN: "5001007322", RNOKPP: "30647"}); err != nil || len(d) != 0 {
		t.Errorf("other numbers (one a prefix) find %+v %v", d, err)
	}
}
