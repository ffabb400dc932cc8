package supervisor

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// irkutsk is the fixture's time zone; now is its fixed clock.
var (
	irkutsk = time.FixedZone("IRKT", 8*3600)
	now     = time.Date(2025, 3, 12, 11, 0, 0, 0, irkutsk)
)

func at(h, m int) time.Time { return time.Date(2025, 3, 12, h, m, 0, 0, irkutsk) }

// fixtureSnapshot is a busy morning at IRK: five windows (one offline,
// one on a break), seven waiting, two of them past the 15-minute norm.
func fixtureSnapshot() *api.QueueSnapshot {
	return &api.QueueSnapshot{
		Office: "IRK", At: at(10, 59).Add(58 * time.Second).UTC(),
		Windows: []api.WindowState{
			{Window: 1, Operator: "anna", State: "serving", Ticket: "A-014", Service: "advertising_permit", Since: at(10, 48), LastSeen: at(10, 59), ServedToday: 9},
			{Window: 2, Operator: "boris", State: "serving", Ticket: "Б-003", Service: "foreign_passport", Since: at(10, 55), LastSeen: at(10, 59), ServedToday: 5},
			{Window: 3, Operator: "vera", State: "free", Since: at(10, 58), LastSeen: at(10, 58), ServedToday: 7},
			{Window: 4, Operator: "gleb", State: "offline", LastSeen: at(8, 40)},
			{Window: 5, Operator: "dina", State: "break", Since: at(10, 45), LastSeen: at(10, 45)},
		},
		Waiting: []api.QueueTicket{
			{ID: "t21", Number: "A-021", Service: "advertising_permit", Category: "wwii_veteran", Rank: 1, State: "waiting", IssuedAt: at(10, 52)},
			{ID: "t15", Number: "A-015", Service: "building_permit", State: "waiting", IssuedAt: at(10, 38)},
			{ID: "t17", Number: "A-017", Service: "dwelling_replanning", State: "waiting", IssuedAt: at(10, 44)},
			{ID: "b04", Number: "Б-004", Service: "foreign_passport", State: "waiting", IssuedAt: at(10, 49)},
			{ID: "t18", Number: "A-018", Service: "archive_certificate", State: "waiting", Window: 3, IssuedAt: at(10, 51)},
			{ID: "t19", Number: "A-019", Service: "advertising_permit", State: "waiting", IssuedAt: at(10, 56)},
			{ID: "t20", Number: "A-020", Service: "legal_act_copy", State: "waiting", IssuedAt: at(10, 58)},
		},
		Today: api.DayFigures{Visitors: 41, Served: 21, NoShows: 2, AvgWaitSec: 372, MaxWaitSec: 1510,
			WithinNormPct: 87.5, AvgServiceSec: 684, ArrivalsLastHr: 19},
	}
}

func fixtureDay() *api.ReportDay {
	return &api.ReportDay{Date: "2025-03-12",
		Services: []api.ServiceFigures{
			{Service: "advertising_permit", Visitors: 14, Served: 9, AvgWaitSec: 300, AvgServiceSec: 610, WithinNormPct: 92.9, WaitNormMin: 15},
			{Service: "building_permit", Visitors: 8, Served: 4, AvgWaitSec: 610, AvgServiceSec: 905, WithinNormPct: 62.5, WaitNormMin: 15},
			{Service: "foreign_passport", Visitors: 11, Served: 5, AvgWaitSec: 420, AvgServiceSec: 720, WithinNormPct: 90.9, WaitNormMin: 15},
			{Service: "legal_act_copy", Visitors: 8, Served: 3, AvgWaitSec: 150, AvgServiceSec: 300, WithinNormPct: 100, WaitNormMin: 15},
		},
		Operators: []api.OperatorFigures{
			{Operator: "anna", Windows: []int{1}, Served: 9, AvgServiceSec: 640},
			{Operator: "boris", Windows: []int{2}, Served: 5, AvgServiceSec: 720},
			{Operator: "vera", Windows: []int{3, 5}, Served: 7, AvgServiceSec: 702},
		},
		Ratings: api.RatingFigures{Count: 12, Avg: 4.25, Below4Pct: 16.7,
			Windows:  []api.RatingGroup{{Key: "1", Count: 5, Avg: 4.6}, {Key: "2", Count: 4, Avg: 3.5, Below4Pct: 50}, {Key: "3", Count: 3, Avg: 4.67}},
			Services: []api.RatingGroup{{Key: "advertising_permit", Count: 8, Avg: 4.5, Below4Pct: 12.5}, {Key: "legal_act_copy", Count: 4, Avg: 3.75, Below4Pct: 25}},
			Clerks:   []api.RatingGroup{{Key: "anna", Count: 5, Avg: 4.6}, {Key: "boris", Count: 4, Avg: 3.5, Below4Pct: 50}, {Key: "vera", Count: 3, Avg: 4.67}},
		},
	}
}

