package desk

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/tui/common"
)

// What a form asks.
const (
	formDocs = iota
	formExtend
	formReady
	formRefuse
	formSave
)

// field is one line of a form: text, or a choice among options (←/→).
type field struct {
	label   string // catalogue id
	value   string
	options []string
}

// form is the reasons a status asks for, one field a line.
type form struct {
	c      *common.Common
	kind   int
	ask    string
	fields []field
	inputs []textinput.Model
	choice []int
	focus  int
}

func newForm(c *common.Common, kind int, ask string, fields ...field) *form {
	f := &form{c: c, kind: kind, ask: ask, fields: fields, inputs: make([]textinput.Model, len(fields)), choice: make([]int, len(fields))}
	for i, fl := range fields {
		ti := textinput.New()
		ti.Prompt = c.T.S(fl.label) + " "
		ti.CharLimit = 300
		ti.Cursor.SetMode(cursor.CursorStatic)
		ti.PromptStyle = c.Styles.LabelFocused
		ti.SetValue(fl.value)
		f.inputs[i] = ti
	}
	f.move(0)
	return f
}

// move focuses the field d lines on (wrapping).
func (f *form) move(d int) {
	n := len(f.fields)
	f.focus = ((f.focus+d)%n + n) % n
	for i := range f.inputs {
		if i == f.focus {
			f.inputs[i].Focus()
		} else {
			f.inputs[i].Blur()
		}
	}
}

// value is what field i holds: its text, or its chosen option.
func (f *form) value(i int) string {
	if len(f.fields[i].options) > 0 {
		return f.fields[i].options[f.choice[i]]
	}
	return f.inputs[i].Value()
}

// update hands a key to the focused field: ←/→ change a choice, the rest
// is typing.
func (f *form) update(msg tea.Msg) tea.Cmd {
	i := f.focus
	if opts := f.fields[i].options; len(opts) > 0 {
		if k, ok := msg.(tea.KeyMsg); ok {
			switch k.Type {
			case tea.KeyLeft:
				f.choice[i] = (f.choice[i] + len(opts) - 1) % len(opts)
			case tea.KeyRight, tea.KeySpace:
				f.choice[i] = (f.choice[i] + 1) % len(opts)
			default: // other keys leave a choice as it is
			}
		}
		return nil
	}
	var cmd tea.Cmd
	f.inputs[i], cmd = f.inputs[i].Update(msg)
	return cmd
}

// view renders the form: the question, the fields, the keys.
func (f *form) view(width int) []string {
	s, t := f.c.Styles, f.c.T
	lines := []string{s.Warning.Render(common.Cut(f.ask, width))}
	for i, fl := range f.fields {
		if len(fl.options) > 0 {
			label := s.Label.Render(t.S(fl.label) + " ")
			if i == f.focus {
				label = s.LabelFocused.Render(t.S(fl.label) + " ")
			}
			lines = append(lines, label+s.Selected.Render("‹ "+t.S("desk.result."+f.value(i))+" ›"))
			continue
		}
		f.inputs[i].Width = max(10, width-common.Width(f.inputs[i].Prompt)-2)
		lines = append(lines, f.inputs[i].View())
	}
	return append(lines, s.Muted.Render(common.Cut(t.S("desk.form_keys"), width)))
}
