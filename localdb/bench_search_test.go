package localdb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// BenchmarkSearch types what a clerk types into the search box, one query
// type a sub-benchmark, against the 1M-visitor store, and reports
// p50/p95/p99 latency of FindVisitors (both tiers, 20 results). Each type's
// baseline (…Baseline) is the raw FTS5 query of the same MATCH, made fair:
// newest first, 20 rows, joined to the visitors for the same result
// columns; for the second tier's types, the second tier's MATCH.
func BenchmarkSearch(b *testing.B) {
	n := benchVisitors()
	s := SearchFixture(b, n, benchVisitor)
	ctx := context.Background()
	for _, qt := range benchQueryTypes {
		r := rand.New(rand.NewPCG(1, 2))
		var queries []string
		for len(queries) < 500 {
			if q := qt.make(r, benchVisitor(r.IntN(n))); q != "" {
				queries = append(queries, q)
			}
		}
		b.Run(fmt.Sprintf("visitors=%d/%s", n, qt.name), func(b *testing.B) {
			runSearch(b, queries, func(q string) int {
				h, err := s.FindVisitors(ctx, q, 20)
				if err != nil {
					b.Fatal(err)
				}
				return len(h)
			})
		})
		b.Run(fmt.Sprintf("visitors=%d/%sBaseline", n, qt.name), func(b *testing.B) {
			runSearch(b, queries, func(q string) int { return rawSearch(b, s, q, qt.loose) })
		})
	}
}

// runSearch times search over the queries, after one warming pass: the
// figures are for a workstation that has been searching, not for its first
// minute.
func runSearch(b *testing.B, queries []string, search func(q string) int) {
	for _, q := range queries {
		search(q)
	}
	var lat []time.Duration
	hits, i := 0, 0
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		t := time.Now()
		hits += search(q)
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
}

// rawSearch is the baseline: the tier's FTS5 MATCH, newest first, 20 rows,
// with the visitors' result columns.
func rawSearch(b *testing.B, s *Store, q string, loose bool) int {
	names, key := splitQuery(q)
	col := exactNames
	if loose {
		names, col = looseQuery(q), looseNames
	}
	var keys []string
	if key != "" {
		keys = []string{key}
	}
	match := rawMatch(col, names, keys)
	rows, err := s.rdb.QueryContext(context.Background(), `SELECT v.id, v.full_name, v.doc_type, v.doc_number, v.phone
		FROM (SELECT rowid AS n FROM `+col.table+` WHERE `+col.table+` MATCH ? ORDER BY rowid DESC LIMIT 20) f
		JOIN visitors v ON v.n = f.n ORDER BY f.n DESC`, match)
	if err != nil {
		b.Fatal(err)
	}
	hits, err := scanHits(rows)
	if err != nil {
		b.Fatal(err)
	}
	return len(hits)
}

// rawMatch is the plain MATCH a raw FTS5 user writes: every word a prefix.
func rawMatch(col nameColumn, names, keys []string) string {
	var m []string
	filter := ""
	if col.fts != "" {
		filter = col.fts + ":"
	}
	for _, w := range names {
		m = append(m, filter+`"`+w+`"*`)
	}
	for _, k := range keys {
		m = append(m, `keys:"`+k+`"*`)
	}
	return strings.Join(m, " AND ")
}

