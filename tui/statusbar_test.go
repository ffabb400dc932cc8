package tui

import (
	"context"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// The status bar's count is the outbox's, whatever the link last said;
// it follows every write, and ctrl+r asks for a sync from any screen.
func TestStatusBarCountIsTheOutboxs(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	ctx := context.Background()
	v := e.Visitor(t, fedorov())
	e.Case(t, v.ID, "replanning", "")
	e.Link.SetStatus(link.Status{State: link.Offline, Pending: 1})
	ob, err := e.Store.Outbox(ctx)
	if err != nil || ob.Pending < 2 {
		t.Fatalf("outbox %+v %v", ob, err)
	}
	a := start(t, e, i18n.RU, true)
	a.wait("к отправке: " + strconv.Itoa(ob.Pending))
	e.Case(t, v.ID, "kindergarten", "")
	a.wait("к отправке: " + strconv.Itoa(ob.Pending+1))
	syncs := e.Link.Syncs()
	a.keys(tea.KeyF4)
	a.wait("Найти:", "0002-7 черновик")
	a.keys(tea.KeyCtrlR)
	a.golden()
	if e.Link.Syncs() == syncs {
		t.Errorf("ctrl+r on the cases screen did not ask for a sync")
	}
}

// The sync screen says what failed in the screen's language: the
// central's status code, not its English words.
func TestSyncScreenSpeaksTheScreensLanguage(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	e.Link.SetStatus(link.Status{State: link.Degraded, Problem: link.CentralFailing, Code: 502,
		Detail: "the central answered 502: bad gateway", Err: "the central answered 502: bad gateway"})
	a := start(t, e, i18n.UK, true)
	a.keys(tea.KeyF5)
	a.wait("центр відповів помилкою 502")
	a.tm.Quit()
	if v := a.tm.FinalModel(t).View(); strings.Contains(v, "bad gateway") {
		t.Errorf("English on a Ukrainian screen:\n%s", v)
	}
}
