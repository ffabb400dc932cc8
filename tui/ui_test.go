package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

func fedorov() domain.Visitor {
	return domain.Visitor{FullName: "Фёдоров Пётр Ильич", BirthDate: "1985-03-04", DocType: domain.DocPassportRU,
		DocNumber: "2504 123456", SNILS: "112-233-445 95", Phone: "+7 916 123-45-67"}
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	for _, lang := range []i18n.Lang{i18n.RU, i18n.UK, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			e := fake.New(t)
			a := start(t, e, lang, false)
			a.keys("ivanova", tea.KeyEnter, "wrong", tea.KeyEnter)
			a.wait(map[i18n.Lang]string{i18n.RU: "Неверный", i18n.UK: "Неправильний", i18n.EN: "Wrong"}[lang])
			a.keys("secret1")
			a.golden()
		})
	}
}

func TestSignInOfflineThenQueue(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	e.Ticket(t, "replanning", "", 20)
	e.Ticket(t, "advertising", "disabled", 5)
	e.Ticket(t, "foreign_passport", "", 31)
	e.Ticket(t, "kindergarten", "", 12)
	a := start(t, e, i18n.RU, false)
	a.keys("ivanova", tea.KeyEnter, fake.Password, tea.KeyEnter)
	a.wait("Ждут: 4", "Иванова (офлайн-вход)")
	a.keys("n")
	a.wait("У окна: A-3001", "Ждут: 3")
	a.golden()
}

func TestQueueOnlineUkrainian(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	e.Ticket(t, "replanning", "", 3)
	e.Ticket(t, "kindergarten", "veteran", 1)
	e.Link.SetStatus(link.Status{State: link.Online, Pending: 3})
	a := start(t, e, i18n.UK, true)
	a.wait("Чекають: 2", "на зв'язку")
	a.keys("n")
	a.wait("спільна черга", "Чекають: 1")
	a.golden()
}

func TestQueueNewTicketPanel(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a := start(t, e, i18n.EN, true)
	a.wait("Waiting: 0")
	a.keys("t", "permit", tea.KeyEnter)
	a.wait("Priority category")
	a.golden()
}

func TestHelpOverlay(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a := start(t, e, i18n.RU, true)
	a.wait("Ждут: 0")
	a.keys("?")
	a.wait("Клавиши: Очередь")
	a.golden()
}

func TestIntakeSearch(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	e.Visitor(t, fedorov())
	e.Visitor(t, domain.Visitor{FullName: "Федорова Алёна Сергеевна", DocType: domain.DocPassportRU, DocNumber: "4510 654321"})
	e.Visitor(t, domain.Visitor{FullName: "Іваненко Мар'яна", DocType: domain.DocIDCardUA, DocNumber: "123456789", Phone: "+380 67 123 4567"})
	a := start(t, e, i18n.RU, true)
	a.wait("Ждут: 0")
	a.keys(tea.KeyF3)
	a.wait("Найти:")
	a.keys("ФЁДОР")
	a.wait("Федорова Алёна")
	a.keys(tea.KeyDown)
	a.golden()
}

func TestIntakeFormShowsErrorsAsYouType(t *testing.T) {
	t.Parallel()
	for _, lang := range []i18n.Lang{i18n.RU, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			e := fake.New(t)
			a := start(t, e, lang, true)
			a.send(common.StartIntake{})
			a.keys("Фёдоров", tea.KeyCtrlN)
			a.keys(" Пётр", tea.KeyTab, "04.03.19", tea.KeyTab, tea.KeyTab, "2504 1234567", tea.KeyTab, "112-233-445 96", tea.KeyTab, "500100732259", tea.KeyTab, tea.KeyTab, "8 916 12")
			a.wait(map[i18n.Lang]string{i18n.RU: "контрольное число", i18n.EN: "check number"}[lang])
			a.golden()
		})
	}
}

func TestServiceChoice(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	a := start(t, e, i18n.RU, true)
	a.send(common.VisitorChosen{Visitor: v})
	a.wait("Услуга для")
	a.keys("разреш")
	a.wait("5 000,00")
	a.golden()
}

func TestRepeatRequestWarning(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	e.Case(t, v.ID, "replanning", "")
	a := start(t, e, i18n.RU, true)
	a.send(common.VisitorChosen{Visitor: v})
	a.wait("Услуга для")
	a.keys("перепл", tea.KeyEnter)
	a.wait("Повторное обращение")
	a.golden()
}

// openChecklist opens the checklist of a new case of Фёдоров.
func openChecklist(t *testing.T, e *fake.Env, lang i18n.Lang) (*app, *domain.CaseView) {
	t.Helper()
	v := e.Visitor(t, fedorov())
	tk := e.Ticket(t, "replanning", "", 14)
	cs := e.Case(t, v.ID, "replanning", tk.ID)
	a := start(t, e, lang, true)
	a.send(common.CaseOpened{Case: cs, Visitor: v, TicketID: tk.ID})
	a.wait(cs.Number)
	return a, cs
}

