// Package styles holds every style the screens use, built from one small
// Theme of adaptive colours (light and dark terminals), so no screen names a
// colour of its own.
package styles

import "github.com/charmbracelet/lipgloss"

// Theme is the palette.
type Theme struct {
	Text      lipgloss.AdaptiveColor
	Muted     lipgloss.AdaptiveColor
	Primary   lipgloss.AdaptiveColor
	Accent    lipgloss.AdaptiveColor
	OK        lipgloss.AdaptiveColor
	Warning   lipgloss.AdaptiveColor
	Error     lipgloss.AdaptiveColor
	Selection lipgloss.AdaptiveColor
	BarBg     lipgloss.AdaptiveColor
	BarFg     lipgloss.AdaptiveColor
	Border    lipgloss.AdaptiveColor
}

// DefaultTheme is calm on both light and dark terminals.
func DefaultTheme() Theme {
	return Theme{
		Text:      lipgloss.AdaptiveColor{Light: "#1a1a1a", Dark: "#e6e6e6"},
		Muted:     lipgloss.AdaptiveColor{Light: "#6b6b6b", Dark: "#8a8a8a"},
		Primary:   lipgloss.AdaptiveColor{Light: "#0b5cad", Dark: "#6cb6ff"},
		Accent:    lipgloss.AdaptiveColor{Light: "#7a3e9d", Dark: "#d2a8ff"},
		OK:        lipgloss.AdaptiveColor{Light: "#1a7f37", Dark: "#56d364"},
		Warning:   lipgloss.AdaptiveColor{Light: "#9a6700", Dark: "#e3b341"},
		Error:     lipgloss.AdaptiveColor{Light: "#cf222e", Dark: "#ff7b72"},
		Selection: lipgloss.AdaptiveColor{Light: "#dbe9f9", Dark: "#1f3b5c"},
		BarBg:     lipgloss.AdaptiveColor{Light: "#d0d7de", Dark: "#30363d"},
		BarFg:     lipgloss.AdaptiveColor{Light: "#1a1a1a", Dark: "#e6e6e6"},
		Border:    lipgloss.AdaptiveColor{Light: "#afb8c1", Dark: "#484f58"},
	}
}

// Styles are the styles of the screens and components.
type Styles struct {
	Theme Theme

	Title    lipgloss.Style // a screen's title line
	Subtitle lipgloss.Style
	Text     lipgloss.Style
	Muted    lipgloss.Style
	Strong   lipgloss.Style
	OK       lipgloss.Style
	Warning  lipgloss.Style
	Error    lipgloss.Style
	Notice   lipgloss.Style // the result of the last action

	Header   lipgloss.Style // a table's header row
	Row      lipgloss.Style
	Selected lipgloss.Style // the row under the cursor
	Dimmed   lipgloss.Style // a row that cannot be acted on here

	Label        lipgloss.Style
	LabelFocused lipgloss.Style
	Input        lipgloss.Style
	Hint         lipgloss.Style // a field's hint while it is incomplete

	Box   lipgloss.Style // a panel that asks or warns
	Alert lipgloss.Style // a panel that warns

	Bar         lipgloss.Style // the status bar
	BarItem     lipgloss.Style
	BarOnline   lipgloss.Style
	BarOffline  lipgloss.Style
	BarSyncing  lipgloss.Style
	BarDegraded lipgloss.Style
	BarAlert    lipgloss.Style

	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	HelpSep  lipgloss.Style

	// Fast are the same line styles as Paints, for rows drawn on every key.
	Fast Paints
}

// New builds the styles from a theme.
func New(t Theme) *Styles {
	s := &Styles{Theme: t}
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(t.Primary)
	s.Subtitle = lipgloss.NewStyle().Foreground(t.Accent)
	s.Text = lipgloss.NewStyle().Foreground(t.Text)
	s.Muted = lipgloss.NewStyle().Foreground(t.Muted)
	s.Strong = lipgloss.NewStyle().Bold(true).Foreground(t.Text)
	s.OK = lipgloss.NewStyle().Foreground(t.OK)
	s.Warning = lipgloss.NewStyle().Foreground(t.Warning)
	s.Error = lipgloss.NewStyle().Foreground(t.Error)
	s.Notice = lipgloss.NewStyle().Foreground(t.OK)

	s.Header = lipgloss.NewStyle().Bold(true).Foreground(t.Muted)
	s.Row = lipgloss.NewStyle().Foreground(t.Text)
	s.Selected = lipgloss.NewStyle().Bold(true).Foreground(t.Text).Background(t.Selection)
	s.Dimmed = lipgloss.NewStyle().Foreground(t.Muted)

	s.Label = lipgloss.NewStyle().Foreground(t.Muted)
	s.LabelFocused = lipgloss.NewStyle().Bold(true).Foreground(t.Primary)
	s.Input = lipgloss.NewStyle().Foreground(t.Text)
	s.Hint = lipgloss.NewStyle().Foreground(t.Muted)

	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(t.Border).Padding(0, 1)
	s.Alert = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(t.Warning).Padding(0, 1)

	s.Bar = lipgloss.NewStyle().Foreground(t.BarFg).Background(t.BarBg)
	s.BarItem = s.Bar.Padding(0, 1)
	s.BarOnline = s.BarItem.Foreground(t.OK).Bold(true)
	s.BarOffline = s.BarItem.Foreground(t.Error).Bold(true)
	s.BarSyncing = s.BarItem.Foreground(t.Primary).Bold(true)
	s.BarDegraded = s.BarItem.Foreground(t.Warning).Bold(true)
	s.BarAlert = s.BarItem.Foreground(t.Error).Bold(true)

	s.HelpKey = lipgloss.NewStyle().Foreground(t.Primary)
	s.HelpDesc = lipgloss.NewStyle().Foreground(t.Muted)
	s.HelpSep = lipgloss.NewStyle().Foreground(t.Border)
	s.Fast = newPaints(t)
	return s
}
