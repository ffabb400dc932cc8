package localdb

import (
	"slices"
	"strings"

	"github.com/okno-mfc/okno/domain"
)

// Combination terms make a search of several words of a name fast on a
// million visitors. FTS5 walks every doclist of an AND whole, and a word
// such as петр* is on a third of the names (Пётр, Петров…, Петрович), so
// "Кузнецова Пётр Олегович" read some 400,000 entries to find a handful.
// Each name also gets, in a table of their own (visitors_combo), a term for
// every three of its first comboWords words (of comboLen letters or more):
// "0" and their first comboLen letters in sorted order (0кузолепет), and
// the same of the second tier's skeletons with "1". Two query words of
// which neither begins the other must match different words of a name
// (one that begins another is implied by it and left out), so a query's
// combination term holds every visitor its words can find, and a few
// thousand at most besides, which the words then check on the rows. Words
// with the same first letters combine too (Петровук Олег Петрович:
// 0олепетпет), which before migration 012 they did not: such a name was
// searched by FTS5's AND of its words, the slowest tenth of full names.

const (
	comboLen   = 3 // letters of each word in a combination term
	comboWords = 4 // the first words of a name that combine
)

// comboOf is a visitor's combination terms, space-separated.
func comboOf(v *domain.Visitor) string {
	var out []string
	people := []string{v.FullName}
	if v.Representative != nil {
		people = append(people, v.Representative.FullName)
	}
	for _, name := range people {
		var sk []string
		for _, w := range rawWords(name) {
			sk = append(sk, skeleton(w))
		}
		out = append(out, combos("0", words(name))...)
		out = append(out, combos("1", sk)...)
	}
	return strings.Join(out, " ")
}

// combos are the triples of the first comboWords words' heads.
func combos(marker string, ws []string) []string {
	var heads []string
	for _, w := range ws {
		if r := []rune(w); len(r) >= comboLen && len(heads) < comboWords {
			heads = append(heads, string(r[:comboLen]))
		}
	}
	var out []string
	for i := range heads {
		for j := i + 1; j < len(heads); j++ {
			for k := j + 1; k < len(heads); k++ {
				if c := combo(marker, heads[i], heads[j], heads[k]); !slices.Contains(out, c) {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

func combo(marker string, heads ...string) string {
	heads = slices.Clone(heads)
	slices.Sort(heads)
	return marker + strings.Join(heads, "")
}

// queryCombo is the combination term a query's name words imply — of its
// first three words of comboLen letters or more, after those that begin
// another word are left out — or "" when it has fewer than three. (A pair
// was tried and dropped: two common heads, Олег and Петр…, leave tens of
// thousands of rows to check on a million visitors.)
func queryCombo(marker string, names []string) string {
	var heads []string
	for i, w := range names {
		implied := false
		for j, o := range names {
			if j != i && strings.HasPrefix(o, w) && (o != w || j < i) {
				implied = true // w matches whatever o matches (or is o again)
				break
			}
		}
		if r := []rune(w); !implied && len(r) >= comboLen && len(heads) < 3 {
			heads = append(heads, string(r[:comboLen]))
		}
	}
	if len(heads) < 3 {
		return ""
	}
	return combo(marker, heads...)
}
