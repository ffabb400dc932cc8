// Package statusbar is the line at the top of every screen: who is signed
// in, the office and window, the link's state, the outbox depth (and the
// events the central rejected), and the clock.
package statusbar

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/common"
)

// Model is the status bar.
type Model struct {
	c     *common.Common
	width int
}

// New makes the status bar.
func New(c *common.Common) *Model { return &Model{c: c, width: c.Width} }

// SetSize sets its width (its height is one line).
func (m *Model) SetSize(width, _ int) { m.width = width }

// Init does nothing: the root feeds the bar through Common.
func (m *Model) Init() tea.Cmd { return nil }

// Update does nothing: the root keeps Common up to date.
func (m *Model) Update(tea.Msg) (tea.Model, tea.Cmd) { return m, nil }

// ShortHelp has no keys.
func (m *Model) ShortHelp() []key.Binding { return nil }

// FullHelp has no keys.
func (m *Model) FullHelp() [][]key.Binding { return nil }

// View renders the bar, one line of the full width.
func (m *Model) View() string {
	c, s, t := m.c, m.c.Styles, m.c.T
	who := t.S("bar.nobody")
	if op := c.Operator; op.Login != "" {
		who = op.Name
		if who == "" {
			who = op.Login
		}
		if !c.Online {
			who += " " + t.S("bar.offline_in")
		}
	}
	place := t.S("bar.window", c.Store.Window())
	if o := c.Store.Office(); o != "" {
		place = o + " · " + place
	}
	st := c.Status
	var state lipgloss.Style
	switch st.State {
	case link.Online:
		state = s.BarOnline
	case link.Syncing:
		state = s.BarSyncing
	case link.Degraded:
		state = s.BarDegraded
	default:
		state = s.BarOffline
	}
	stateText := t.S("link." + string(st.State))
	if st.State == "" {
		stateText = t.S("link.offline")
	}
	right := []string{state.Render(stateText), s.BarItem.Render(t.S("bar.outbox", st.Pending))}
	if st.Rejected > 0 {
		right = append(right, s.BarAlert.Render(t.S("bar.rejected", st.Rejected)))
	}
	right = append(right, s.BarItem.Render(c.Now().Format("15:04")))
	r := strings.Join(right, "")
	left := s.BarItem.Bold(true).Render(t.S("app.name")) + s.BarItem.Render(place)
	room := m.width - lipgloss.Width(left) - lipgloss.Width(r)
	if room > 2 {
		left += s.BarItem.Render(common.Cut(who, room-2))
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(r)
	if gap < 0 {
		return s.Bar.Render(common.Fit(left+r, m.width))
	}
	return left + s.Bar.Render(strings.Repeat(" ", gap)) + r
}

// String is for debugging.
func (m *Model) String() string { return fmt.Sprintf("statusbar(%d)", m.width) }
