// Package picker is a list with a filter that narrows it as the clerk
// types (case-free, ё = е): the service catalogue, privileged categories,
// the case states.
package picker

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/keymap"
	"github.com/okno-mfc/okno/tui/styles"
)

// Item is one choice.
type Item struct {
	ID     string
	Title  string
	Detail string // shown at the right, muted
	Dimmed bool   // shown, but marked as not for this window
	fold   string
}

// Model is the picker.
type Model struct {
	keys   *keymap.KeyMap
	filter textinput.Model
	all    []Item
	shown  []int // indexes into all
	cur    common.Cursor
	last   string
}

// New makes a picker over items, with a filter prompt.
func New(keys *keymap.KeyMap, prompt string, items []Item) *Model {
	ti := textinput.New()
	ti.Prompt = prompt
	ti.CharLimit = 80
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.Focus()
	m := &Model{keys: keys, filter: ti}
	m.SetItems(items)
	return m
}

// SetItems replaces the choices.
func (m *Model) SetItems(items []Item) {
	m.all = items
	for i := range m.all {
		m.all[i].fold = localdb.Fold(m.all[i].Title + " " + m.all[i].ID)
	}
	m.apply()
}

// Filter is the text typed.
func (m *Model) Filter() string { return m.filter.Value() }

// SetFilter sets the filter text.
func (m *Model) SetFilter(s string) {
	m.filter.SetValue(s)
	m.apply()
}

// Selected is the item under the cursor; ok is false when none is shown.
func (m *Model) Selected() (Item, bool) {
	if len(m.shown) == 0 {
		return Item{}, false
	}
	return m.all[m.shown[m.cur.Pos]], true
}

// SelectID puts the cursor on the item with id among those shown; false
// when it is not shown.
func (m *Model) SelectID(id string) bool {
	for i, j := range m.shown {
		if m.all[j].ID == id {
			m.cur.Pos = i
			m.cur.Move(0)
			return true
		}
	}
	return false
}

// Len is how many items the filter shows.
func (m *Model) Len() int { return len(m.shown) }

func (m *Model) apply() {
	m.last = m.filter.Value()
	words := strings.Fields(localdb.Fold(m.last))
	m.shown = m.shown[:0]
	for i, it := range m.all {
		ok := true
		for _, w := range words {
			if !strings.Contains(it.fold, w) {
				ok = false
				break
			}
		}
		if ok {
			m.shown = append(m.shown, i)
		}
	}
	m.cur.SetN(len(m.shown))
}

// Update moves the cursor or edits the filter. chosen is set when the
// clerk pressed enter on an item.
func (m *Model) Update(msg tea.Msg) (chosen *Item, cmd tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil, nil
	}
	if key.Matches(km, m.keys.Select) {
		if it, ok := m.Selected(); ok {
			return &it, nil
		}
		return nil, nil
	}
	if m.cur.Update(m.keys, km) {
		return nil, nil
	}
	m.filter, cmd = m.filter.Update(km)
	if m.filter.Value() != m.last {
		m.apply()
		m.cur.Pos, m.cur.Top = 0, 0
		m.cur.SetN(len(m.shown))
	}
	return nil, cmd
}

// View renders the filter line and up to height-1 items in width columns.
func (m *Model) View(s *styles.Styles, width, height int) string {
	m.cur.SetHeight(height - 1)
	var b strings.Builder
	m.filter.Width = max(1, width-len([]rune(m.filter.Prompt))-1)
	b.WriteString(m.filter.View())
	from, to := m.cur.Visible()
	for i := from; i < to; i++ {
		it := m.all[m.shown[i]]
		detailW := 0
		if it.Detail != "" {
			detailW = min(24, width/3)
		}
		titleW := width - 2 - detailW
		if detailW > 0 {
			titleW--
		}
		line := common.Fit(it.Title, titleW)
		if detailW > 0 {
			line += " " + common.Fit(it.Detail, detailW)
		}
		b.WriteByte('\n')
		switch {
		case i == m.cur.Pos:
			b.WriteString(s.Fast.Selected.Render("› " + line))
		case it.Dimmed:
			b.WriteString(s.Fast.Dimmed.Render("  " + line))
		default:
			b.WriteString(s.Fast.Row.Render("  " + line))
		}
	}
	return b.String()
}
