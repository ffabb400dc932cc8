package queue

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func setup(t *testing.T) (*fake.Env, *Model) {
	t.Helper()
	e := fake.New(t)
	e.Ticket(t, "replanning", "", 20)
	e.Ticket(t, "advertising", "disabled", 5)
	e.Ticket(t, "foreign_passport", "", 30) // needs a biometric station this window lacks
	m := New(e.SignedIn(i18n.RU), e.Store, "")
	fake.Run(t, m, m.Init()())
	return e, m
}

func TestCallNextPrivilegedFirstThenServe(t *testing.T) {
	t.Parallel()
	_, m := setup(t)
	if len(m.waiting) != 3 {
		t.Fatalf("waiting: %d", len(m.waiting))
	}
	fake.Run(t, m, fake.Keys("n")...)
	if !m.hasCur || m.current.Service != "advertising" {
		t.Fatalf("call next gave %+v, want the privileged ticket", m.current)
	}
	if !strings.Contains(m.notice, "очередь этого окна") {
		t.Errorf("offline, the notice should say the local queue was used: %q", m.notice)
	}
	fake.Run(t, m, fake.Keys("n")...)
	if !strings.Contains(m.err, "ещё у окна") {
		t.Errorf("calling again with a ticket at the window says %q", m.err)
	}
	_, nav := fake.Run(t, m, fake.Keys(tea.KeyEnter)...)
	if fake.Only[common.StartIntake](t, nav).TicketID != m.current.ID {
		t.Errorf("enter sent %v", nav)
	}
	fake.Run(t, m, fake.Keys("s")...)
	if m.hasCur {
		t.Errorf("the served ticket is still at the window")
	}
	fake.Run(t, m, fake.Keys("n")...)
	if m.current.Service != "replanning" {
		t.Errorf("next called %s, want replanning (the biometric one needs equipment)", m.current.Service)
	}
}

func TestCallNextSharedWhenOnline(t *testing.T) {
	t.Parallel()
	e, m := setup(t)
	e.Link.SetStatus(link.Status{State: link.Online})
	fake.Run(t, m, fake.Keys("n")...)
	if !m.shared || !strings.Contains(m.notice, "общая очередь") {
		t.Errorf("online, the call should come from the shared queue: %q", m.notice)
	}
}

func TestNoShowPostponeReturnRecall(t *testing.T) {
	t.Parallel()
	_, m := setup(t)
	fake.Run(t, m, fake.Keys("n", "r")...)
	if !strings.Contains(m.notice, "вызван повторно") {
		t.Errorf("recall says %q", m.notice)
	}
	fake.Run(t, m, fake.Keys("p")...)
	if m.hasCur || len(m.postponed) != 1 {
		t.Fatalf("postpone: at window %v, postponed %d", m.hasCur, len(m.postponed))
	}
	fake.Run(t, m, fake.Keys("u")...)
	if !strings.Contains(m.err, "Отложены") {
		t.Errorf("return outside the postponed tab says %q", m.err)
	}
	fake.Run(t, m, fake.Keys(tea.KeyTab, "u")...)
	if len(m.postponed) != 0 || len(m.waiting) != 3 {
		t.Errorf("after return: postponed %d waiting %d", len(m.postponed), len(m.waiting))
	}
	fake.Run(t, m, fake.Keys("n", "x")...)
	if !m.hasCur || m.ask == nil || !strings.Contains(m.View(), "Отметить неявку") {
		t.Fatalf("x right after a call does not ask: at window %v, ask %v", m.hasCur, m.ask)
	}
	fake.Run(t, m, fake.Keys(tea.KeyEsc)...)
	if !m.hasCur || m.ask != nil {
		t.Fatalf("esc on the no-show question: at window %v, ask %v", m.hasCur, m.ask)
	}
	fake.Run(t, m, fake.Keys("x", tea.KeyEnter)...)
	if m.hasCur || len(m.waiting) != 2 {
		t.Errorf("after a no-show: at window %v waiting %d", m.hasCur, len(m.waiting))
	}
}

