package cases

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/field"
)

// The issue form's fields. Kind, the document type, "checked" and
// "notarised" are choices (←/→ or space); the rest are typed.
const (
	iKind = iota
	iName
	iDocType
	iDocNumber
	iChecked
	iPoaNumber
	iPoaDate
	iPoaIssuer
	iPoaNotarised
	iPoaUntil
	iNote
	nIssue
)

// issueForm asks who receives a result: the applicant (their identity
// document checked) or a representative (their name and document, the
// power of attorney's number, date, issuer, notarisation, term).
type issueForm struct {
	c         *common.Common
	applicant domain.Visitor
	fields    [nIssue]*field.Field
	rep       bool // a representative receives; else the applicant
	docType   int  // index in domain.DocTypes
	checked   bool // the receiver's identity document was checked
	notarised bool
	focus     int
	err       string
}

func newIssueForm(c *common.Common, v domain.Visitor) *issueForm {
	t := c.T
	mk := func(id, ph string) *field.Field { return field.New(t.S(id), ph).Styled(c.Styles) }
	f := &issueForm{c: c, applicant: v}
	f.fields = [nIssue]*field.Field{
		iKind:         mk("issue.kind", ""),
		iName:         mk("issue.name", t.S("issue.name.ph")),
		iDocType:      mk("field.doc_type", ""),
		iDocNumber:    mk("field.doc_number", ""),
		iChecked:      mk("issue.checked", ""),
		iPoaNumber:    mk("issue.poa_number", ""),
		iPoaDate:      mk("issue.poa_date", t.S("issue.date.ph")),
		iPoaIssuer:    mk("issue.poa_issuer", t.S("issue.poa_issuer.ph")),
		iPoaNotarised: mk("issue.poa_notarised", ""),
		iPoaUntil:     mk("issue.poa_until", t.S("issue.until.ph")),
		iNote:         mk("cases.note", ""),
	}
	f.fields[iNote].Label = strings.TrimSuffix(f.fields[iNote].Label, ":")
	f.setKind(false)
	return f
}

// setKind switches between the applicant and a representative: the
// applicant's name and document come from the visitor's record (the
// document can be corrected), a representative's are typed.
func (f *issueForm) setKind(rep bool) {
	f.rep, f.checked, f.err = rep, false, ""
	name, doc, dt := "", "", domain.DocPassportRU
	if !rep {
		name, doc, dt = f.applicant.FullName, f.applicant.DocNumber, f.applicant.DocType
	}
	f.fields[iName].SetValue(name)
	f.fields[iDocNumber].SetValue(doc)
	f.docType = 0
	for i, d := range domain.DocTypes {
		if d == dt {
			f.docType = i
		}
	}
	for _, fl := range f.fields {
		fl.SetCheck(field.Check{})
	}
}

// visible lists the fields shown for the kind chosen.
func (f *issueForm) visible() []int {
	if !f.rep {
		return []int{iKind, iName, iDocType, iDocNumber, iChecked, iNote}
	}
	return []int{iKind, iName, iDocType, iDocNumber, iChecked, iPoaNumber, iPoaDate, iPoaIssuer, iPoaNotarised, iPoaUntil, iNote}
}

func (f *issueForm) choice(i int) bool {
	return i == iKind || i == iDocType || i == iChecked || i == iPoaNotarised
}

func (f *issueForm) setFocus(i int) tea.Cmd {
	f.focus = i
	var cmd tea.Cmd
	for j, fl := range f.fields {
		if j == i && !f.choice(j) {
			cmd = fl.Focus()
		} else {
			fl.Blur()
		}
	}
	return cmd
}

// move goes to the next (or previous) visible field.
func (f *issueForm) move(d int) tea.Cmd {
	vis := f.visible()
	at := 0
	for k, i := range vis {
		if i == f.focus {
			at = k
		}
	}
	return f.setFocus(vis[(at+d+len(vis))%len(vis)])
}

