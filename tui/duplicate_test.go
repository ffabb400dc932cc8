package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// A new visitor with another passport but a SNILS registered already is
// warned of like a duplicate passport, naming the visitor and the number.
func TestDuplicateSNILSWarns(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	e.Visitor(t, fedorov())
	a := start(t, e, i18n.RU, true)
	a.send(common.StartIntake{})
	a.keys("Петров", tea.KeyCtrlN)
	a.wait("Новый заявитель")
	a.keys(" Пётр", tea.KeyTab, tea.KeyTab, tea.KeyTab, "4510 777777", tea.KeyTab, "11223344595", tea.KeyCtrlS)
	a.wait("с этим СНИЛС уже зарегистрирован", "Фёдоров Пётр Ильич, СНИЛС", "112-233-445 95.")
	a.golden()
}

// The same for a Ukrainian taxpayer number, on a Ukrainian screen.
func TestDuplicateRNOKPPWarns(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	e.Visitor(t, domain.Visitor{FullName: "Шевченко Тарас Григорович", DocType: domain.DocIDCardUA, DocNumber: "274019385", RNOKPP: "3064700004"})
	a := start(t, e, i18n.UK, true)
	a.send(common.StartIntake{})
	a.keys("Шевченко", tea.KeyCtrlN)
	a.wait("Новий заявник")
	a.keys(" Тарас", tea.KeyTab, "28.11.1983", tea.KeyTab, tea.KeyTab, "123456789", tea.KeyTab, tea.KeyTab, tea.KeyTab, "3064700004", tea.KeyCtrlS)
	a.wait("з цим РНОКПП уже зареєстровано")
}
