package intake

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/field"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// toField moves the form's focus to field i.
func toField(m *Model, i int) []tea.Msg {
	var keys []tea.Msg
	for j := m.form.focus; j < i; j++ {
		keys = append(keys, tea.KeyMsg{Type: tea.KeyTab})
	}
	return keys
}

func TestInvalidSNILSShowsTheErrorAsYouType(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang i18n.Lang
		want string
	}{
		{i18n.RU, "СНИЛС: контрольное число не сходится"},
		{i18n.UK, "СНІЛС: контрольне число не збігається"},
		{i18n.EN, "SNILS: the check number does not match"},
	} {
		e := fake.New(t)
		m := New(e.SignedIn(tc.lang), e.Store, "")
		fake.Run(t, m, fake.Keys(tea.KeyCtrlN)...)
		if m.mode != modeForm {
			t.Fatalf("ctrl+n did not open the form")
		}
		fake.Run(t, m, toField(m, fSNILS)...)
		fake.Run(t, m, fake.Keys("112-233-4")...)
		if c := m.form.fields[fSNILS].Check(); c.Level != field.Hint {
			t.Errorf("%s: a SNILS half typed is %v %q, want a hint", tc.lang, c.Level, c.Msg)
		}
		fake.Run(t, m, fake.Keys("45 96")...)
		c := m.form.fields[fSNILS].Check()
		if c.Level != field.Error || !strings.Contains(c.Msg, tc.want) {
			t.Errorf("%s: a SNILS with a wrong check number gives %v %q, want an error %q", tc.lang, c.Level, c.Msg, tc.want)
		}
		if v := m.View(); !strings.Contains(v, tc.want) {
			t.Errorf("%s: the error is not on the screen:\n%s", tc.lang, v)
		}
		fake.Run(t, m, fake.Keys(tea.KeyBackspace, "5")...)
		if c := m.form.fields[fSNILS].Check(); c.Level != field.OK {
			t.Errorf("%s: the corrected SNILS is %v %q, want OK", tc.lang, c.Level, c.Msg)
		}
	}
}

func TestFieldChecks(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	f := newForm(e.SignedIn(i18n.RU), "")
	for _, tc := range []struct {
		field int
		value string
		want  field.Level
	}{
		{fName, "", field.Hint},
		{fName, "Иванов1", field.Error},
		{fName, "Мар'яна Іваненко", field.OK},
		{fINN, "50010100", field.Hint},
		{fINN, "500100732259", field.OK},
		{fINN, "500100732258", field.Error},
		{fRNOKPP, "3184710691", field.OK},
		{fRNOKPP, "3184710692", field.Error},
		{fRNOKPP, "12a", field.Error},
		{fPhone, "+7 912", field.Hint},
		{fPhone, "+7 912 345-67-89", field.OK},
		{fBirth, "04.03.", field.Hint},
		{fBirth, "31.02.1990", field.Error},
		{fBirth, "04.03.2030", field.Error},
		{fBirth, "04.03.1985", field.OK},
		{fDocNumber, "2504 12", field.Hint},
		{fDocNumber, "2504 123456", field.OK},
		{fDocNumber, "2504 12345678", field.Error},
		{fEmail, "name@", field.Hint},
		{fEmail, "name@@x.ru", field.Error},
	} {
		f.fields[tc.field].SetValue(tc.value)
		if c := f.fields[tc.field].Check(); c.Level != tc.want {
			t.Errorf("field %d %q: %v %q, want %v", tc.field, tc.value, c.Level, c.Msg, tc.want)
		}
	}
}

func TestRNOKPPAgreesWithBirthDate(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	f := newForm(e.SignedIn(i18n.UK), "")
	birth, _ := domain.RNOKPPBirthDate("3184710691")
	f.fields[fRNOKPP].SetValue("3184710691")
	if c := f.fields[fRNOKPP].Check(); c.Level != field.OK {
		t.Fatalf("without a birth date: %v %q", c.Level, c.Msg)
	}
	f.setFocus(fBirth)
	for _, k := range fake.Keys("01.01.1990") {
		f.update(k.(tea.KeyMsg))
	}
	if c := f.fields[fRNOKPP].Check(); c.Level != field.Error || !strings.Contains(c.Msg, "даті народження") {
		t.Errorf("a birth date the RNOKPP does not encode: %v %q", c.Level, c.Msg)
	}
	f.fields[fBirth].SetValue(birth.Format("02.01.2006"))
	f.fields[fRNOKPP].Recheck()
	if c := f.fields[fRNOKPP].Check(); c.Level != field.OK {
		t.Errorf("the encoded birth date %s: %v %q", birth.Format("02.01.2006"), c.Level, c.Msg)
	}
}