func fixtureAttention() *api.Attention {
	return &api.Attention{Office: "IRK", At: now.UTC(), RejectedSince: now.AddDate(0, 0, -7).UTC(),
		Overdue: []domain.CaseView{
			{ID: "c1", Number: "IRK-01-250110-0004-3", Service: "dwelling_replanning", State: domain.CaseInWork, Deadline: "2025-03-03"},
			{ID: "c2", Number: "IRK-02-250117-0011-8", Service: "building_permit", State: domain.CaseMoreDocs, Deadline: "2025-03-10"},
		},
		OverdueTotal: 2,
		Unclaimed: []domain.CaseView{
			{ID: "c3", Number: "IRK-03-250105-0002-5", Service: "archive_certificate", State: domain.CaseReady, ReadyAt: at(9, 0).AddDate(0, 0, -41)},
		},
		UnclaimedTotal: 1,
		Rejected: []api.RejectedEvent{
			{ID: "e1", Window: 2, Seq: 118, At: at(9, 14), Kind: domain.EvCaseHandedOff, Actor: "boris",
				Reason: "case 01a2… is unknown to the central: its case.opened event must come first", ReceivedAt: at(9, 15)},
		},
		RejectedTotal: 1,
	}
}

// fakeFeed is a Feed the test drives: each Watch gets a channel the test
// writes to.
type fakeFeed struct {
	mu      sync.Mutex
	offices []api.OfficeInfo
	err     error
	chans   map[string]chan link.LiveUpdate
	watched []string
	calls   []string
	actErr  error
}

func newFakeFeed(offices ...string) *fakeFeed {
	f := &fakeFeed{chans: map[string]chan link.LiveUpdate{}}
	for _, o := range offices {
		f.offices = append(f.offices, api.OfficeInfo{Code: o, Windows: 5})
	}
	return f
}

func (f *fakeFeed) channel(office string) chan link.LiveUpdate {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.chans[office]
	if ch == nil {
		ch = make(chan link.LiveUpdate, 16)
		f.chans[office] = ch
	}
	return ch
}

func (f *fakeFeed) Watch(ctx context.Context, office string) <-chan link.LiveUpdate {
	f.mu.Lock()
	f.watched = append(f.watched, office)
	f.mu.Unlock()
	return f.channel(office)
}

func (f *fakeFeed) Offices(context.Context) ([]api.OfficeInfo, error) { return f.offices, f.err }

// The fake's hands record what the supervisor did ("move t15 3", "prio
// t17 1 reason", "close 4 reason") and answer actErr.
func (f *fakeFeed) MoveTicket(_ context.Context, office, id string, window int, reason string) error {
	call := fmt.Sprintf("move %s %s %d", office, id, window)
	if reason != "" {
		call += " " + reason
	}
	return f.did(call)
}

func (f *fakeFeed) SetPriority(_ context.Context, office, id string, rank int, reason string) error {
	return f.did(fmt.Sprintf("prio %s %s %d %s", office, id, rank, reason))
}

func (f *fakeFeed) CloseWindow(_ context.Context, office string, window int, reason string) error {
	return f.did(fmt.Sprintf("close %s %d %s", office, window, reason))
}

func (f *fakeFeed) ReturnResult(_ context.Context, office, caseID, reason string) error {
	return f.did(fmt.Sprintf("return %s %s %s", office, caseID, reason))
}

func (f *fakeFeed) ExtendCollect(_ context.Context, office, caseID string, days int, reason string) error {
	return f.did(fmt.Sprintf("extend %s %s %d %s", office, caseID, days, reason))
}

func (f *fakeFeed) did(call string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	return f.actErr
}

// fullUpdate is everything of the fixture in one update.
func fullUpdate() link.LiveUpdate {
	return link.LiveUpdate{Stream: link.StreamUp, Snapshot: fixtureSnapshot(), Day: fixtureDay(), Attention: fixtureAttention()}
}

func testCommon(t testing.TB, lang i18n.Lang, office string) *common.Common {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c := common.New(ctx, common.Options{Lang: lang, Now: func() time.Time { return now }})
	c.Operator = domain.Operator{Login: "sup", Name: "Supervisor", Role: domain.RoleSupervisor, Office: office}
	return c
}

// frame is a stand-in for the root model: a bar line, the screen in the
// rest but one line, and the help line, so goldens look like the TUI.
type frame struct {
	m    *Model
	help help.Model
	w, h int
}

func newFrame(m *Model) *frame { return &frame{m: m, help: help.New(), w: 80, h: 24} }

func (f *frame) Init() tea.Cmd { return f.m.Init() }

func (f *frame) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s, ok := msg.(tea.WindowSizeMsg); ok {
		f.w, f.h = s.Width, s.Height
		f.m.SetSize(s.Width, s.Height-2)
		f.help.Width = s.Width
		return f, nil
	}
	_, cmd := f.m.Update(msg)
	return f, cmd
}

func (f *frame) View() string {
	bar := common.Fit(" okno  IRK  sup", f.w)
	return bar + "\n" + common.Lines(f.m.View(), f.h-2) + "\n" + f.help.ShortHelpView(f.m.ShortHelp())
}
