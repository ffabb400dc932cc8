package tui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/lock"
	"github.com/okno-mfc/okno/tui/signin"
)

// Session is what the root records of the operator's session: the
// window closed by a sign-out and open again at the next sign-in
// (*localdb.Store is one).
type Session interface {
	SignOut(ctx context.Context, actor string) error
	SignedIn(ctx context.Context, actor string) error
}

// signedOutMsg answers signOutCmd.
type signedOutMsg struct{ err error }

func signOutCmd(c *common.Common, st Session) tea.Cmd {
	actor := c.Actor()
	return func() tea.Msg { return signedOutMsg{err: st.SignOut(c.Ctx, actor)} }
}

// openWindowCmd records the window open again after a sign-out; a failure
// is logged (the window still works: the supervisor sees it closed until
// the next event).
func openWindowCmd(c *common.Common, st Session, actor string) tea.Cmd {
	return func() tea.Msg {
		if err := st.SignedIn(c.Ctx, actor); err != nil {
			c.Log.Printf("recording the window open: %v", err)
		}
		return nil
	}
}

// workOpen says what is left undone on the screens: a ticket at the
// window, a draft on the checklist, a form with data typed ("" if
// nothing).
func (m *Model) workOpen() string {
	var out []string
	for i := len(m.stack) - 1; i >= 0; i-- {
		if w, ok := m.stack[i].(interface{ WorkOpen() string }); ok {
			if s := w.WorkOpen(); s != "" {
				out = append(out, s)
			}
		}
	}
	return strings.Join(out, " ")
}

// sessionKey handles the keys of the session before anything else: the
// lock takes every key while it is on, a question about quitting takes
// the answer, and ctrl+c, the sign-out and the lock key act. done says the
// key was taken.
func (m *Model) sessionKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k, c := m.c.Keys, m.c
	m.lastKey = c.Now()
	if m.lock != nil {
		unlocked, cmd := m.lock.Update(msg)
		if unlocked {
			m.lock = nil
		}
		return cmd, true
	}
	if m.quitAsk != "" {
		switch {
		case key.Matches(msg, k.Quit, k.Yes):
			return tea.Quit, true
		case key.Matches(msg, k.Back):
			m.quitAsk = ""
		}
		return nil, true
	}
	signedIn := c.Operator.Login != ""
	switch {
	case key.Matches(msg, k.Quit):
		if w := m.workOpen(); w != "" {
			m.quitAsk = c.T.S("quit.ask", w)
			return nil, true
		}
		return tea.Quit, true
	case signedIn && key.Matches(msg, k.Lock):
		m.lock = lock.New(c)
		return nil, true
	case signedIn && key.Matches(msg, k.SignOut):
		if isDepartment(c) {
			// A department's officer never opened the window: nothing to close.
			return func() tea.Msg { return signedOutMsg{} }, true
		}
		return signOutCmd(c, m.st), true
	}
	return nil, false
}

// idle locks the screen when no key came for the idle time.
func (m *Model) idle() {
	c := m.c
	if m.lock == nil && c.IdleLock > 0 && c.Operator.Login != "" && c.Now().Sub(m.lastKey) >= c.IdleLock {
		m.lock = lock.New(c)
		m.quitAsk, m.showHelp = "", false
	}
}

// signedOut goes back to the sign-in screen, or says why the window
// cannot close yet.
func (m *Model) signedOut(msg signedOutMsg) tea.Cmd {
	c := m.c
	if msg.err != nil {
		return m.route1(common.GoQueue{Notice: c.Err(msg.err)})
	}
	notice := c.T.S("signout.done")
	if isDepartment(c) {
		notice = c.T.S("desk.signed_out")
	}
	c.Operator, c.Online = domain.Operator{}, false
	s := signin.New(c)
	s.SetNotice(notice)
	return m.reset(s)
}

// route1 routes one navigation message.
func (m *Model) route1(msg tea.Msg) tea.Cmd {
	cmd, _ := m.route(msg)
	return cmd
}

// sessionView is the lock, or the question about quitting, in place of
// the screen; ok is false when neither is on.
func (m *Model) sessionView() (body, help string, ok bool) {
	switch {
	case m.lock != nil:
		return m.lock.View(m.width), m.help.ShortHelpView(m.lock.Keys()), true
	case m.quitAsk != "":
		box := m.c.Styles.Alert.Render(common.Wrap(m.quitAsk, max(10, min(72, m.width-4))))
		return "\n" + box, m.help.ShortHelpView([]key.Binding{m.c.Keys.Yes, m.c.Keys.Back}), true
	}
	return "", "", false
}

// outboxMsg is the outbox's depth as the store has it.
type outboxMsg localdb.OutboxStats

// outboxCmd reads the outbox's depth: the status bar's count is always
// the store's, whatever the link last said.
func outboxCmd(c *common.Common, st Store) tea.Cmd {
	return func() tea.Msg {
		ob, err := st.Outbox(c.Ctx)
		if err != nil {
			c.Log.Printf("reading the outbox: %v", err)
			return nil
		}
		return outboxMsg(ob)
	}
}
