package queue

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
)

// Store is what the queue screen reads and records: the window's queues
// and the moves of its tickets (*localdb.Store is one).
type Store interface {
	Waiting(ctx context.Context) ([]localdb.Ticket, error)
	OfficeWaiting(ctx context.Context) ([]localdb.Ticket, error)
	Postponed(ctx context.Context) ([]localdb.Ticket, error)
	Current(ctx context.Context) (localdb.Ticket, bool, error)
	OnBreak(ctx context.Context) (bool, time.Time, error)
	SetBreak(ctx context.Context, actor string, on bool, reason string) error
	IssueTicket(ctx context.Context, actor, service, category, proof string) (localdb.Ticket, error)
	Move(ctx context.Context, actor, ticketID string, kind domain.EventKind) (localdb.Ticket, error)
	Redirect(ctx context.Context, actor, ticketID, service string, window int) (localdb.Ticket, error)
	DraftsOfTicket(ctx context.Context, ticketID string) ([]domain.CaseView, error)
	Visitor(ctx context.Context, id string) (domain.Visitor, error)
	OfficeWindows(ctx context.Context) ([]int, error)
	CaseByNumber(ctx context.Context, number string) (*domain.CaseView, error)
}

// loadedMsg is the queue as the store has it.
type loadedMsg struct {
	tag        common.Tag
	read       int // the read's number (Model.load)
	waiting    []localdb.Ticket
	postponed  []localdb.Ticket
	current    localdb.Ticket
	hasCur     bool
	onBreak    bool
	breakSince time.Time
	windows    []int // the office's windows (empty: not known)
}

// breakMsg answers breakCmd.
type breakMsg struct {
	tag common.Tag
	on  bool
}

// breakCmd starts or ends the window's break.
func breakCmd(c *common.Common, st Store, tag common.Tag, on bool) tea.Cmd {
	return func() tea.Msg {
		if err := st.SetBreak(c.Ctx, c.Actor(), on, ""); err != nil {
			return common.Fail(tag, err)
		}
		return breakMsg{tag: tag, on: on}
	}
}

// calledMsg answers callNextCmd.
type calledMsg struct {
	tag    common.Tag
	ticket localdb.Ticket
	shared bool
}

// movedMsg answers moveCmd, redirectCmd and issueCmd.
type movedMsg struct {
	tag    common.Tag
	ticket localdb.Ticket
	kind   domain.EventKind
}

func loadCmd(c *common.Common, st Store, tag common.Tag, read int) tea.Cmd {
	return func() tea.Msg {
		// Online the office's shared queue decides who is next, so the
		// screen shows every ticket waiting in the office; offline, the
		// window's own queue, which is what "call next" then serves.
		waiting := st.Waiting
		if c.Link != nil && c.Link.Status().State != link.Offline {
			waiting = st.OfficeWaiting
		}
		w, err := waiting(c.Ctx)
		if err != nil {
			return common.Fail(tag, err)
		}
		p, err := st.Postponed(c.Ctx)
		if err != nil {
			return common.Fail(tag, err)
		}
		cur, ok, err := st.Current(c.Ctx)
		if err != nil {
			return common.Fail(tag, err)
		}
		onBreak, since, err := st.OnBreak(c.Ctx)
		if err != nil {
			return common.Fail(tag, err)
		}
		wins, err := st.OfficeWindows(c.Ctx)
		if err != nil {
			return common.Fail(tag, err)
		}
		return loadedMsg{tag: tag, read: read, waiting: w, postponed: p, current: cur, hasCur: ok, onBreak: onBreak, breakSince: since, windows: wins}
	}
}

func callNextCmd(c *common.Common, st Store, tag common.Tag) tea.Cmd {
	return func() tea.Msg {
		t, shared, err := c.Link.CallNext(c.Ctx, c.Actor(), c.Equipment)
		if err != nil {
			return common.Fail(tag, err)
		}
		return calledMsg{tag: tag, ticket: t, shared: shared}
	}
}

func moveCmd(c *common.Common, st Store, tag common.Tag, ticketID string, kind domain.EventKind) tea.Cmd {
	return func() tea.Msg {
		t, err := st.Move(c.Ctx, c.Actor(), ticketID, kind)
		if err != nil {
			return common.Fail(tag, err)
		}
		return movedMsg{tag: tag, ticket: t, kind: kind}
	}
}

func redirectCmd(c *common.Common, st Store, tag common.Tag, ticketID, service string, window int) tea.Cmd {
	return func() tea.Msg {
		t, err := st.Redirect(c.Ctx, c.Actor(), ticketID, service, window)
		if err != nil {
			return common.Fail(tag, err)
		}
		return movedMsg{tag: tag, ticket: t, kind: domain.EvTicketRedirected}
	}
}

func issueCmd(c *common.Common, st Store, tag common.Tag, service, category, proof string) tea.Cmd {
	return func() tea.Msg {
		t, err := st.IssueTicket(c.Ctx, c.Actor(), service, category, proof)
		if err != nil {
			return common.Fail(tag, err)
		}
		return movedMsg{tag: tag, ticket: t, kind: domain.EvTicketIssued}
	}
}
