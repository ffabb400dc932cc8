package localdb

import (
	"context"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/domain"
)

// TestFindVisitorsSecondTier: what the exact tier does not find, the
// second finds below the exact matches, in the index and in the tail alike.
func TestFindVisitorsSecondTier(t *testing.T) {
	for _, mode := range searchModes {
		t.Run(mode.name, func(t *testing.T) { testFindVisitors(t, mode.tail) })
	}
}

func testFindVisitors(t *testing.T, tail int) {
	t.Parallel()
	s, _ := newStoreTail(t, "IRK", 3, tail)
	ctx := context.Background()
	people := []struct {
		key string
		v   domain.Visitor
	}{
		{"gudz", domain.Visitor{FullName: "Ґудзь Ґанна", DocType: domain.DocIDCardUA, DocNumber: "123456780"}},
		{"ivanenko_uk", domain.Visitor{FullName: "Іваненко Марʼяна", DocType: domain.DocIDCardUA, DocNumber: "123456789"}},
		{"ivanenko_ru", domain.Visitor{FullName: "Иваненко Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"}},
		{"romanov", domain.Visitor{FullName: "Романов Юрий Андреевич", DocType: domain.DocPassportRU, DocNumber: "2504 654321"}},
		{"oconnor", domain.Visitor{FullName: "О'Коннор Шон", DocType: domain.DocOther, DocNumber: "X1234567"}},
		{"smirnova", domain.Visitor{FullName: "Смирнова Алёна", DocType: domain.DocPassportRU, DocNumber: "4510 111111"}},
		{"shevchenko", domain.Visitor{FullName: "Шевченко Євген", DocType: domain.DocPassportUA, DocNumber: "КВ 123456"}},
	}
	ids := map[string]string{}
	for _, p := range people {
		ids[mustRegister(t, s, p.v).ID] = p.key
	}
	for _, tc := range []struct {
		q     string
		exact []string // in the first tier, in this order (newest first)
		loose []string // below, in any order
	}{
		{"гудзь", nil, []string{"gudz"}},
		{"ганна", nil, []string{"gudz"}}, // г for ґ in a first name: the exact tier holds them apart
		{"иваненко", []string{"ivanenko_ru"}, []string{"ivanenko_uk"}},
		{"іваненко", []string{"ivanenko_uk"}, []string{"ivanenko_ru"}},
		{"Ivaнeнко", nil, []string{"ivanenko_uk", "ivanenko_ru"}}, // Latin I, v, a, e
		{"ivanenko", nil, []string{"ivanenko_uk", "ivanenko_ru"}},
		{"ivanenko mar", nil, []string{"ivanenko_uk"}},
		{"romanov", nil, []string{"romanov"}},
		{"Romanov Yuriy", nil, []string{"romanov"}},
		{"рoманов", nil, []string{"romanov"}},   // Latin o
		{"Cмиpнова", nil, []string{"smirnova"}}, // Latin C and p
		{"коннор", nil, []string{"oconnor"}},    // the part after the apostrophe
		{"о'коннор", []string{"oconnor"}, nil},
		{"shevchenko yevhen", nil, []string{"shevchenko"}},
		{"шевченко евген", nil, []string{"shevchenko"}}, // е for є
		{"иваненко 2504", []string{"ivanenko_ru"}, nil},
		{"іваненко 2504", nil, []string{"ivanenko_ru"}}, // the name forgiven, the number exact
		{"іваненко 9999", nil, nil},
		{"2504", []string{"romanov", "ivanenko_ru"}, nil}, // numbers have no second tier
		{"нет такого", nil, nil},
		{"zzz", nil, nil},
	} {
		hits, err := s.FindVisitors(ctx, tc.q, 20)
		if err != nil {
			t.Fatalf("find %q: %v", tc.q, err)
		}
		var gotExact []string
		gotLoose := map[string]bool{}
		for i, h := range hits {
			if !h.Loose {
				if len(gotLoose) > 0 {
					t.Errorf("find %q: an exact hit at %d below a loose one", tc.q, i)
				}
				gotExact = append(gotExact, ids[h.ID])
			} else {
				gotLoose[ids[h.ID]] = true
			}
		}
		if strings.Join(gotExact, " ") != strings.Join(tc.exact, " ") {
			t.Errorf("find %q: exact %v, want %v", tc.q, gotExact, tc.exact)
		}
		if len(gotLoose) != len(tc.loose) {
			t.Errorf("find %q: loose %v, want %v", tc.q, gotLoose, tc.loose)
		}
		for _, w := range tc.loose {
			if !gotLoose[w] {
				t.Errorf("find %q: loose %v, want %v", tc.q, gotLoose, tc.loose)
			}
		}
	}
	// The second tier fills only what the first leaves.
	if hits, _ := s.FindVisitors(ctx, "иваненко", 1); len(hits) != 1 || hits[0].Loose {
		t.Errorf("with room for one, the exact hit: %+v", hits)
	}
}
