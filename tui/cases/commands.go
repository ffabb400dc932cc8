package cases

import (
	"context"
	"errors"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/receipt"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/handoff"
	"github.com/okno-mfc/okno/tui/i18n"
)

// Store is what the cases screen reads and records: cases, their
// visitors, checklists and histories, and the result issued
// (*localdb.Store is one).
type Store interface {
	FindCases(ctx context.Context, f localdb.CaseFilter) ([]domain.CaseView, error)
	FindVisitors(ctx context.Context, q string, limit int) ([]localdb.VisitorHit, error)
	Visitor(ctx context.Context, id string) (domain.Visitor, error)
	Case(ctx context.Context, id string) (*domain.CaseView, error)
	CaseByNumber(ctx context.Context, number string) (*domain.CaseView, error)
	EventsOf(ctx context.Context, caseID string) ([]domain.Event, error)
	Checklist(ctx context.Context, caseID string) ([]domain.ChecklistRow, error)
	IssueResult(ctx context.Context, actor, caseID string, p domain.IssuePayload) (*domain.CaseView, error)
	Withdraw(ctx context.Context, actor, caseID, reason string) (*domain.CaseView, error)
	OfficeSettings(ctx context.Context) (localdb.OfficeSettings, error)
	Catalog() *domain.Catalog
}

// listLimit is how many cases a list shows.
const listLimit = 200

// row is a case in the list, with its visitor's name.
type row struct {
	cs   domain.CaseView
	name string
}

// listMsg carries a list of cases for a query and a state filter.
type listMsg struct {
	tag     common.Tag
	query   string
	filter  domain.CaseState
	rows    []row
	refresh bool // read again after a change: the cursor stays
	read    int  // the re-read's number (Model.refreshed)
}

// detailMsg carries one case with what the detail shows.
type detailMsg struct {
	tag     common.Tag
	cs      *domain.CaseView
	visitor domain.Visitor
	events  []domain.Event
	rows    []domain.ChecklistRow
	refresh bool // read again after a change: shown only if the case still is
	read    int  // the re-read's number (Model.refreshed)
}

// withdrawnMsg says the case was withdrawn (a draft cancelled).
type withdrawnMsg struct {
	tag common.Tag
	cs  *domain.CaseView
}

// issuedMsg says the result was issued, and where its issue record went.
type issuedMsg struct {
	tag    common.Tag
	cs     *domain.CaseView
	record recordMsg
}

// recordMsg says where an issue record was saved and printed; err is what
// kept it from being made or printed (the issue itself stands).
type recordMsg struct {
	tag     common.Tag
	saved   string // the PDF under DATA/receipts
	printed string // where the printer put it; "" with no printer
	err     error
}

func states(filter domain.CaseState) []domain.CaseState {
	if filter == "" {
		return nil
	}
	return []domain.CaseState{filter}
}

// listCmd lists the newest cases (query ""), or the cases of the visitors
// a query finds, with the state filter.
func listCmd(c *common.Common, st Store, tag common.Tag, query string, filter domain.CaseState) tea.Cmd {
	return func() tea.Msg {
		var found []domain.CaseView
		if strings.TrimSpace(query) == "" {
			cs, err := st.FindCases(c.Ctx, localdb.CaseFilter{States: states(filter), Limit: listLimit})
			if err != nil {
				return common.Fail(tag, err)
			}
			found = cs
		} else {
			hits, err := st.FindVisitors(c.Ctx, query, 20)
			if err != nil {
				return common.Fail(tag, err)
			}
			for _, h := range hits {
				cs, err := st.FindCases(c.Ctx, localdb.CaseFilter{VisitorID: h.ID, States: states(filter), Limit: listLimit})
				if err != nil {
					return common.Fail(tag, err)
				}
				found = append(found, cs...)
			}
		}
		names := map[string]string{}
		rows := make([]row, 0, len(found))
		for _, cs := range found {
			name, ok := names[cs.VisitorID]
			if !ok {
				if v, err := st.Visitor(c.Ctx, cs.VisitorID); err == nil {
					name = v.FullName
				}
				names[cs.VisitorID] = name
			}
			rows = append(rows, row{cs: cs, name: name})
		}
		return listMsg{tag: tag, query: query, filter: filter, rows: rows}
	}
}

// byNumberCmd opens the case with this number.
func byNumberCmd(c *common.Common, st Store, tag common.Tag, number string) tea.Cmd {
	return func() tea.Msg {
		cs, err := st.CaseByNumber(c.Ctx, number)
		if errors.Is(err, domain.ErrNotFound) {
			return common.Fail(tag, i18n.Errorf("err.case_not_found", strings.ToUpper(strings.TrimSpace(number))))
		}
		if err != nil {
			return common.Fail(tag, err)
		}
		return detail(c, st, tag, cs)
	}
}

func detailCmd(c *common.Common, st Store, tag common.Tag, caseID string) tea.Cmd {
	return func() tea.Msg {
		cs, err := st.Case(c.Ctx, caseID)
		if err != nil {
			return common.Fail(tag, err)
		}
		return detail(c, st, tag, cs)
	}
}

func detail(c *common.Common, st Store, tag common.Tag, cs *domain.CaseView) tea.Msg {
	v, err := st.Visitor(c.Ctx, cs.VisitorID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return common.Fail(tag, err)
	}
	events, err := st.EventsOf(c.Ctx, cs.ID)
	if err != nil {
		return common.Fail(tag, err)
	}
	rows, err := st.Checklist(c.Ctx, cs.ID)
	if err != nil {
		return common.Fail(tag, err)
	}
	return detailMsg{tag: tag, cs: cs, visitor: v, events: events, rows: rows}
}

func issueCmd(c *common.Common, st Store, tag common.Tag, caseID string, p domain.IssuePayload) tea.Cmd {
	return func() tea.Msg {
		cs, err := st.IssueResult(c.Ctx, c.Actor(), caseID, p)
		if err != nil {
			return common.Fail(tag, err)
		}
		return issuedMsg{tag: tag, cs: cs, record: record(c, st, tag, caseID)}
	}
}

// recordCmd makes, saves and prints an issued case's issue record again.
func recordCmd(c *common.Common, st Store, tag common.Tag, caseID string) tea.Cmd {
	return func() tea.Msg { return record(c, st, tag, caseID) }
}

// record makes the issue record of an issued case in the office's
// language, saves it under DATA/receipts and prints it on the window's
// printer, if it has one.
func record(c *common.Common, st Store, tag common.Tag, caseID string) recordMsg {
	out := recordMsg{tag: tag}
	office, err := st.OfficeSettings(c.Ctx)
	if err != nil {
		out.err = err
		return out
	}
	lang := office.Lang()
	r, err := handoff.BuildIssue(c.Ctx, st, caseID, lang, c.Operator, c.Now().Location())
	if err != nil {
		out.err = err
		return out
	}
	r.Centre = receipt.Centre{Name: office.Name, Address: office.Address, Phone: office.Phone, Hours: office.Hours}
	if out.saved, err = handoff.SaveIssue(c.DataDir, r, lang); err != nil {
		out.err = err
		return out
	}
	if c.Printer != nil {
		out.printed, out.err = c.Printer.PrintIssue(c.Ctx, r, lang)
	}
	return out
}

func withdrawCmd(c *common.Common, st Store, tag common.Tag, caseID, reason string) tea.Cmd {
	return func() tea.Msg {
		cs, err := st.Withdraw(c.Ctx, c.Actor(), caseID, reason)
		if err != nil {
			return common.Fail(tag, err)
		}
		return withdrawnMsg{tag: tag, cs: cs}
	}
}