func TestIssueAndRedirect(t *testing.T) {
	t.Parallel()
	_, m := setup(t)
	fake.Run(t, m, fake.Keys("t", "сад", tea.KeyEnter)...)
	fake.Run(t, m, fake.Keys(tea.KeyDown, tea.KeyEnter)...) // veterans
	if m.panel == nil || m.panel.step != 2 || !strings.HasPrefix(m.panel.input.Value(), "Удостоверение ветерана") {
		t.Fatalf("the proof is not asked with the category's document: %+v", m.panel)
	}
	// The document's name alone is not a proof: its number is asked for.
	fake.Run(t, m, fake.Keys(tea.KeyEnter)...)
	if m.panel == nil || !strings.Contains(m.View(), "Впишите номер документа о льготе") {
		t.Fatalf("a proof without its number was taken: panel %v notice %q", m.panel != nil, m.notice)
	}
	fake.Run(t, m, fake.Keys("4711", tea.KeyEnter)...)
	if m.panel != nil || !strings.Contains(m.notice, "Выдан талон K-3") {
		t.Fatalf("issue: panel %v notice %q err %q", m.panel != nil, m.notice, m.err)
	}
	if m.waiting[0].Service != "kindergarten" || m.waiting[0].Category != "veteran" {
		t.Errorf("the veteran's ticket is not first: %+v", m.waiting[0])
	}
	// Redirect the ticket under the cursor to window 5.
	fake.Run(t, m, fake.Keys("d", tea.KeyEnter, "5", tea.KeyEnter)...)
	if !strings.Contains(m.notice, "перенаправлен") {
		t.Fatalf("redirect says %q / %q", m.notice, m.err)
	}
	for _, tk := range m.waiting {
		if tk.Service == "kindergarten" {
			t.Errorf("a ticket sent to window 5 still waits here: %+v", tk)
		}
	}
	// esc closes a panel without doing anything.
	fake.Run(t, m, fake.Keys("t")...)
	if !m.Modal() {
		t.Fatal("the panel is not modal")
	}
	fake.Run(t, m, fake.Keys(tea.KeyEsc)...)
	if m.panel != nil {
		t.Error("esc did not close the panel")
	}
}

func TestWaitingTimeAgainstTheNorm(t *testing.T) {
	t.Parallel()
	_, m := setup(t)
	v := m.View()
	for _, want := range []string{"20 мин", "5 мин", "30 мин", "★ Инвалиды", "⚙ Загранпаспорт"} {
		if !strings.Contains(v, want) {
			t.Errorf("the queue does not show %q:\n%s", want, v)
		}
	}
	_ = domain.TicketWaiting
}

func TestBreak(t *testing.T) {
	t.Parallel()
	_, m := setup(t)
	fake.Run(t, m, fake.Keys("b")...)
	if !m.onBreak || !strings.Contains(m.View(), "Перерыв с") {
		t.Fatalf("after b: on break %v, screen:\n%s", m.onBreak, m.View())
	}
	fake.Run(t, m, fake.Keys("n")...)
	if m.hasCur || !strings.Contains(m.err, "перерыв") {
		t.Fatalf("a call during the break: current %v, error %q", m.hasCur, m.err)
	}
	fake.Run(t, m, fake.Keys("b")...)
	if m.onBreak {
		t.Fatal("b again did not end the break")
	}
	fake.Run(t, m, fake.Keys("n")...)
	if !m.hasCur {
		t.Fatalf("no call after the break: %q", m.err)
	}
	fake.Run(t, m, fake.Keys("b")...)
	if m.onBreak || m.err == "" {
		t.Fatalf("a break with a visitor at the window: on break %v, error %q", m.onBreak, m.err)
	}
}

// failingMoves is the workstation's store with its moves failing (a full
// disk): the screen's small Store interface lets a test give it one.
type failingMoves struct {
	Store
	err error
}

