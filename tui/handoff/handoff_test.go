package handoff

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/receipt"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func TestBuildSaveAndFinish(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	ctx := context.Background()
	v := e.Visitor(t, domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
	tk := e.Ticket(t, "replanning", "", 5)
	if _, err := e.Store.CallNext(ctx, "ivanova", nil); err != nil {
		t.Fatal(err)
	}
	cs := e.Case(t, v.ID, "replanning", tk.ID)
	for _, d := range []domain.DocumentPayload{{Doc: "application", Presented: true}, {Doc: "passport", Presented: true}, {Doc: "floor_plan", Presented: true, Form: domain.FormCopy, Count: 3}} {
		if err := e.Store.CheckDocument(ctx, "ivanova", cs.ID, d); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Store.HandOff(ctx, "ivanova", cs.ID, "принесёт завтра"); err != nil {
		t.Fatal(err)
	}
	r, err := Build(ctx, e.Store, cs.ID, "ru", fake.Operator())
	if err != nil {
		t.Fatal(err)
	}
	if r.CaseNumber != cs.Number || r.Visitor != "Фёдоров Пётр" || len(r.Accepted) != 3 || r.Accepted[2].Count != 3 ||
		len(r.Missing) != 1 || r.Missing[0] != "Проект перепланировки" || r.MissingReason != "принесёт завтра" ||
		r.Clerk != "Иванова Ирина" || r.Deadline.Format("2006-01-02") != "2027-01-11" || r.DeadlineDays != 45 {
		t.Errorf("the receipt: %+v", r)
	}

	m := New(e.SignedIn(i18n.RU), e.Store, cs.ID, v, tk.ID)
	fake.Run(t, m, m.Init()())
	for _, ext := range []string{".txt", ".pdf"} {
		st, err := os.Stat(e.Dir + "/receipts/" + cs.Number + ext)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", ext, err, st)
		}
	}
	if !strings.Contains(m.View(), "РАСПИСКА") {
		t.Errorf("the receipt is not on the screen:\n%s", m.View())
	}
	_, nav := fake.Run(t, m, tea.KeyMsg{Type: tea.KeyCtrlN})
	if fake.Only[common.VisitorChosen](t, nav).Visitor.ID != v.ID {
		t.Errorf("ctrl+n sent %v", nav)
	}
	_, nav = fake.Run(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if !strings.Contains(fake.Only[common.GoQueue](t, nav).Notice, "обслужен") {
		t.Fatalf("enter sent %v (err %q)", nav, m.err)
	}
	if got, _ := e.Store.Ticket(ctx, tk.ID); got.State != domain.TicketServed {
		t.Errorf("the ticket is %s, want served", got.State)
	}
}

func TestReprintGoesBack(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	ctx := context.Background()
	v := e.Visitor(t, domain.Visitor{FullName: "Иванов Иван", DocType: domain.DocPassportRU, DocNumber: "0101 000001"})
	cs := e.Case(t, v.ID, "advertising", "")
	for _, d := range []string{"application", "passport"} {
		if err := e.Store.CheckDocument(ctx, "ivanova", cs.ID, domain.DocumentPayload{Doc: d, Presented: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Store.HandOff(ctx, "ivanova", cs.ID, ""); err != nil {
		t.Fatal(err)
	}
	// The screen is in English; the receipt is in the office's language
	// (Russian for an office with no setting), and follows the setting.
	m := Reprint(e.SignedIn(i18n.EN), e.Store, cs.ID)
	fake.Run(t, m, m.Init()())
	if !strings.Contains(m.View(), "Receipt of case "+cs.Number) || !strings.Contains(m.View(), "5 000,00 руб.") {
		t.Errorf("the reprint:\n%s", m.View())
	}
	if err := e.Store.UpdateOfficeSettings(ctx, localdb.OfficeSettings{ReceiptLang: "en", Name: "Irkutsk One-Stop Centre"}); err != nil {
		t.Fatal(err)
	}
	m = Reprint(e.SignedIn(i18n.RU), e.Store, cs.ID)
	fake.Run(t, m, m.Init()())
	if !strings.Contains(m.View(), "Расписка по делу "+cs.Number) || !strings.Contains(m.View(), "5,000.00 RUB") ||
		!strings.Contains(m.View(), "Irkutsk One-Stop Centre") {
		t.Errorf("the reprint with an English receipt on a Russian screen:\n%s", m.View())
	}
	_, nav := fake.Run(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if len(nav) != 1 {
		t.Fatalf("enter sent %v", nav)
	}
	if _, ok := nav[0].(common.Back); !ok {
		t.Errorf("enter on a reprint sent %T, want Back", nav[0])
	}
}

// TestPrintKey: p prints the receipt on the window's printer and says
// where; without a printer it says how to set one up; a failing printer is
// reported and the receipt stays on screen.
func TestPrintKey(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	ctx := context.Background()
	v := e.Visitor(t, domain.Visitor{FullName: "Иванов Иван", DocType: domain.DocPassportRU, DocNumber: "0101 000001"})
	cs := e.Case(t, v.ID, "advertising", "")
	for _, d := range []string{"application", "passport"} {
		if err := e.Store.CheckDocument(ctx, "ivanova", cs.ID, domain.DocumentPayload{Doc: d, Presented: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Store.HandOff(ctx, "ivanova", cs.ID, ""); err != nil {
		t.Fatal(err)
	}
	p := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")}

	c := e.SignedIn(i18n.RU)
	m := Reprint(c, e.Store, cs.ID)
	fake.Run(t, m, m.Init()())
	fake.Run(t, m, p)
	if !strings.Contains(m.View(), "Принтер не настроен") {
		t.Errorf("without a printer:\n%s", m.View())
	}

	dir := filepath.Join(t.TempDir(), "printed")
	c = e.SignedIn(i18n.RU)
	c.Printer = &receipt.FilePrinter{Dir: dir}
	m = Reprint(c, e.Store, cs.ID)
	fake.Run(t, m, m.Init()())
	fake.Run(t, m, p)
	want := filepath.Join(dir, cs.Number+".pdf")
	if !strings.Contains(m.View(), "Расписка напечатана") {
		t.Errorf("after p:\n%s", m.View())
	}
	if b, err := os.ReadFile(want); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("%s: %v", want, err)
	}

	c = e.SignedIn(i18n.RU)
	c.Printer = &receipt.ESCPOS{Addr: filepath.Join(t.TempDir(), "no-such-lp0")}
	m = Reprint(c, e.Store, cs.ID)
	fake.Run(t, m, m.Init()())
	fake.Run(t, m, p)
	if v := m.View(); !strings.Contains(v, "Не напечатано") || !strings.Contains(v, "РАСПИСКА") {
		t.Errorf("a failing printer:\n%s", v)
	}
}
