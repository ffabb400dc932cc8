package intake

import (
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/field"
	"github.com/okno-mfc/okno/tui/i18n"
)

// The fields of the registration form, in order.
const (
	fName = iota
	fBirth
	fDocType
	fDocNumber
	fSNILS
	fINN
	fRNOKPP
	fPhone
	fEmail
	fNotices // a choice: no notices, or by e-mail or SMS with the visitor's consent
	nFields
)

// noticeChoices are the choices of fNotices: none, or the channel the
// visitor consented to (152-FZ: the consent is recorded with its date).
var noticeChoices = []domain.NoticeChannel{"", domain.NoticeEmail, domain.NoticeSMS}

// form registers a new visitor, checking every identifier as it is typed.
type form struct {
	c       *common.Common
	fields  [nFields]*field.Field
	docType int // index into domain.DocTypes
	notices int // index into noticeChoices
	focus   int
	name    string // the name the form started with (from the search)
}

func newForm(c *common.Common, name string) *form {
	t := c.T
	f := &form{c: c}
	mk := func(id, ph string) *field.Field { return field.New(t.S(id), ph).Styled(c.Styles) }
	f.fields = [nFields]*field.Field{
		fName:      mk("field.full_name", t.S("intake.ph.name")),
		fBirth:     mk("field.birth_date", t.S("intake.ph.birth")),
		fDocType:   mk("field.doc_type", ""),
		fDocNumber: mk("field.doc_number", ""),
		fSNILS:     mk("field.snils", "112-233-445 95"),
		fINN:       mk("field.inn", "12 цифр"),
		fRNOKPP:    mk("field.rnokpp", "10 цифр"),
		fPhone:     mk("field.phone", "+7 912 345-67-89"),
		fEmail:     mk("field.email", "name@example.ru"),
		fNotices:   mk("field.notices", ""),
	}
	f.fields[fINN].Input.Placeholder = t.S("intake.ph.inn")
	f.fields[fRNOKPP].Input.Placeholder = t.S("intake.ph.rnokpp")
	if t.Lang == i18n.UK {
		f.docType = 1 // an ID card, the usual document of a Ukrainian window
		f.fields[fPhone].Input.Placeholder = "+380 67 123 4567"
	}
	f.fields[fName].Validate = f.checkName
	f.fields[fBirth].Validate = f.checkBirth
	f.fields[fDocNumber].Validate = f.checkDoc
	f.fields[fSNILS].Validate = digitsCheck(t, domain.ValidateSNILS, 11, 11)
	f.fields[fINN].Validate = digitsCheck(t, domain.ValidateINN, 12, 12)
	rnokpp := digitsCheck(t, domain.ValidateRNOKPP, 10, 10)
	f.fields[fRNOKPP].Validate = func(s string) field.Check {
		c := rnokpp(s)
		if c.Level == field.OK && !f.birthMatches(s) {
			return field.Check{Level: field.Error, Msg: t.S("intake.rnokpp_birth")}
		}
		return c
	}
	f.fields[fPhone].Validate = digitsCheck(t, domain.ValidatePhone, 10, 15)
	f.fields[fEmail].Validate = f.checkEmail
	f.fields[fName].SetValue(name)
	f.name = name
	f.fields[fDocNumber].Recheck()
	f.setFocus(fName)
	return f
}

// titleName offers a name typed all in lower case in title case, as the
// clerk leaves the field (the clerk may still change it back).
func (f *form) titleName() {
	fl := f.fields[fName]
	if v := fl.Value(); domain.TitleName(v) != v {
		fl.SetValue(domain.TitleName(v))
	}
}

// filled reports whether the clerk typed anything beyond the name the
// form started with: esc then asks before throwing it away.
func (f *form) filled() bool {
	for i, fl := range f.fields {
		v := strings.TrimSpace(fl.Value())
		if i == fName && v == strings.TrimSpace(f.name) || v == "" {
			continue
		}
		return true
	}
	return false
}

func (f *form) docTypeValue() domain.DocType { return domain.DocTypes[f.docType] }

// visitor is the visitor the form describes (not yet checked).
func (f *form) visitor() domain.Visitor {
	v := func(i int) string { return strings.TrimSpace(f.fields[i].Value()) }
	vis := domain.Visitor{
		FullName: v(fName), BirthDate: v(fBirth), DocType: f.docTypeValue(), DocNumber: v(fDocNumber),
		SNILS: v(fSNILS), INN: v(fINN), RNOKPP: v(fRNOKPP), Phone: v(fPhone), Email: v(fEmail),
	}
	if ch := noticeChoices[f.notices]; ch != "" {
		vis.Notices = &domain.NoticeConsent{Channel: ch, Lang: string(f.c.T.Lang), Date: f.c.Now().Format(time.DateOnly)}
	}
	return vis
}

