package intake

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
)

// debounce is how long the search waits after a key before it asks the
// store: a fast typist sends one query, not one per letter.
const debounce = 120 * time.Millisecond

// searchLimit is how many visitors a search shows.
const searchLimit = 50

// Store is what the intake screen reads and records: visitors (and
// *localdb.Store is one).
type Store interface {
	FindVisitors(ctx context.Context, q string, limit int) ([]localdb.VisitorHit, error)
	Visitor(ctx context.Context, id string) (domain.Visitor, error)
	Duplicates(ctx context.Context, v domain.Visitor) ([]localdb.Duplicate, error)
	RegisterVisitor(ctx context.Context, actor string, v domain.Visitor) (domain.Visitor, error)
	WithdrawConsent(ctx context.Context, actor, visitorID string) (domain.Visitor, error)
}

// consentMsg carries a visitor whose consent the clerk asked to withdraw.
type consentMsg struct {
	tag     common.Tag
	visitor domain.Visitor
	done    bool // withdrawn already (the store's answer)
}

// consentCmd loads the visitor the clerk picked for a withdrawal.
func consentCmd(c *common.Common, st Store, tag common.Tag, id string) tea.Cmd {
	return func() tea.Msg {
		v, err := st.Visitor(c.Ctx, id)
		if err != nil {
			return common.Fail(tag, err)
		}
		return consentMsg{tag: tag, visitor: v}
	}
}

// withdrawCmd records the withdrawal (a visitor.updated event without the
// consent).
func withdrawCmd(c *common.Common, st Store, tag common.Tag, id string) tea.Cmd {
	return func() tea.Msg {
		v, err := st.WithdrawConsent(c.Ctx, c.Actor(), id)
		if err != nil {
			return common.Fail(tag, err)
		}
		return consentMsg{tag: tag, visitor: v, done: true}
	}
}

// debouncedMsg fires after the pause; it carries the query it was for.
type debouncedMsg struct {
	tag   common.Tag
	query string
}

// foundMsg carries the visitors found for query.
type foundMsg struct {
	tag   common.Tag
	query string
	hits  []localdb.VisitorHit
}

// visitorMsg carries a visitor chosen or registered.
type visitorMsg struct {
	tag     common.Tag
	visitor domain.Visitor
}

// dupMsg carries the visitors already registered with the new visitor's
// document number, SNILS, INN or RNOKPP.
type dupMsg struct {
	tag  common.Tag
	hits []localdb.Duplicate
}

func debounceCmd(tag common.Tag, query string) tea.Cmd {
	return tea.Tick(debounce, func(time.Time) tea.Msg { return debouncedMsg{tag: tag, query: query} })
}

func searchCmd(c *common.Common, st Store, tag common.Tag, query string) tea.Cmd {
	return func() tea.Msg {
		hits, err := st.FindVisitors(c.Ctx, query, searchLimit)
		if err != nil {
			return common.Fail(tag, err)
		}
		return foundMsg{tag: tag, query: query, hits: hits}
	}
}

func loadVisitorCmd(c *common.Common, st Store, tag common.Tag, id string) tea.Cmd {
	return func() tea.Msg {
		v, err := st.Visitor(c.Ctx, id)
		if err != nil {
			return common.Fail(tag, err)
		}
		return visitorMsg{tag: tag, visitor: v}
	}
}

func dupCheckCmd(c *common.Common, st Store, tag common.Tag, v domain.Visitor) tea.Cmd {
	return func() tea.Msg {
		hits, err := st.Duplicates(c.Ctx, v)
		if err != nil {
			return common.Fail(tag, err)
		}
		return dupMsg{tag: tag, hits: hits}
	}
}

func registerCmd(c *common.Common, st Store, tag common.Tag, v domain.Visitor) tea.Cmd {
	return func() tea.Msg {
		v, err := st.RegisterVisitor(c.Ctx, c.Actor(), v)
		if err != nil {
			return common.Fail(tag, err)
		}
		return visitorMsg{tag: tag, visitor: v}
	}
}