// benchQueryTypes are what a clerk types, by kind. loose marks the kinds
// only the second tier answers.
var benchQueryTypes = []struct {
	name  string
	loose bool
	make  func(r *rand.Rand, v domain.Visitor) string
}{
	{"letter", false, func(r *rand.Rand, v domain.Visitor) string { return string([]rune(v.FullName)[:1]) }},
	{"surname", false, func(r *rand.Rand, v domain.Visitor) string { return string([]rune(v.FullName)[:2+r.IntN(5)]) }},
	{"fullname", false, func(r *rand.Rand, v domain.Visitor) string { return v.FullName }},
	{"document", false, func(r *rand.Rand, v domain.Visitor) string { return v.DocNumber[:4+r.IntN(7)] }},
	{"phone", false, func(r *rand.Rand, v domain.Visitor) string { return "8" + v.Phone[2:] }},
	// A Ukrainian surname typed on a Russian keyboard: иваненко, олийнык.
	{"keyboard", true, func(r *rand.Rand, v domain.Visitor) string {
		sur := strings.Fields(v.FullName)[0]
		ru := strings.NewReplacer("І", "И", "і", "и", "Ї", "И", "ї", "и", "Є", "Е", "є", "е", "Ґ", "Г", "ґ", "г").Replace(sur)
		if ru == sur {
			return ""
		}
		return ru
	}},
	// One Cyrillic letter of the surname typed as its Latin look-alike.
	{"lookalike", true, func(r *rand.Rand, v domain.Visitor) string {
		sur := []rune(strings.Fields(v.FullName)[0])
		swap := map[rune]rune{'а': 'a', 'о': 'o', 'е': 'e', 'с': 'c', 'р': 'p', 'х': 'x', 'і': 'i'}
		for k := 0; k < len(sur); k++ {
			i := (r.IntN(len(sur)) + k) % len(sur)
			if l, ok := swap[sur[i]]; ok {
				sur[i] = l
				return string(sur)
			}
		}
		return ""
	}},
	// The surname and first name transliterated: ivanov petr, shevchenko.
	{"translit", true, func(r *rand.Rand, v domain.Visitor) string {
		w := strings.Fields(v.FullName)
		return translit(w[0]) + " " + translit(w[1])[:2]
	}},
}

// translit writes a name in Latin the way a passport or a clerk might.
func translit(s string) string {
	m := map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ye", 'ё': "yo", 'ж': "zh", 'з': "z",
		'и': "i", 'і': "i", 'ї': "yi", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s",
		'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ь': "", 'ы': "y", 'э': "e",
		'ю': "yu", 'я': "ya", 'ʼ': ""}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if t, ok := m[r]; ok {
			b.WriteString(t)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var benchGen = struct{ surnames, first, patronymic []string }{
	surnames:   []string{"Иванов", "Смирнова", "Фёдоров", "Кузнецова", "Шевченко", "Іваненко", "Петров", "Соколова", "Бондаренко", "Мельник", "Ким", "Олійник", "Волков", "Павлова", "Ткаченко", "Морозов", "Ґудзь", "Єременко"},
	first:      []string{"Пётр", "Анна", "Іван", "Олена", "Сергей", "Алёна", "Марʼяна", "Дмитро", "Мария", "Олег"},
	patronymic: []string{"Петрович", "Ивановна", "Ильич", "Олегович", "Сергеевна", "Дмитриевич", "Іванівна", "Петрівна", "Андреевич", "Юріївна", "Николаевна", "Степанович"},
}

// benchVisitor makes the i-th fixture visitor: surname, first name and
// patronymic from a spread of names, surnames with a tail so that prefixes
// have realistic selectivity.
func benchVisitor(i int) domain.Visitor {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	sur := benchGen.surnames[r.IntN(len(benchGen.surnames))]
	// Many distinct surnames: the common stem plus a syllable, as in real data.
	tails := []string{"", "ский", "енко", "ич", "ов", "ин", "ук", "як"}
	return domain.Visitor{
		FullName: sur + tails[r.IntN(len(tails))] + " " + benchGen.first[r.IntN(len(benchGen.first))] + " " +
			benchGen.patronymic[r.IntN(len(benchGen.patronymic))],
		DocType:   domain.DocPassportRU,
		DocNumber: fmt.Sprintf("%04d %06d", 100+r.IntN(9800), r.IntN(1_000_000)),
		SNILS:     domain.MakeSNILS(1_002_000 + r.IntN(998_000_000)),
		Phone:     fmt.Sprintf("+79%09d", r.IntN(1_000_000_000)),
	}
}
