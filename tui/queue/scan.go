package queue

import (
	"errors"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
)

// A case number scanned from a receipt (a keyboard-wedge scanner types it
// fast and ends with enter) or typed on the queue screen opens that case,
// from which the clerk issues its result. A number starts with the office's
// capital letters, which no key of this screen is, so a capital letter
// starts the number; digits, letters and hyphens go on with it, backspace
// takes one back, esc drops it, enter looks it up.

// maxScan is the longest a case number can be; more is not a number.
const maxScan = 40

// qwerty maps the letters of the Russian and Ukrainian layouts to the
// Latin letters on the same keys: a scanner types the keys of a number, so
// with the keyboard in Cyrillic IRK arrives as ШКЛ.
var qwerty = func() map[rune]rune {
	m := map[rune]rune{}
	for _, row := range [][2]string{
		{"йцукенгшщз", "qwertyuiop"}, {"фывапролдж", "asdfghjkl;"}, {"ячсмитьбю", "zxcvbnm,."},
		{"ыі", "ss"}, {"ґ", "`"},
	} {
		cy, la := []rune(row[0]), []rune(row[1])
		for i, r := range cy {
			if l := la[i]; l >= 'a' && l <= 'z' {
				m[r] = l
				m[[]rune(strings.ToUpper(string(r)))[0]] = l - 'a' + 'A'
			}
		}
	}
	return m
}()

// scanRunes reads the runes of a key as a case number's: Cyrillic letters
// as the Latin letters of their keys; ok is false if any of them cannot
// stand in a case number.
func scanRunes(in []rune) (out []rune, ok bool) {
	for _, r := range in {
		if l, found := qwerty[r]; found {
			r = l
		}
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
		case r >= 'a' && r <= 'z':
			r = r - 'a' + 'A'
		default:
			return nil, false
		}
		out = append(out, r)
	}
	return out, true
}

// scanKey takes a key that starts or goes on with a case number; handled
// is false for any other key.
func (m *Model) scanKey(msg tea.KeyMsg) (handled bool, cmd tea.Cmd) {
	switch {
	case msg.Type == tea.KeyRunes && !msg.Alt:
		rs, ok := scanRunes(msg.Runes)
		if len(m.scan) == 0 {
			first := msg.Runes[0]
			if l, found := qwerty[first]; found {
				first = l
			}
			if !ok || first < 'A' || first > 'Z' {
				return false, nil
			}
		} else if !ok {
			return true, nil // not a number's character: ignored, the number goes on
		}
		m.notice, m.err = "", ""
		m.scan = append(m.scan, rs...)
		if len(m.scan) > maxScan {
			m.err = m.c.T.S("queue.scan_not_number", common.Cut(string(m.scan), 24))
			m.scan = nil
		}
		return true, nil
	case len(m.scan) == 0:
		return false, nil
	case msg.Type == tea.KeyBackspace:
		m.scan = m.scan[:len(m.scan)-1]
		return true, nil
	case msg.Type == tea.KeyEsc:
		m.scan = nil
		return true, nil
	case msg.Type == tea.KeyEnter:
		number := string(m.scan)
		m.scan = nil
		if _, err := domain.ParseCaseNumber(number); err != nil {
			if errors.Is(err, domain.ErrCaseNumberTypo) {
				m.err = m.c.T.S("queue.scan_typo", number)
			} else {
				m.err = m.c.T.S("queue.scan_not_number", number)
			}
			return true, nil
		}
		m.busy = true
		return true, openCaseCmd(m.c, m.st, m.tag, number)
	}
	return false, nil
}

// openedMsg says the case scanned was found (busy ends: keys that came
// meanwhile are replayed on the case's screen, not here).
type openedMsg struct {
	tag    common.Tag
	caseID string
}

// openCaseCmd finds the case of a number.
func openCaseCmd(c *common.Common, st Store, tag common.Tag, number string) tea.Cmd {
	return func() tea.Msg {
		cs, err := st.CaseByNumber(c.Ctx, number)
		if errors.Is(err, domain.ErrNotFound) {
			return common.Fail(tag, errUnknownCase{number})
		}
		if err != nil {
			return common.Fail(tag, err)
		}
		return openedMsg{tag: tag, caseID: cs.ID}
	}
}

// errUnknownCase is a well-formed number of a case this workstation does
// not know.
type errUnknownCase struct{ number string }

func (e errUnknownCase) Error() string { return "case " + e.number + " is not known here" }
