// Package statusbar is the line at the top of every screen: who is signed
// in, the office and window, the link's state, the outbox depth (and the
// events the central rejected), and the clock.
package statusbar

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/styles"
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
	c, s, t := m.c, &m.c.Styles.Fast, m.c.T
	who, mark := t.S("bar.nobody"), ""
	if op := c.Operator; op.Login != "" {
		who = op.Name
		if who == "" {
			who = op.Login
		}
		if !c.Online {
			mark = t.S("bar.offline_in")
		}
	}
	place := t.S("bar.window", c.Place.Window())
	if o := c.Place.Office(); o != "" {
		place = o + " · " + place
	}
	st := c.Status
	var state styles.Paint
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
	// Widths are counted on the plain text (each item is padded by one
	// space on each side), not on the styled one.
	outbox := t.S("bar.outbox", st.Pending)
	clock := c.Now().Format("15:04")
	right := state.Render(stateText) + s.BarItem.Render(outbox)
	rw := common.Width(stateText) + common.Width(outbox) + common.Width(clock) + 6
	if st.Rejected > 0 {
		rej := t.S("bar.rejected", st.Rejected)
		right += s.BarAlert.Render(rej)
		rw += common.Width(rej) + 2
	}
	right += s.BarItem.Render(clock)
	name := t.S("app.name")
	left := s.BarName.Render(name) + s.BarItem.Render(place)
	lw := common.Width(name) + common.Width(place) + 4
	if mark != "" && m.width-lw-rw-2 < common.Width(mark)+4 {
		// A narrow screen: the app's name gives way to the offline
		// sign-in mark, which may not go, in its short form.
		left, lw = s.BarItem.Render(place), common.Width(place)+2
		mark = t.S("bar.offline_short")
	}
	if room := m.width - lw - rw; room > 2 {
		// The offline sign-in mark stays whole: the name gives way first.
		switch mw := common.Width(mark); {
		case mark == "":
			who = common.Cut(who, room-2)
		case room-2 >= mw+4:
			who = shorter(who, room-3-mw) + " " + mark
		default:
			who = common.Cut(mark, room-2)
		}
		left += s.BarItem.Render(who)
		lw += common.Width(who) + 2
	}
	gap := m.width - lw - rw
	if gap < 0 {
		return s.Bar.Render(common.Fit(name+" "+place+" "+stateText+" "+outbox+" "+clock, m.width))
	}
	r := right
	return left + s.Bar.Render(strings.Repeat(" ", gap)) + r
}

// shorter is the name in w columns: whole, with initials, the surname
// alone, or the surname cut.
func shorter(name string, w int) string {
	for _, s := range []string{name, initials(name), strings.Fields(name + " ")[0]} {
		if common.Width(s) <= w {
			return s
		}
	}
	return common.Cut(strings.Fields(name + " ")[0], w)
}

// initials shortens a full name to the surname and initials (Иванова
// Ирина Петровна → Иванова И. П.) when the whole name does not fit.
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) < 2 {
		return name
	}
	out := words[0]
	for _, w := range words[1:] {
		out += " " + string([]rune(w)[:1]) + "."
	}
	return out
}