func TestRegisterThenChooseService(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	m := New(e.SignedIn(i18n.RU), e.Store, "ticket-1")
	fake.Run(t, m, fake.Keys(tea.KeyCtrlN)...)
	fake.Run(t, m, fake.Keys("Фёдоров Пётр Ильич")...)
	fake.Run(t, m, toField(m, fDocNumber)...)
	fake.Run(t, m, fake.Keys("2504 123456", tea.KeyTab, "112-233-445 95")...)
	_, nav := fake.Run(t, m, fake.Keys(tea.KeyCtrlS)...)
	if len(nav) != 1 {
		t.Fatalf("saving sent %v, want VisitorChosen; error %q; screen:\n%s", nav, m.err, m.View())
	}
	got := fake.Only[common.VisitorChosen](t, nav)
	if got.Visitor.ID == "" || got.Visitor.SNILS != "112-233-445 95" || got.TicketID != "ticket-1" {
		t.Errorf("chose %+v", got)
	}
	// The same document again: the screen warns and offers the one found.
	m2 := New(e.SignedIn(i18n.RU), e.Store, "")
	fake.Run(t, m2, fake.Keys(tea.KeyCtrlN, "Фёдоров Пётр")...)
	fake.Run(t, m2, toField(m2, fDocNumber)...)
	fake.Run(t, m2, fake.Keys("2504123456", tea.KeyCtrlS)...)
	if m2.mode != modeDup {
		t.Fatalf("a second visitor with the same passport was not flagged; screen:\n%s", m2.View())
	}
	_, nav = fake.Run(t, m2, fake.Keys(tea.KeyEnter)...)
	if fake.Only[common.VisitorChosen](t, nav).Visitor.ID != got.Visitor.ID {
		t.Errorf("enter on the warning chose %v, want the visitor found", nav)
	}
}

func TestSaveRefusesAnInvalidForm(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	m := New(e.SignedIn(i18n.RU), e.Store, "")
	fake.Run(t, m, fake.Keys(tea.KeyCtrlN, "Иванов Иван", tea.KeyCtrlS)...)
	if m.form.focus != fDocNumber {
		t.Errorf("saving without a document number focused field %d, want the document number", m.form.focus)
	}
	if !strings.Contains(m.View(), "Введите номер документа") {
		t.Errorf("the missing document number is not shown:\n%s", m.View())
	}
}

func TestSearchDropsALateAnswer(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	e.Visitor(t, domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
	e.Visitor(t, domain.Visitor{FullName: "Фёдорова Анна", DocType: domain.DocPassportRU, DocNumber: "2504 654321"})
	m := New(e.SignedIn(i18n.RU), e.Store, "")
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("федорова")})
	// The answer for an older query arrives after the clerk typed on.
	m.Update(foundMsg{tag: m.tag, query: "фед", hits: []localdb.VisitorHit{{ID: "x", FullName: "Старый ответ"}}})
	if len(m.hits) != 0 {
		t.Fatalf("the answer for an old query was shown: %v", m.hits)
	}
	// A debounce for an old query asks nothing.
	if _, cmd := m.Update(debouncedMsg{tag: m.tag, query: "фед"}); cmd != nil {
		t.Errorf("a stale debounce started a search")
	}
	fake.Run(t, m, debouncedMsg{tag: m.tag, query: "федорова"})
	if len(m.hits) != 1 || m.hits[0].FullName != "Фёдорова Анна" {
		t.Errorf("ё-free search found %v, want Фёдорова Анна", m.hits)
	}
	_, nav := fake.Run(t, m, fake.Keys(tea.KeyEnter)...)
	if fake.Only[common.VisitorChosen](t, nav).Visitor.FullName != "Фёдорова Анна" {
		t.Errorf("enter chose %v", nav)
	}
}
