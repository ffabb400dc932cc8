package supervisor

import (
	"strings"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/tui/common"
)

// picker is the list of offices a head-office supervisor chooses from.
type picker struct {
	c      *common.Common
	list   []api.OfficeInfo
	cur    common.Cursor
	loaded bool
}

func newPicker(c *common.Common) *picker { return &picker{c: c} }

// set fills the list, with the cursor on the office being watched.
func (p *picker) set(list []api.OfficeInfo, current string) {
	p.list, p.loaded = list, true
	p.cur.SetN(len(list))
	for i, o := range list {
		if o.Code == current {
			p.cur.Pos = i
		}
	}
	p.cur.Move(0)
}

func (p *picker) move(d int) { p.cur.Move(d) }

func (p *picker) chosen() (string, bool) {
	if len(p.list) == 0 {
		return "", false
	}
	return p.list[p.cur.Pos].Code, true
}

// view renders the list in a box of at most w×h.
func (p *picker) view(w, h int, listErr string) string {
	s, t := p.c.Styles, p.c.T
	var b strings.Builder
	b.WriteString(s.Strong.Render(t.S("sup.offices")) + "\n")
	switch {
	case listErr != "":
		b.WriteString(s.Error.Render(common.Cut(t.S("sup.offices_err", listErr), w-4)))
	case !p.loaded:
		b.WriteString(s.Muted.Render(t.S("sup.offices_loading")))
	default:
		p.cur.SetHeight(max(1, h-5))
		from, to := p.cur.Visible()
		for i := from; i < to; i++ {
			o := p.list[i]
			line := common.Fit("  "+t.S("sup.office_row", o.Code, o.Windows), max(10, w-6))
			if i == p.cur.Pos {
				line = s.Selected.Render(common.Fit("› "+t.S("sup.office_row", o.Code, o.Windows), max(10, w-6)))
			}
			b.WriteString(line)
			if i < to-1 {
				b.WriteByte('\n')
			}
		}
	}
	return s.Box.Width(max(20, w-2)).Render(b.String())
}
