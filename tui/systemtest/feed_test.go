package systemtest

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// window is a workstation enrolled with srv: its store and its link.
type window struct {
	st   *localdb.Store
	link *link.Link
	dir  string
}

func enrolled(t *testing.T, srv *centraltest.Server, n int) *window {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Init(ctx, "IRK", n); err != nil {
		t.Fatal(err)
	}
	ws := srv.Enrol(t, "IRK", n)
	st.SetSigner(link.KeySigner{Key: ws.Key})
	l := link.New(link.Config{Store: st, Client: srv.Client(t, ""), Hash: passwd.Fast,
		Cred:       link.Credential{Central: srv.URL, Office: "IRK", Window: n, Login: ws.Login, Secret: ws.Secret},
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Idle: 20 * time.Millisecond, Probe: 20 * time.Millisecond})
	return &window{st: st, link: l, dir: dir}
}

func (w *window) sync(t *testing.T) {
	t.Helper()
	if _, err := w.link.SyncOnce(context.Background()); err != nil {
		t.Fatalf("sync: %v", err)
	}
}

// TestFeedRefreshesCasesScreen: window 3 has its cases screen open on a
// ready case; window 4 issues the result. The feed brings it to window 3's
// link, the store announces what the feed changed, and the open screen
// shows the case issued, without a key pressed or the screen reopened.
func TestFeedRefreshesCasesScreen(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := centraltest.Start(t)
	here, there := enrolled(t, srv, 3), enrolled(t, srv, 4)

	// Window 3 takes a request in and hands it off; the department makes
	// the result ready.
	v, err := here.st.RegisterVisitor(ctx, "anna", domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := here.st.OpenCase(ctx, "anna", v.ID, "kindergarten_queue", "")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := here.st.Checklist(ctx, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := here.st.CheckDocument(ctx, "anna", cs.ID, domain.DocumentPayload{Doc: r.Code, Presented: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := here.st.HandOff(ctx, "anna", cs.ID, ""); err != nil {
		t.Fatal(err)
	}
	here.sync(t)
	dept := srv.Client(t, srv.Session(t, "dept", domain.RoleDepartment, "IRK", 0))
	for _, st := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseReady} {
		if _, err := dept.SetStatus(ctx, cs.ID, api.StatusRequest{Status: st}); err != nil {
			t.Fatal(err)
		}
	}
	here.sync(t)
	there.sync(t)

	// Window 3's TUI, its link running as in okno, on the cases screen.
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		_ = here.link.Run(ctx)
	}()
	defer func() { cancel(); <-ran }()
	c := common.New(ctx, common.Options{Lang: i18n.EN, Place: here.st, Link: here.link, DataDir: here.dir})
	tm := teatest.NewTestModel(t, tui.New(c, here.st), teatest.WithInitialTermSize(80, 24))
	tm.Send(common.SignedIn{Operator: domain.Operator{Login: "anna", Name: "Anna", Role: domain.RoleClerk, Office: "IRK", Window: 3}})
	tm.Send(tea.KeyMsg{Type: tea.KeyF4})
	out := tm.Output()
	waitOut(t, out, cs.Number, "ready")

	// Window 4 issues the result.
	if _, err := there.st.IssueResult(ctx, "boris", cs.ID, domain.IssuePayload{Note: "", Receiver: &domain.Receiver{Kind: domain.ReceiverApplicant, Name: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456"}}); err != nil {
		t.Fatal(err)
	}
	there.sync(t)
	waitOut(t, out, "issued")

	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	view := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
	for _, line := range strings.Split(view, "\n") {
		if strings.Contains(line, cs.Number) && !strings.Contains(line, "issued") {
			t.Fatalf("the case's row: %q", line)
		}
	}
}

// waitOut waits until the TUI's output has shown every text.
func waitOut(t *testing.T, out interface{ Read([]byte) (int, error) }, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, out, func(b []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}