// fieldOf maps an InvalidError's field to the form's field.
func fieldOf(name string) int {
	switch name {
	case "full_name":
		return fName
	case "birth_date":
		return fBirth
	case "doc_type":
		return fDocType
	case "doc_number":
		return fDocNumber
	case "snils":
		return fSNILS
	case "inn":
		return fINN
	case "rnokpp":
		return fRNOKPP
	case "phone":
		return fPhone
	case "email":
		return fEmail
	case "notices.channel", "notices.lang", "notices.date":
		return fNotices
	}
	return -1
}

// check checks the whole form; it returns the visitor in canonical form,
// or puts the error beside its field, focuses it and returns false.
func (f *form) check() (domain.Visitor, bool) {
	for i, fl := range f.fields {
		if fl.Check().Level == field.Error {
			f.setFocus(i)
			return domain.Visitor{}, false
		}
	}
	f.titleName()
	v := f.visitor()
	if err := v.Normalize(); err != nil {
		f.showError(err)
		return domain.Visitor{}, false
	}
	if v.BirthDate != "" && v.BirthDate > f.c.Now().Format("2006-01-02") {
		f.fields[fBirth].SetCheck(field.Check{Level: field.Error, Msg: f.c.T.S("invalid.birth_date.future")})
		f.setFocus(fBirth)
		return domain.Visitor{}, false
	}
	return v, true
}

// showError puts an error of the store or the domain beside its field;
// false when it names no field of the form.
func (f *form) showError(err error) bool {
	var ie *domain.InvalidError
	if !errors.As(err, &ie) {
		return false
	}
	i := fieldOf(ie.Field)
	if i < 0 {
		return false
	}
	if i == fDocType {
		i = fDocNumber
	}
	if i == fNotices {
		f.fields[i].SetCheck(field.Check{Level: field.Error, Msg: f.c.T.S("intake.notices." + string(noticeChoices[f.notices]))})
		f.setFocus(i)
		return true
	}
	f.fields[i].SetCheck(field.Check{Level: field.Error, Msg: f.c.T.Invalid(ie, string(f.docTypeValue()))})
	f.setFocus(i)
	return true
}

func (f *form) setFocus(i int) {
	if f.focus == fName {
		f.titleName()
	}
	f.focus = (i + nFields) % nFields
	for j, fl := range f.fields {
		if j == f.focus && j != fDocType && j != fNotices {
			fl.Focus()
		} else {
			fl.Blur()
		}
	}
}

// update handles a key; save is true when the clerk asked to register.
func (f *form) update(msg tea.KeyMsg) (save bool, cmd tea.Cmd) {
	k := f.c.Keys
	switch {
	case key.Matches(msg, k.Save):
		return true, nil
	case key.Matches(msg, k.Submit):
		if f.focus == nFields-1 {
			return true, nil
		}
		f.setFocus(f.focus + 1)
		return false, nil
	case key.Matches(msg, k.NextField):
		f.setFocus(f.focus + 1)
		return false, nil
	case key.Matches(msg, k.PrevField):
		f.setFocus(f.focus - 1)
		return false, nil
	}
	if f.focus == fNotices {
		switch {
		case key.Matches(msg, k.Left):
			f.notices = (f.notices + len(noticeChoices) - 1) % len(noticeChoices)
		case key.Matches(msg, k.Right), msg.Type == tea.KeySpace:
			f.notices = (f.notices + 1) % len(noticeChoices)
		default:
			return false, nil
		}
		f.fields[fNotices].SetCheck(field.Check{})
		return false, nil
	}
	if f.focus == fDocType {
		switch {
		case key.Matches(msg, k.Left):
			f.docType = (f.docType + len(domain.DocTypes) - 1) % len(domain.DocTypes)
		case key.Matches(msg, k.Right), msg.Type == tea.KeySpace:
			f.docType = (f.docType + 1) % len(domain.DocTypes)
		default:
			return false, nil
		}
		f.fields[fDocNumber].Recheck()
		return false, nil
	}
	cmd = f.fields[f.focus].Update(msg)
	if f.focus == fBirth && f.fields[fRNOKPP].Value() != "" {
		f.fields[fRNOKPP].Recheck()
	}
	return false, cmd
}

// birthMatches reports whether an RNOKPP agrees with the birth date typed
// (its first five digits count the days from 1899-12-31); true when either
// is not there to compare.
func (f *form) birthMatches(rnokpp string) bool {
	birth, err := domain.ValidateBirthDate(f.fields[fBirth].Value())
	if err != nil {
		return true
	}
	d, ok := domain.RNOKPPBirthDate(rnokpp)
	return !ok || d.Format("2006-01-02") == birth
}

// Checks, as the clerk types.

func (f *form) checkName(s string) field.Check {
	if strings.TrimSpace(s) == "" {
		return field.Check{Level: field.Hint, Msg: f.c.T.S("intake.required")}
	}
	if _, err := domain.ValidateName(s); err != nil {
		return errCheck(f.c.T, err, "")
	}
	return field.Check{Level: field.OK}
}

