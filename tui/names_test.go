package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// A name typed in lower case is offered in title case as the clerk leaves
// the field; a name in two scripts is refused beside the field.
func TestNameTitleCaseAndMixedScripts(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a := start(t, e, i18n.RU, true)
	a.send(common.StartIntake{})
	a.keys(tea.KeyCtrlN)
	a.wait("Новый заявитель")
	a.keys("мар'яна ґудзь-петренко", tea.KeyTab)
	a.wait("Мар'яна Ґудзь-Петренко")
	a.keys(tea.KeyShiftTab, tea.KeyCtrlU, "Ivanov Иван")
	a.wait("без цифр и смеси")
	a.golden()
}

// A 500-character "scan" that is no code, number or file gets a plain
// message, not the system's error for the path.
func TestLongScanGetsAPlainMessage(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a, _ := openChecklist(t, e, i18n.RU)
	a.keys(strings.Repeat("X", 500), tea.KeyEnter)
	a.wait("» — не код документа этой услуги")
	a.tm.Quit()
	if v := a.tm.FinalModel(t).View(); strings.Contains(v, "stat ") || strings.Contains(v, "too long") {
		t.Errorf("the screen shows the system's error:\n%s", v)
	}
}
