package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// queueKeys is what a clerk does on a long queue: scroll down and up a
// page at a time and a row at a time, and switch tabs.
var queueKeys = []tea.KeyMsg{
	{Type: tea.KeyDown}, {Type: tea.KeyDown}, {Type: tea.KeyDown}, {Type: tea.KeyPgDown},
	{Type: tea.KeyDown}, {Type: tea.KeyPgDown}, {Type: tea.KeyUp}, {Type: tea.KeyPgUp},
	{Type: tea.KeyTab}, {Type: tea.KeyTab}, {Type: tea.KeyPgDown}, {Type: tea.KeyPgDown},
	{Type: tea.KeyUp}, {Type: tea.KeyPgUp}, {Type: tea.KeyPgUp}, {Type: tea.KeyUp},
}

// queueWith makes a signed-in TUI at 80×24 on a queue of n waiting tickets
// (one in eight privileged).
func queueWith(b *testing.B, n int) *Model {
	b.Helper()
	e := fake.NewFast(b)
	services := []string{"replanning", "advertising", "kindergarten", "foreign_passport"}
	for i := 0; i < n; i++ {
		cat := ""
		if i%8 == 0 {
			cat = "disabled"
		}
		e.Ticket(b, services[i%len(services)], cat, 90-i%90)
	}
	m := New(e.SignedIn(i18n.RU), e.Store)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	_, cmd := m.Update(common.SignedIn{Operator: fake.Operator()})
	fake.Run(b, m, cmd())
	if !strings.Contains(m.View(), fmt.Sprintf("Ждут: %d", n)) {
		b.Fatalf("the queue did not load:\n%s", m.View())
	}
	return m
}

// BenchmarkQueueKey is one key press on the queue screen with 1,000
// waiting tickets: the root's Update and the whole frame's View.
func BenchmarkQueueKey(b *testing.B) {
	m := queueWith(b, 1000)
	n := fake.Samples(b, 2000)
	lat := make(fake.Latencies, 0, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < n; i++ {
		t0 := time.Now()
		m.Update(queueKeys[i%len(queueKeys)])
		_ = m.View()
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	lat.Report(b, "")
}

// BenchmarkQueueKeyBaseline is the floor the queue's frame is measured
// against: the same rows written as plain text into 24 lines, with a cursor
// moving, no styles and no layout.
func BenchmarkQueueKeyBaseline(b *testing.B) {
	type row struct{ number, service, category string }
	rows := make([]row, 1000)
	for i := range rows {
		rows[i] = row{fmt.Sprintf("A-%03d", i%999+1), "Согласование перепланировки помещения", "Инвалиды I и II группы"}
	}
	n := fake.Samples(b, 2000)
	lat := make(fake.Latencies, 0, n)
	pos := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < n; i++ {
		t0 := time.Now()
		pos = (pos + 1) % len(rows)
		top := max(0, pos-17)
		var sb strings.Builder
		sb.WriteString("status\nОчередь\n\n[Ждут: 1000]\nheader\n")
		for j := top; j < min(len(rows), top+18); j++ {
			fmt.Fprintf(&sb, "  %-6s %-40s %-18s %d мин\n", rows[j].number, rows[j].service, rows[j].category, j%90)
		}
		sb.WriteString("help")
		_ = sb.String()
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	lat.Report(b, "")
}
