package intake

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/statusbar"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// typed is what the clerk types: names letter by letter, then erases them.
var typed = []string{"Иванова Мария", "Шевченко Олег", "Петров", "Коваленко Ірина", "Смирн"}

// step is one key press and the search answer the screen will show for
// the text after it.
type step struct {
	key   tea.KeyMsg
	query string
	hits  []localdb.VisitorHit
}

// script types every name and erases it, and runs every query once against
// the store (outside the timing), keeping its answer and its latency.
func script(b *testing.B, st *localdb.Store) ([]step, fake.Latencies) {
	b.Helper()
	ctx := context.Background()
	var steps []step
	var search fake.Latencies
	answers := map[string][]localdb.VisitorHit{}
	answer := func(q string) []localdb.VisitorHit {
		if strings.TrimSpace(q) == "" {
			return nil
		}
		if h, ok := answers[q]; ok {
			return h
		}
		t0 := time.Now()
		h, err := st.SearchVisitors(ctx, q, searchLimit)
		search = append(search, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		answers[q] = h
		return h
	}
	for _, name := range typed {
		rs := []rune(name)
		for i, r := range rs {
			q := string(rs[:i+1])
			k := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}
			if r == ' ' {
				k = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
			}
			steps = append(steps, step{key: k, query: q, hits: answer(q)})
		}
		for i := len(rs) - 1; i >= 0; i-- {
			q := string(rs[:i])
			steps = append(steps, step{key: tea.KeyMsg{Type: tea.KeyBackspace}, query: q, hits: answer(q)})
		}
	}
	return steps, search
}

// BenchmarkIntakeKey is one key press on the visitor search over a store
// of many visitors (1M when localdb's fixture is there): Update and View of
// the key, then Update and View of the search's answer as it arrives (the
// store query itself runs in a command, off the key's path; its latency is
// reported as search-p99-ns). The status bar is drawn too, as the root
// draws it on every frame.
func BenchmarkIntakeKey(b *testing.B) {
	st, visitors := fake.VisitorStore(b)
	c := common.New(context.Background(), common.Options{Lang: i18n.RU, Place: st, Link: fake.NewLink(st), Now: fake.Start})
	c.Operator = fake.Operator()
	c.Width, c.Height = 80, 22
	bar := statusbar.New(c)
	bar.SetSize(80, 1)
	m := New(c, st, "")
	steps, search := script(b, st)
	n := fake.Samples(b, 2000)
	lat := make(fake.Latencies, 0, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < n; i++ {
		s := steps[i%len(steps)]
		t0 := time.Now()
		m.Update(s.key)
		_ = bar.View() + m.View()
		m.Update(foundMsg{tag: m.tag, query: s.query, hits: s.hits})
		_ = bar.View() + m.View()
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	if want := steps[(n-1)%len(steps)].query; m.query.Value() != want {
		b.Fatalf("typed %q, want %q", m.query.Value(), want)
	}
	lat.Report(b, "")
	search.Report(b, "search-")
	b.ReportMetric(float64(visitors), "visitors")
}

// BenchmarkIntakeKeyBaseline is the floor: the same answer written as
// plain text lines, no input widget, no styles.
func BenchmarkIntakeKeyBaseline(b *testing.B) {
	st, _ := fake.VisitorStore(b)
	steps, _ := script(b, st)
	n := fake.Samples(b, 2000)
	lat := make(fake.Latencies, 0, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < n; i++ {
		s := steps[i%len(steps)]
		t0 := time.Now()
		var sb strings.Builder
		sb.WriteString("status\nНайти: " + s.query + "\n\nheader\n")
		for j, h := range s.hits {
			if j >= 16 {
				break
			}
			fmt.Fprintf(&sb, "  %-30s %-28s %s\n", h.FullName, h.DocNumber, h.Phone)
		}
		_ = sb.String()
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	lat.Report(b, "")
}