// update handles a key; done is true when the clerk asks to issue.
func (f *issueForm) update(msg tea.KeyMsg) (done bool, cmd tea.Cmd) {
	k := f.c.Keys
	switch {
	case key.Matches(msg, k.IssueNow):
		return true, nil
	case key.Matches(msg, k.Submit):
		vis := f.visible()
		if f.focus == vis[len(vis)-1] {
			return true, nil
		}
		return false, f.move(1)
	case key.Matches(msg, k.NextField):
		return false, f.move(1)
	case key.Matches(msg, k.PrevField):
		return false, f.move(-1)
	}
	if f.choice(f.focus) {
		step := 0
		switch {
		case key.Matches(msg, k.Left):
			step = -1
		case key.Matches(msg, k.Right), msg.Type == tea.KeySpace:
			step = 1
		default:
			return false, nil
		}
		switch f.focus {
		case iKind:
			f.setKind(!f.rep)
		case iDocType:
			f.docType = (f.docType + step + len(domain.DocTypes)) % len(domain.DocTypes)
			f.fields[iDocNumber].SetCheck(field.Check{})
		case iChecked:
			f.checked = !f.checked
			f.fields[iChecked].SetCheck(field.Check{})
		case iPoaNotarised:
			f.notarised = !f.notarised
		}
		return false, nil
	}
	f.fields[f.focus].SetCheck(field.Check{})
	return false, f.fields[f.focus].Update(msg)
}

// receiver is the receiver as typed, unchecked.
func (f *issueForm) receiver() domain.Receiver {
	r := domain.Receiver{Kind: domain.ReceiverApplicant, Name: f.fields[iName].Value(),
		DocType: domain.DocTypes[f.docType], DocNumber: f.fields[iDocNumber].Value()}
	if f.rep {
		r.Kind = domain.ReceiverRepresentative
		r.POA = &domain.PowerOfAttorney{Number: f.fields[iPoaNumber].Value(), Date: f.fields[iPoaDate].Value(),
			IssuedBy: f.fields[iPoaIssuer].Value(), Notarised: f.notarised, ValidUntil: f.fields[iPoaUntil].Value()}
	}
	return r
}

// check checks the form against today (YYYY-MM-DD); on a fault it marks
// the field, moves there and says so.
func (f *issueForm) check(today string) (domain.IssuePayload, tea.Cmd, bool) {
	r, err := f.receiver().Check(today)
	if err == nil && !f.checked {
		err = &domain.InvalidError{Field: "checked", Problem: domain.ProblemEmpty}
	}
	if err != nil {
		return domain.IssuePayload{}, f.fault(err), false
	}
	return domain.IssuePayload{Note: strings.TrimSpace(f.fields[iNote].Value()), Receiver: &r}, nil, true
}

// fault shows an error at its field (the store's answer too).
func (f *issueForm) fault(err error) tea.Cmd {
	var ie *domain.InvalidError
	if !errors.As(err, &ie) {
		f.err = f.c.Err(err)
		return nil
	}
	i, ok := map[string]int{"kind": iKind, "full_name": iName, "doc_type": iDocType, "doc_number": iDocNumber, "checked": iChecked,
		"poa": iPoaNumber, "poa.number": iPoaNumber, "poa.date": iPoaDate, "poa.issued_by": iPoaIssuer, "poa.valid_until": iPoaUntil}[ie.Field]
	msg := f.c.T.Invalid(ie, string(domain.DocTypes[f.docType]))
	if !ok {
		f.err = msg
		return nil
	}
	f.err = f.fields[i].Label + ": " + msg
	f.fields[i].SetCheck(field.Check{Level: field.Error, Msg: msg})
	return f.setFocus(i)
}

// view renders the form in width columns.
func (f *issueForm) view(width int) []string {
	s, t := f.c.Styles, f.c.T
	labelW := 0
	for _, i := range f.visible() {
		labelW = max(labelW, len([]rune(f.fields[i].Label)))
	}
	labelW = min(labelW, 24)
	inputW := max(12, min(40, width-labelW-4))
	var out []string
	for _, i := range f.visible() {
		fl := f.fields[i]
		if f.choice(i) {
			var v string
			switch i {
			case iKind:
				v = t.S("issue.kind.applicant")
				if f.rep {
					v = t.S("issue.kind.rep")
				}
			case iDocType:
				v = t.S("doctype." + string(domain.DocTypes[f.docType]))
			case iChecked:
				v = t.S("issue.no")
				if f.checked {
					v = t.S("issue.yes")
				}
			case iPoaNotarised:
				v = t.S("issue.no")
				if f.notarised {
					v = t.S("issue.yes")
				}
			}
			mark, label := "  ", s.Label
			if i == f.focus {
				mark, label = "› ", s.LabelFocused
			}
			line := mark + label.Render(common.Fit(fl.Label, labelW)) + " " + s.Selected.Render("‹ "+v+" ›")
			if c := fl.Check(); c.Level == field.Error {
				line += " " + s.Error.Render(common.Cut("✗ "+c.Msg, max(0, width-labelW-len([]rune(v))-10)))
			}
			out = append(out, line)
			continue
		}
		out = append(out, strings.Split(fl.View(s, labelW, inputW, width), "\n")...)
	}
	return out
}
