// Package field is one labelled text input with a check that runs as the
// clerk types: the verdict (a hint while the value is incomplete, an error,
// or a tick) stands beside the input, or under it when the line is too
// narrow.
package field

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/styles"
)

// Level is how a check judges the value.
type Level int

// Levels of a check.
const (
	None  Level = iota // nothing to say (e.g. an empty optional field)
	OK                 // the value is good
	Hint               // not finished yet: says what is expected
	Error              // wrong
)

// Check is a check's verdict.
type Check struct {
	Level Level
	Msg   string
}

// Field is a labelled input.
type Field struct {
	Label string
	Input textinput.Model
	// Validate judges the value after every change; nil never complains.
	Validate func(string) Check

	check Check
	last  string
}

// New makes a field with a label and a placeholder.
func New(label, placeholder string) *Field {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = placeholder
	ti.CharLimit = 200
	ti.Cursor.SetMode(cursor.CursorStatic)
	return &Field{Label: label, Input: ti}
}

// Styled applies the styles to the input.
func (f *Field) Styled(s *styles.Styles) *Field {
	f.Input.TextStyle = s.Input
	f.Input.PlaceholderStyle = s.Muted
	return f
}

// Value is the text typed.
func (f *Field) Value() string { return f.Input.Value() }

// SetValue sets the text and checks it.
func (f *Field) SetValue(v string) {
	f.Input.SetValue(v)
	f.Recheck()
}

// Focus gives the field the keyboard.
func (f *Field) Focus() tea.Cmd { return f.Input.Focus() }

// Blur takes the keyboard away.
func (f *Field) Blur() { f.Input.Blur() }

// Focused reports whether the field has the keyboard.
func (f *Field) Focused() bool { return f.Input.Focused() }

// Check is the last verdict.
func (f *Field) Check() Check { return f.check }

// SetCheck overrides the verdict (e.g. with the store's answer).
func (f *Field) SetCheck(c Check) { f.check = c }

// Recheck runs the check on the current value.
func (f *Field) Recheck() {
	f.last = f.Input.Value()
	if f.Validate == nil {
		f.check = Check{}
		return
	}
	f.check = f.Validate(f.last)
}

// Update hands a message to the input and checks the value if it changed.
func (f *Field) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f.Input, cmd = f.Input.Update(msg)
	if f.Input.Value() != f.last {
		f.Recheck()
	}
	return cmd
}

// View renders the field in width columns: the label in labelW, the input
// in inputW, the verdict beside it, or on the next line when it does not
// fit.
func (f *Field) View(s *styles.Styles, labelW, inputW, width int) string {
	label := s.Label
	mark := "  "
	if f.Focused() {
		label = s.LabelFocused
		mark = "› "
	}
	f.Input.Width = max(1, inputW-1)
	in := common.Fit(f.Input.View(), inputW)
	line := mark + label.Render(common.Fit(f.Label, labelW)) + " " + in
	msg, style := f.verdict(s)
	if msg == "" {
		return line
	}
	room := width - lipgloss.Width(line) - 1
	if lipgloss.Width(msg) <= room {
		return line + " " + style.Render(msg)
	}
	indent := strings.Repeat(" ", 2+labelW+1)
	wrapped := common.Wrap(msg, max(10, width-len(indent)))
	var b strings.Builder
	b.WriteString(line)
	for _, l := range strings.Split(wrapped, "\n") {
		b.WriteString("\n" + indent + style.Render(l))
	}
	return b.String()
}

func (f *Field) verdict(s *styles.Styles) (string, lipgloss.Style) {
	switch f.check.Level {
	case OK:
		return "✓", s.OK
	case Hint:
		return f.check.Msg, s.Hint
	case Error:
		return "✗ " + f.check.Msg, s.Error
	default:
		return "", s.Text
	}
}