func TestChecklistScan(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a, _ := openChecklist(t, e, i18n.RU)
	a.keys("passport", tea.KeyEnter)
	a.wait("Отмечен: Паспорт")
	a.keys(tea.KeyDown, tea.KeyDown, " ")
	a.wait("Предъявлено 2 из 5")
	a.golden()
}

func TestChecklistHandOffAsksWhy(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a, _ := openChecklist(t, e, i18n.RU)
	a.keys("application", tea.KeyEnter)
	a.wait("Отмечен: Заявление")
	a.keys(tea.KeyCtrlS)
	a.wait("Не представлены обязательные")
	a.keys("донесёт проект сам")
	a.golden()
}

func TestReceipt(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a, cs := openChecklist(t, e, i18n.RU)
	a.keys("application", tea.KeyEnter)
	a.wait("Отмечен: Заявление")
	a.keys("passport", tea.KeyEnter)
	a.wait("Отмечен: Паспорт")
	a.keys(tea.KeyCtrlS)
	a.wait("Причина:")
	a.keys("заявитель донесёт проект в ведомство", tea.KeyEnter)
	a.wait("передано в ведомство", "РАСПИСКА")
	view := a.golden()
	txt, err := os.ReadFile(filepath.Join(e.Dir, "receipts", cs.Number+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(txt), cs.Number) || !strings.Contains(string(txt), "заявитель донесёт проект") {
		t.Errorf("the saved receipt:\n%s", txt)
	}
	for _, ext := range []string{".txt", ".pdf"} {
		st, err := os.Stat(filepath.Join(e.Dir, "receipts", cs.Number+ext))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", ext, st.Mode().Perm())
		}
	}
	if !strings.Contains(view, "receipts/"+cs.Number+".txt") {
		t.Errorf("the screen does not say where the receipt is")
	}
}

func TestCasesDetail(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	ctx := context.Background()
	v := e.Visitor(t, fedorov())
	cs := e.Case(t, v.ID, "advertising", "")
	for _, d := range []string{"application", "passport"} {
		if err := e.Store.CheckDocument(ctx, "ivanova", cs.ID, domain.DocumentPayload{Doc: d, Presented: true, Barcode: d}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Store.HandOff(ctx, "ivanova", cs.ID, ""); err != nil {
		t.Fatal(err)
	}
	fake.Department(t, e, cs, domain.CaseAccepted, domain.CaseInWork, domain.CaseReady)
	other := e.Visitor(t, domain.Visitor{FullName: "Іваненко Мар'яна", DocType: domain.DocIDCardUA, DocNumber: "123456789"})
	e.Case(t, other.ID, "kindergarten", "")
	a := start(t, e, i18n.RU, true)
	a.keys(tea.KeyF4)
	a.wait("Іваненко")
	a.keys(cs.Number, tea.KeyEnter)
	a.wait("История", "статус: готово")
	a.keys("i")
	a.wait("Выдача результата по делу", "Документ проверен")
	a.golden()
}

func TestCasesList(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	e.Case(t, v.ID, "advertising", "")
	e.Case(t, v.ID, "kindergarten", "")
	a := start(t, e, i18n.EN, true)
	a.keys(tea.KeyF4)
	a.wait("0001", "0002")
	a.golden()
}

func TestSyncScreen(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	ctx := context.Background()
	v := e.Visitor(t, fedorov())
	cs := e.Case(t, v.ID, "advertising", "")
	events, err := e.Store.EventsOf(ctx, cs.ID)
	if err != nil || len(events) == 0 {
		t.Fatal(err)
	}
	if _, err := e.Store.MarkAnswered(ctx, []api.IngestResult{{ID: events[0].ID, Status: api.IngestRejected, Reason: "service advertising is closed in this office since 2026-11-01"}}); err != nil {
		t.Fatal(err)
	}
	e.Link.SetStatus(link.Status{State: link.Degraded, Pending: 1, Rejected: 1, LastSync: fake.Start().Add(-90e9),
		Problem: link.CentralFailing, Code: 503, Detail: "503: try again later", Err: "the central answered 503: try again later", NextTry: fake.Start().Add(30e9)})
	a := start(t, e, i18n.RU, true)
	a.keys(tea.KeyF5)
	a.wait("Требуют внимания")
	a.golden()
}

func TestResizeReflows(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	e.Ticket(t, "replanning", "", 20)
	a := start(t, e, i18n.RU, true)
	a.wait("Ждут: 1")
	a.send(tea.WindowSizeMsg{Width: 60, Height: 16})
	a.keys("t")
	a.wait("Новый талон")
	a.tm.Quit()
	view := a.tm.FinalModel(t).View()
	lines := strings.Split(view, "\n")
	if len(lines) != 16 {
		t.Errorf("a 60×16 terminal gets %d lines", len(lines))
	}
	for i, l := range lines {
		if w := len([]rune(l)); w > 60 {
			t.Errorf("line %d is %d wide at 60 columns: %q", i+1, w, l)
		}
	}
}

func TestCtrlCQuitsFromAnywhere(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	a := start(t, e, i18n.RU, true)
	a.send(common.VisitorChosen{Visitor: v})
	a.wait("Услуга для")
	a.keys(tea.KeyCtrlC)
	a.tm.WaitFinished(t)
}
