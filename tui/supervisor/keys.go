package supervisor

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"

	"github.com/okno-mfc/okno/tui/common"
)

// KeyMap is the screen's keys: its own, and the shared list keys of the
// TUI's key map (so help shows them from the same bindings).
type KeyMap struct {
	Next      key.Binding // next section
	Prev      key.Binding
	Section   [nSections]key.Binding // 1…5: a section at once
	Sections  key.Binding            // help only: "1-5 section"
	Offices   key.Binding            // choose another office (head office)
	Group     key.Binding            // waiting tickets grouped by service
	Reconnect key.Binding
	Move      key.Binding // a waiting ticket to a window or the shared queue
	Raise     key.Binding // a waiting ticket to the front
	Lower     key.Binding // a raised or privileged ticket back to the ordinary order
	Close     key.Binding // close a window whose clerk has gone
	Return    key.Binding // an unclaimed result back to the department
	Extend    key.Binding // an unclaimed result kept longer
	Submit    key.Binding

	Up, Down, PageUp, PageDown key.Binding
	Select, Back               key.Binding
}

// newKeyMap builds the screen's keys with help in c's language.
func newKeyMap(c *common.Common) KeyMap {
	t := c.T
	k := KeyMap{
		Next:      key.NewBinding(key.WithKeys("tab", "right"), key.WithHelp("tab", t.S("key.sup.next"))),
		Prev:      key.NewBinding(key.WithKeys("shift+tab", "left"), key.WithHelp("shift+tab", t.S("key.sup.prev"))),
		Sections:  key.NewBinding(key.WithKeys("1", "2", "3", "4", "5"), key.WithHelp("1-5", t.S("key.sup.section"))),
		Offices:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", t.S("key.sup.offices"))),
		Group:     key.NewBinding(key.WithKeys("g"), key.WithHelp("g", t.S("key.sup.group"))),
		Reconnect: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", t.S("key.sup.reconnect"))),
		Move:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", t.S("key.sup.move"))),
		Raise:     key.NewBinding(key.WithKeys("+"), key.WithHelp("+", t.S("key.sup.raise"))),
		Lower:     key.NewBinding(key.WithKeys("-"), key.WithHelp("-", t.S("key.sup.lower"))),
		Close:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", t.S("key.sup.close"))),
		Return:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.S("key.sup.return"))),
		Extend:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", t.S("key.sup.extend"))),
		Submit:    c.Keys.Submit,
		Up:        c.Keys.Up,
		Down:      c.Keys.Down,
		PageUp:    c.Keys.PageUp,
		PageDown:  c.Keys.PageDown,
		Select:    c.Keys.Select,
		Back:      c.Keys.Back,
	}
	for i := range k.Section {
		n := strconv.Itoa(i + 1)
		k.Section[i] = key.NewBinding(key.WithKeys(n), key.WithHelp(n, t.S("key.sup.section")))
	}
	return k
}