func (f *form) checkBirth(s string) field.Check {
	s = strings.TrimSpace(s)
	if s == "" {
		return field.Check{}
	}
	v, err := domain.ValidateBirthDate(s)
	if err != nil {
		c := errCheck(f.c.T, err, "")
		if len(s) < 10 {
			c.Level = field.Hint
		}
		return c
	}
	if v > f.c.Now().Format("2006-01-02") {
		return field.Check{Level: field.Error, Msg: f.c.T.S("invalid.birth_date.future")}
	}
	return field.Check{Level: field.OK}
}

func (f *form) checkDoc(s string) field.Check {
	dt := f.docTypeValue()
	if strings.TrimSpace(s) == "" {
		return field.Check{Level: field.Hint, Msg: f.c.T.S("intake.required")}
	}
	_, err := domain.ValidateDocument(dt, s)
	if err == nil {
		return field.Check{Level: field.OK}
	}
	c := errCheck(f.c.T, err, string(dt))
	need := map[domain.DocType]int{domain.DocPassportRU: 10, domain.DocIDCardUA: 9, domain.DocPassportUA: 8}[dt]
	if isIncomplete(err) && alnum(s) < need {
		c.Level = field.Hint
	}
	return c
}

func (f *form) checkEmail(s string) field.Check {
	if strings.TrimSpace(s) == "" {
		return field.Check{}
	}
	if _, err := domain.ValidateEmail(s); err != nil {
		c := errCheck(f.c.T, err, "")
		if !strings.Contains(s, "@") || !strings.Contains(s[strings.Index(s, "@"):], ".") {
			c.Level = field.Hint
		}
		return c
	}
	return field.Check{Level: field.OK}
}

// digitsCheck checks an optional number of digits: while fewer than need
// digits are typed a length (or shape) problem is only a hint; more than
// most, a wrong check digit or a wrong character is an error at once.
func digitsCheck(t i18n.T, validate func(string) (string, error), need, most int) func(string) field.Check {
	return func(s string) field.Check {
		if strings.TrimSpace(s) == "" {
			return field.Check{}
		}
		_, err := validate(s)
		if err == nil {
			return field.Check{Level: field.OK}
		}
		c := errCheck(t, err, "")
		n := alnum(s)
		var ie *domain.InvalidError
		if errors.As(err, &ie) && n < need && (isIncomplete(err) || ie.Problem == domain.ProblemCheck && n < most) {
			c.Level = field.Hint
		}
		return c
	}
}

func isIncomplete(err error) bool {
	var ie *domain.InvalidError
	return errors.As(err, &ie) && (ie.Problem == domain.ProblemLength || ie.Problem == domain.ProblemFormat || ie.Problem == domain.ProblemEmpty)
}

func errCheck(t i18n.T, err error, variant string) field.Check {
	var ie *domain.InvalidError
	if errors.As(err, &ie) {
		return field.Check{Level: field.Error, Msg: t.Invalid(ie, variant)}
	}
	return field.Check{Level: field.Error, Msg: t.Err(err)}
}

// alnum counts the letters and digits of s.
func alnum(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// view renders the form.
func (f *form) view(width int) string {
	s, t := f.c.Styles, f.c.T
	labelW, inputW := 18, 26
	if width < 70 {
		labelW, inputW = 14, 20
	}
	var b strings.Builder
	for i, fl := range f.fields {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i == fDocType {
			label, mark := s.Label, "  "
			if f.focus == fDocType {
				label, mark = s.LabelFocused, "› "
			}
			b.WriteString(mark + label.Render(common.Fit(fl.Label, labelW)) + " " +
				s.Strong.Render("◀ "+t.S("doctype."+string(f.docTypeValue()))+" ▶"))
			continue
		}
		if i == fNotices {
			label, mark := s.Label, "  "
			if f.focus == fNotices {
				label, mark = s.LabelFocused, "› "
			}
			b.WriteString(mark + label.Render(common.Fit(fl.Label, labelW)) + " " +
				s.Strong.Render("◀ "+t.S("notices."+noticeName(noticeChoices[f.notices]))+" ▶"))
			if c := fl.Check(); c.Level == field.Error {
				b.WriteString("\n" + strings.Repeat(" ", 2+labelW+1) + s.Error.Render("✗ "+c.Msg))
			}
			continue
		}
		b.WriteString(fl.View(s, labelW, inputW, width))
	}
	return b.String()
}

func noticeName(ch domain.NoticeChannel) string {
	if ch == "" {
		return "none"
	}
	return string(ch)
}

// WorkOpen says what is left undone: a registration form with data typed.
func (m *Model) WorkOpen() string {
	if m.mode != modeSearch && m.form != nil && m.form.filled() {
		return m.c.T.S("quit.form")
	}
	return ""
}
