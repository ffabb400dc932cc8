package styles

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Paint styles one line of text with colours and bold only: no layout, so
// it costs a string copy. lipgloss.Style.Render measures every line it
// renders, which on a list of a thousand tickets is most of a frame's cost;
// the screens use Paints for their rows and the status bar, and the
// lipgloss Styles for titles, panels and borders.
type Paint struct {
	st   termenv.Style
	pad  string
	none bool // the terminal takes no styles (ASCII profile)
}

// Render styles s.
func (p Paint) Render(s string) string {
	if p.pad != "" {
		s = p.pad + s + p.pad
	}
	if p.none {
		return s
	}
	return p.st.Styled(s)
}

// Paints are the fast line styles, the same names as in Styles.
type Paints struct {
	Title, Subtitle                                 Paint
	Text, Muted, Strong, OK, Warning, Error, Notice Paint
	Header, Row, Selected, Dimmed                   Paint
	Label, LabelFocused                             Paint
	Bar, BarItem, BarName                           Paint
	BarOnline, BarOffline, BarSyncing               Paint
	BarDegraded, BarAlert                           Paint
}

// newPaints builds the paints for the terminal lipgloss writes to.
func newPaints(t Theme) Paints {
	profile := lipgloss.ColorProfile()
	dark := lipgloss.HasDarkBackground()
	color := func(c lipgloss.AdaptiveColor) termenv.Color {
		if dark {
			return profile.Color(c.Dark)
		}
		return profile.Color(c.Light)
	}
	type opt struct {
		fg, bg *lipgloss.AdaptiveColor
		bold   bool
		pad    string
	}
	mk := func(o opt) Paint {
		st := profile.String()
		if o.fg != nil {
			st = st.Foreground(color(*o.fg))
		}
		if o.bg != nil {
			st = st.Background(color(*o.bg))
		}
		if o.bold {
			st = st.Bold()
		}
		return Paint{st: st, pad: o.pad, none: profile == termenv.Ascii}
	}
	return Paints{
		Title: mk(opt{fg: &t.Primary, bold: true}), Subtitle: mk(opt{fg: &t.Accent}),
		Text: mk(opt{fg: &t.Text}), Muted: mk(opt{fg: &t.Muted}), Strong: mk(opt{fg: &t.Text, bold: true}),
		OK: mk(opt{fg: &t.OK}), Warning: mk(opt{fg: &t.Warning}), Error: mk(opt{fg: &t.Error}), Notice: mk(opt{fg: &t.OK}),
		Header: mk(opt{fg: &t.Muted, bold: true}), Row: mk(opt{fg: &t.Text}),
		Selected: mk(opt{fg: &t.Text, bg: &t.Selection, bold: true}), Dimmed: mk(opt{fg: &t.Muted}),
		Label: mk(opt{fg: &t.Muted}), LabelFocused: mk(opt{fg: &t.Primary, bold: true}),
		Bar: mk(opt{fg: &t.BarFg, bg: &t.BarBg}), BarItem: mk(opt{fg: &t.BarFg, bg: &t.BarBg, pad: " "}),
		BarName:     mk(opt{fg: &t.BarFg, bg: &t.BarBg, bold: true, pad: " "}),
		BarOnline:   mk(opt{fg: &t.OK, bg: &t.BarBg, bold: true, pad: " "}),
		BarOffline:  mk(opt{fg: &t.Error, bg: &t.BarBg, bold: true, pad: " "}),
		BarSyncing:  mk(opt{fg: &t.Primary, bg: &t.BarBg, bold: true, pad: " "}),
		BarDegraded: mk(opt{fg: &t.Warning, bg: &t.BarBg, bold: true, pad: " "}),
		BarAlert:    mk(opt{fg: &t.Error, bg: &t.BarBg, bold: true, pad: " "}),
	}
}
