package queue

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/field"
	"github.com/okno-mfc/okno/tui/components/picker"
)

// panel asks for a new walk-in ticket (service, category, proof) or for
// where to redirect a ticket (service, window).
type panel struct {
	c        *common.Common
	redirect bool
	ticket   localdb.Ticket
	step     int
	services *picker.Model
	cats     *picker.Model
	input    *field.Field // proof (issue) or window (redirect)
	out      outcome
	err      string
	windows  []int // the office's windows a ticket may be sent to (empty: not known)
}

// outcome is what the panel asked for.
type outcome struct {
	redirect bool
	ticketID string
	service  string
	category string
	proof    string
	window   int
}

func serviceItems(c *common.Common, keep bool) []picker.Item {
	var items []picker.Item
	if keep {
		items = append(items, picker.Item{ID: "", Title: c.T.S("queue.same_service")})
	}
	for _, s := range c.Place.Catalog().Services {
		it := picker.Item{ID: s.Code, Title: s.Name(string(c.T.Lang)), Detail: s.Prefix}
		if !domain.CanServe(&s, c.Equipment) {
			it.Dimmed = true
			it.Detail += " ⚙ " + strings.Join(s.Equipment, ",")
		}
		items = append(items, it)
	}
	return items
}

func newIssuePanel(c *common.Common) *panel {
	p := &panel{c: c}
	p.services = picker.New(c.Keys, c.T.S("queue.filter"), serviceItems(c, false))
	items := []picker.Item{{ID: "", Title: c.T.S("queue.ordinary")}}
	for _, cat := range c.Place.Catalog().Categories {
		items = append(items, picker.Item{ID: cat.Code, Title: cat.Name(string(c.T.Lang)), Detail: c.T.S("queue.rank", cat.Rank)})
	}
	p.cats = picker.New(c.Keys, c.T.S("queue.filter"), items)
	p.input = field.New(c.T.S("field.proof"), "").Styled(c.Styles)
	return p
}

func newRedirectPanel(c *common.Common, t localdb.Ticket, windows []int) *panel {
	p := &panel{c: c, redirect: true, ticket: t, windows: windows}
	p.services = picker.New(c.Keys, c.T.S("queue.filter"), serviceItems(c, true))
	p.input = field.New(c.T.S("field.window"), c.T.S("queue.any_window")).Styled(c.Styles)
	p.input.Input.CharLimit = 3
	p.out = outcome{redirect: true, ticketID: t.ID}
	return p
}

// update moves the panel on; it returns the outcome when the clerk is done.
func (p *panel) update(msg tea.KeyMsg) (*outcome, tea.Cmd) {
	p.err = ""
	switch p.step {
	case 0:
		chosen, cmd := p.services.Update(msg)
		if chosen == nil {
			return nil, cmd
		}
		p.out.service = chosen.ID
		p.step = 1
		if p.redirect {
			return nil, p.input.Focus()
		}
		return nil, nil
	case 1:
		if p.redirect {
			return p.windowStep(msg)
		}
		chosen, cmd := p.cats.Update(msg)
		if chosen == nil {
			return nil, cmd
		}
		if chosen.ID == "" {
			return &p.out, nil
		}
		p.out.category = chosen.ID
		if cat, ok := p.c.Place.Catalog().Category(chosen.ID); ok {
			p.input.SetValue(cat.Proof + " № ")
			p.input.Input.CursorEnd()
		}
		p.step = 2
		return nil, p.input.Focus()
	default:
		if key.Matches(msg, p.c.Keys.Submit) {
			proof := strings.TrimSpace(p.input.Value())
			if err := domain.CheckProof(proof); err != nil {
				p.err = p.c.Err(err)
				return nil, nil
			}
			p.out.proof = proof
			return &p.out, nil
		}
		return nil, p.input.Update(msg)
	}
}

func (p *panel) windowStep(msg tea.KeyMsg) (*outcome, tea.Cmd) {
	if !key.Matches(msg, p.c.Keys.Submit) {
		return nil, p.input.Update(msg)
	}
	v := strings.TrimSpace(p.input.Value())
	if v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			p.err = p.c.T.S("queue.window_not_number", v) + " " + p.windowsHint()
			return nil, nil
		case n < 1 || n > 999:
			p.err = p.c.T.S("queue.bad_window") + " " + p.windowsHint()
			return nil, nil
		case len(p.windows) > 0 && !slices.Contains(p.windows, n):
			p.err = p.c.T.S("queue.no_such_window", n) + " " + p.windowsHint()
			return nil, nil
		}
		p.out.window = n
	}
	if p.out.service == "" && p.out.window == 0 {
		p.err = p.c.T.S("queue.redirect_nothing")
		return nil, nil
	}
	return &p.out, nil
}

// windowsHint says which windows there are, or that empty means any.
func (p *panel) windowsHint() string {
	if len(p.windows) == 0 {
		return p.c.T.S("queue.window_empty_any")
	}
	ws := make([]string, len(p.windows))
	for i, n := range p.windows {
		ws[i] = strconv.Itoa(n)
	}
	return p.c.T.S("queue.windows_are", strings.Join(ws, ", "))
}

func (p *panel) view(w, h int) string {
	s, t := p.c.Styles, p.c.T
	var b strings.Builder
	if p.redirect {
		b.WriteString(s.Subtitle.Render(t.S("queue.redirect_title", p.ticket.Number)) + "\n")
	} else {
		b.WriteString(s.Subtitle.Render(t.S("queue.issue_title")) + "\n")
	}
	switch {
	case p.step == 0:
		b.WriteString(s.Muted.Render(t.S("queue.choose_service")) + "\n")
		b.WriteString(p.services.View(s, w, h-3))
	case p.step == 1 && p.redirect:
		b.WriteString(s.Muted.Render(t.S("queue.choose_window")) + "\n")
		b.WriteString(p.input.View(s, 14, 6, w))
	case p.step == 1:
		b.WriteString(s.Muted.Render(t.S("queue.choose_category")) + "\n")
		b.WriteString(p.cats.View(s, w, h-3))
	default:
		b.WriteString(s.Muted.Render(t.S("queue.type_proof")) + "\n")
		b.WriteString(p.input.View(s, 18, max(10, w-24), w))
	}
	if p.err != "" {
		b.WriteString("\n" + s.Error.Render(p.err))
	}
	return b.String()
}