func (f failingMoves) Move(context.Context, string, string, domain.EventKind) (localdb.Ticket, error) {
	return localdb.Ticket{}, f.err
}

// TestFailedMoveIsShown: a move the store refuses is said on screen, the
// ticket stays at the window, and the keys go on working.
func TestFailedMoveIsShown(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	e.Ticket(t, "replanning", "", 20)
	m := New(e.SignedIn(i18n.EN), failingMoves{Store: e.Store, err: errors.New("database or disk is full")}, "")
	fake.Run(t, m, m.Init()())
	fake.Run(t, m, fake.Keys("n")...)
	if !m.hasCur {
		t.Fatalf("no ticket called: %q", m.err)
	}
	fake.Run(t, m, fake.Keys("s")...)
	if !m.hasCur || m.busy || !strings.Contains(m.err, "database or disk is full") {
		t.Fatalf("after a failed move: at the window %v, busy %v, error %q", m.hasCur, m.busy, m.err)
	}
	if !strings.Contains(m.View(), "database or disk is full") {
		t.Errorf("the failure is not on screen:\n%s", m.View())
	}
}

// TestRedirectOnlyToAWindowOfTheOffice: a redirect names a window the
// office has; a number it lacks, or letters, are refused with a message
// that lists its windows, and nothing is recorded.
func TestRedirectOnlyToAWindowOfTheOffice(t *testing.T) {
	t.Parallel()
	e, m := setup(t)
	keys := api.OfficeKeys{Office: "IRK", Windows: []api.WindowKey{{Window: 1, PublicKey: "a"}, {Window: 4, PublicKey: "b"}}}
	if err := e.Store.SetOfficeKeys(context.Background(), keys); err != nil {
		t.Fatal(err)
	}
	fake.Run(t, m, m.Init()())
	for _, c := range []struct{ typed, want string }{
		{"99", "В офисе нет окна 99. Окна офиса: 1, 3, 4; пусто — любое."},
		{"abc", "«abc» — не номер окна. Окна офиса: 1, 3, 4"},
		{"0", "Номер окна — от 1 до 999."},
	} {
		fake.Run(t, m, fake.Keys("d", tea.KeyEnter, c.typed, tea.KeyEnter)...)
		if m.panel == nil || !strings.Contains(m.panel.err, c.want) {
			t.Fatalf("window %q: panel %v, message %q; want %q", c.typed, m.panel != nil, m.panel.err, c.want)
		}
		if !strings.Contains(m.View(), c.want) {
			t.Errorf("window %q: the message is not on the screen:\n%s", c.typed, m.View())
		}
		fake.Run(t, m, fake.Keys(tea.KeyEsc)...)
	}
	// The store refuses too, whoever asks.
	if _, err := e.Store.Redirect(context.Background(), "x", m.waiting[0].ID, "", 99); err == nil || !strings.Contains(err.Error(), "no window 99") {
		t.Fatalf("store redirect to 99: %v", err)
	}
	fake.Run(t, m, fake.Keys("d", tea.KeyEnter, "4", tea.KeyEnter)...)
	if m.panel != nil || !strings.Contains(m.notice, "перенаправлен") {
		t.Fatalf("window 4: panel %v, %q / %q", m.panel != nil, m.notice, m.err)
	}
}

// A window whose list shows tickets it cannot call says so, not "the
// queue is empty".
func TestNoneForThisWindow(t *testing.T) {
	t.Parallel()
	_, m := setup(t)
	for range 2 {
		fake.Run(t, m, fake.Keys("n", "s")...)
	}
	fake.Run(t, m, fake.Keys("n")...)
	if m.hasCur || len(m.waiting) != 1 || !strings.Contains(m.err, "Ждут: 1, но никого из них не может вызвать это окно") {
		t.Errorf("calling with only a biometric ticket left: at window %v, waiting %d, %q", m.hasCur, len(m.waiting), m.err)
	}
}

