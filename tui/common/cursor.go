package common

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/tui/keymap"
)

// Cursor is the position in a list of N rows shown Height rows at a time.
type Cursor struct {
	Pos    int
	Top    int // first row shown
	N      int
	Height int
}

// SetN sets the number of rows, keeping the cursor inside.
func (c *Cursor) SetN(n int) {
	c.N = n
	c.clamp()
}

// SetHeight sets how many rows are shown.
func (c *Cursor) SetHeight(h int) {
	c.Height = max(1, h)
	c.clamp()
}

// Move moves the cursor by d rows.
func (c *Cursor) Move(d int) {
	c.Pos += d
	c.clamp()
}

// Update moves the cursor on the list keys; handled says it did.
func (c *Cursor) Update(k *keymap.KeyMap, msg tea.KeyMsg) (handled bool) {
	switch {
	case key.Matches(msg, k.Up):
		c.Move(-1)
	case key.Matches(msg, k.Down):
		c.Move(1)
	case key.Matches(msg, k.PageUp):
		c.Move(-c.Height)
	case key.Matches(msg, k.PageDown):
		c.Move(c.Height)
	default:
		return false
	}
	return true
}

// Visible returns the rows [from, to) to show.
func (c *Cursor) Visible() (from, to int) {
	return c.Top, min(c.N, c.Top+c.Height)
}

func (c *Cursor) clamp() {
	if c.Height < 1 {
		c.Height = 1
	}
	c.Pos = max(0, min(c.Pos, c.N-1))
	if c.Pos < c.Top {
		c.Top = c.Pos
	}
	if c.Pos >= c.Top+c.Height {
		c.Top = c.Pos - c.Height + 1
	}
	c.Top = max(0, min(c.Top, c.N-c.Height))
}