// cyrillicKeys types s as a keyboard in the Russian layout sends the same
// keys: the Latin capitals become the Cyrillic letters on their keys.
func cyrillicKeys(s string) string {
	lat, cyr := []rune("QWERTYUIOPASDFGHJKLZXCVBNM"), []rune("ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ")
	return strings.Map(func(r rune) rune {
		for i, l := range lat {
			if r == l {
				return cyr[i]
			}
		}
		return r
	}, s)
}

// TestScanCaseNumber: a receipt's case number scanned on the queue screen
// (a wedge scanner's fast keys in one message, then enter), typed key by
// key, or arriving in the Cyrillic layout opens the case; a wrong check
// digit and an unknown case say so; the queue's own keys still work.
func TestScanCaseNumber(t *testing.T) {
	t.Parallel()
	e, m := setup(t)
	v := e.Visitor(t, domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
	cs := e.Case(t, v.ID, "advertising", "")
	n := cs.Number
	for name, keys := range map[string][]tea.Msg{
		"scanned":  {tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(n)}, tea.KeyMsg{Type: tea.KeyEnter}},
		"typed":    fake.Keys(n, tea.KeyEnter),
		"cyrillic": {tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(cyrillicKeys(n))}, tea.KeyMsg{Type: tea.KeyEnter}},
		"fixed":    fake.Keys(n+"7", tea.KeyBackspace, tea.KeyEnter),
	} {
		_, nav := fake.Run(t, m, keys...)
		if got := fake.Only[common.ShowCase](t, nav); got.CaseID != cs.ID {
			t.Errorf("%s: opened %+v (err %q)", name, got, m.err)
		}
	}
	last := n[len(n)-1]
	typo := n[:len(n)-1] + string('0'+(last-'0'+1)%10)
	_, nav := fake.Run(t, m, fake.Keys(typo, tea.KeyEnter)...)
	if len(nav) != 0 || !strings.Contains(m.err, "ошибка в контрольной цифре") || !strings.Contains(m.View(), typo) {
		t.Errorf("a wrong check digit: %v %q", nav, m.err)
	}
	num, err := domain.ParseCaseNumber(n)
	if err != nil {
		t.Fatal(err)
	}
	unknown := domain.NewCaseNumber(num.Office, num.Window, num.Date, num.Seq+50).String()
	_, nav = fake.Run(t, m, fake.Keys(unknown, tea.KeyEnter)...)
	if len(nav) != 0 || m.err != "Дела "+unknown+" на этом рабочем месте нет" {
		t.Errorf("an unknown case: %v %q", nav, m.err)
	}
	// Esc drops a number half typed; n then calls the next ticket as ever.
	fake.Run(t, m, fake.Keys("IRK-0")...)
	if !strings.Contains(m.View(), "Номер дела: IRK-0") {
		t.Errorf("the number typed is not shown:\n%s", m.View())
	}
	fake.Run(t, m, fake.Keys(tea.KeyEsc, "n")...)
	if !m.hasCur || len(m.scan) != 0 {
		t.Errorf("after esc, n did not call: at the window %v, scan %q, err %q", m.hasCur, string(m.scan), m.err)
	}
}

// TestOlderReadDoesNotUndoTheCall: reads of the queue run at once, and
// one started before a call can answer after the call's own; the screen
// keeps the newer queue (it once went back to the called ticket waiting).
func TestOlderReadDoesNotUndoTheCall(t *testing.T) {
	t.Parallel()
	_, m := setup(t)
	before := m.load() // a read started before the call (a store change)
	older := before()
	fake.Run(t, m, fake.Keys("n")...) // the call, and its own read
	if len(m.waiting) != 2 || !m.hasCur {
		t.Fatalf("after the call: %d waiting, at the window %v", len(m.waiting), m.hasCur)
	}
	m.Update(older) // the older read answers last
	if len(m.waiting) != 2 || !m.hasCur {
		t.Errorf("an older read put the queue back: %d waiting, at the window %v", len(m.waiting), m.hasCur)
	}
}
