// Package supervisor is the supervisor's screen: the live picture of a
// service centre from the central's queue stream — every window (who, what,
// for how long), every waiting ticket against its service's waiting norm,
// today's figures (by service and by operator), the windows the current
// flow needs (Erlang C) and the cases that need attention (overdue at the
// department, results not collected, events the central rejected). A
// head-office supervisor (office *) switches between offices.
//
// The screen is a self-contained component: it is fed by a Feed (the
// link's live queue over the central, or a fake in tests; it never talks to
// the network itself), keeps the last picture when the stream drops, says
// so, and shows the new one when the feed reconnects. At 80×24
// the sections are tabs; from 120×36 they share the screen.
package supervisor

import (
	"context"
	"errors"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
)

// The sections, in tab order.
const (
	secWindows = iota
	secWaiting
	secToday
	secCapacity
	secCases
	nSections
)

// Options configure the screen.
type Options struct {
	// Office to watch first; "" takes the operator's own office, and for a
	// head-office operator (office *) the first office the feed lists.
	Office string
	// Catalog gives the services' names and waiting norms until the feed
	// delivers the central's; nil takes the workstation's (Common.Place),
	// else domain.DefaultCatalog().
	Catalog *domain.Catalog
	// TargetShare is the share of visitors to be served within the norm
	// when counting the windows needed; 0 takes 0.8.
	TargetShare float64
}

// Model is the supervisor's screen.
type Model struct {
	c    *common.Common
	feed Feed
	keys KeyMap
	opts Options
	tag  common.Tag

	office  string
	offices []api.OfficeInfo
	listErr string

	watching common.Tag         // the watch in progress; answers of older ones (and other screens') are dropped
	cancel   context.CancelFunc // ends the watch in progress
	ch       <-chan link.LiveUpdate

	snap      *api.QueueSnapshot
	day       *api.ReportDay
	attention *api.Attention
	cat       *domain.Catalog

	connected bool
	lost      error     // the stream dropped and has not come back
	lostAt    time.Time // when it dropped
	failed    error     // the feed stopped: the central refused

	section int
	scroll  [nSections]int
	sel     [nSections]int // the row under the cursor (windows, waiting)
	grouped bool
	picker  *picker

	hands   Hands       // the supervisor's actions; nil: watching only
	results ResultHands // the unclaimed results' return and extension; nil: none
	act     *action     // the prompt open
	notice  string      // what the last action did
	actErr  string      // why it (or a key) did nothing

	width, height int
}

// New makes the screen; Init starts watching.
func New(c *common.Common, feed Feed, opts Options) *Model {
	if opts.Catalog == nil && c.Place != nil {
		opts.Catalog = c.Place.Catalog()
	}
	if opts.Catalog == nil {
		opts.Catalog = domain.DefaultCatalog()
	}
	if opts.TargetShare <= 0 || opts.TargetShare > 1 {
		opts.TargetShare = 0.8
	}
	m := &Model{c: c, feed: feed, keys: newKeyMap(c), opts: opts, tag: c.NextTag(), cat: opts.Catalog,
		width: c.Width, height: c.Height}
	m.hands, _ = feed.(Hands)
	m.results, _ = feed.(ResultHands)
	m.office = opts.Office
	if m.office == "" && c.Operator.Office != "*" {
		m.office = c.Operator.Office
	}
	return m
}

// watchingMsg says the watch with the tag started.
type watchingMsg struct {
	tag common.Tag
	ch  <-chan link.LiveUpdate
}

// updateMsg is one update of the watch with the tag; closed when its
// channel ended.
type updateMsg struct {
	tag    common.Tag
	u      link.LiveUpdate
	closed bool
}

// officesMsg answers officesCmd.
type officesMsg struct {
	tag  common.Tag
	list []api.OfficeInfo
	err  error
}

// Init lists the offices and starts watching the first one.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(officesCmd(m.c.Ctx, m.feed, m.tag), m.watch())
}

// Stop ends the watch; the root calls it when the screen goes away (it
// also ends with Common.Ctx).
func (m *Model) Stop() {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
}

// Office is the office being watched ("" before one is chosen).
func (m *Model) Office() string { return m.office }

// watch stops the watch in progress and starts one of m.office.
func (m *Model) watch() tea.Cmd {
	m.Stop()
	m.watching = m.c.NextTag()
	m.ch = nil
	if m.office == "" {
		return nil
	}
	ctx, cancel := context.WithCancel(m.c.Ctx)
	m.cancel = cancel
	return watchCmd(ctx, m.feed, m.office, m.watching)
}

func watchCmd(ctx context.Context, f Feed, office string, tag common.Tag) tea.Cmd {
	return func() tea.Msg { return watchingMsg{tag: tag, ch: f.Watch(ctx, office)} }
}

// waitCmd waits for the next update of a watch (the realtime pattern).
func waitCmd(ch <-chan link.LiveUpdate, tag common.Tag) tea.Cmd {
	return func() tea.Msg {
		u, ok := <-ch
		return updateMsg{tag: tag, u: u, closed: !ok}
	}
}

func officesCmd(ctx context.Context, f Feed, tag common.Tag) tea.Cmd {
	return func() tea.Msg {
		list, err := f.Offices(ctx)
		return officesMsg{tag: tag, list: list, err: err}
	}
}

// SetSize sets the screen's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Typing is true while a prompt (a window, a reason) is open.
func (m *Model) Typing() bool { return m.act != nil }

// Modal is true while the office list or a prompt is open.
func (m *Model) Modal() bool { return m.picker != nil || m.act != nil }

// Title names the screen.
func (m *Model) Title() string { return m.c.T.S("sup.title", m.officeName()) }

func (m *Model) officeName() string {
	if m.office == "" {
		return m.c.T.S("sup.no_office")
	}
	return m.office
}

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.picker != nil {
		return []key.Binding{k.Up, k.Down, k.Select, k.Back}
	}
	if m.act != nil {
		return []key.Binding{k.Submit, k.Back}
	}
	keys := []key.Binding{k.Next, k.Sections, k.Down}
	switch {
	case m.section == secWaiting && m.hands != nil:
		keys = append(keys, k.Move, k.Raise, k.Lower)
	case m.section == secWaiting:
		keys = append(keys, k.Group)
	case m.section == secWindows && m.hands != nil:
		keys = append(keys, k.Close)
	case m.section == secCases && m.results != nil:
		keys = append(keys, k.Return, k.Extend)
	}
	if m.canSwitch() {
		keys = append(keys, k.Offices)
	}
	return keys
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Next, k.Prev, k.Sections},
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Group, k.Offices, k.Reconnect},
		{k.Move, k.Raise, k.Lower, k.Close},
		{k.Return, k.Extend},
	}
}

// canSwitch reports whether there is another office to watch.
func (m *Model) canSwitch() bool {
	return m.c.Operator.Office == "*" || len(m.offices) > 1
}

// Update takes the feed's updates and the keys.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case watchingMsg:
		if msg.tag != m.watching {
			return m, nil
		}
		m.ch = msg.ch
		return m, waitCmd(m.ch, m.watching)
	case updateMsg:
		if msg.tag != m.watching {
			return m, nil
		}
		if msg.closed {
			m.ch = nil
			return m, nil
		}
		m.apply(msg.u)
		if m.failed != nil {
			return m, nil
		}
		return m, waitCmd(m.ch, m.watching)
	case officesMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		return m, m.gotOffices(msg)
	case actedMsg:
		if msg.tag == m.tag {
			m.gotActed(msg)
		}
		return m, nil
	case common.Changed:
		// Until the central's catalogue arrives, the workstation's is
		// shown: a new one from the feed replaces it.
		if msg.Has(localdb.Catalog) && m.cat == m.opts.Catalog && m.c.Place != nil {
			m.opts.Catalog = m.c.Place.Catalog()
			m.cat = m.opts.Catalog
		}
		return m, nil
	case tea.KeyMsg:
		if m.picker != nil {
			return m, m.pickerKey(msg)
		}
		if m.act != nil {
			return m, m.actionKey(msg)
		}
		return m, m.key(msg)
	}
	return m, nil
}

// apply folds an update into the picture.
func (m *Model) apply(u link.LiveUpdate) {
	if u.Snapshot != nil && (u.Snapshot.Office == "" || u.Snapshot.Office == m.office) {
		m.snap = u.Snapshot
	}
	if u.Day != nil {
		m.day = u.Day
	}
	if u.Attention != nil && (u.Attention.Office == "" || u.Attention.Office == m.office) {
		m.attention = u.Attention
	}
	if u.Catalog != nil {
		m.cat = u.Catalog
	}
	switch u.Stream {
	case link.StreamUp:
		m.connected, m.lost, m.failed = true, nil, nil
	case link.StreamLost:
		if m.lost == nil {
			m.lostAt = m.c.Now()
		}
		m.connected, m.lost = false, u.Err
		if m.lost == nil {
			m.lost = errLost
		}
	case link.StreamFailed:
		m.connected, m.failed = false, u.Err
		if m.failed == nil {
			m.failed = errLost
		}
	case link.StreamNone:
		if u.Snapshot != nil && m.lost == nil {
			m.connected = true
		}
	}
}

// errLost stands for a drop the feed did not explain.
var errLost = errors.New("the stream ended")

func (m *Model) gotOffices(msg officesMsg) tea.Cmd {
	if msg.err != nil {
		m.listErr = m.c.Err(msg.err)
		return nil
	}
	m.offices, m.listErr = msg.list, ""
	if m.picker != nil {
		m.picker.set(msg.list, m.office)
	}
	if m.office == "" && len(msg.list) > 0 {
		if len(msg.list) == 1 {
			m.office = msg.list[0].Code
			return m.watch()
		}
		m.openPicker()
	}
	return nil
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if !key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown) {
		m.notice, m.actErr = "", ""
	}
	switch {
	case m.section == secWaiting && key.Matches(msg, k.Move):
		return m.startAction(actMove)
	case m.section == secWaiting && key.Matches(msg, k.Raise):
		return m.startAction(actRaise)
	case m.section == secWaiting && key.Matches(msg, k.Lower):
		return m.startAction(actLower)
	case m.section == secWindows && key.Matches(msg, k.Close):
		return m.startAction(actClose)
	case m.section == secCases && key.Matches(msg, k.Return):
		return m.startResult(actReturn)
	case m.section == secCases && key.Matches(msg, k.Extend):
		return m.startResult(actExtend)
	case key.Matches(msg, k.Next):
		m.section = (m.section + 1) % nSections
	case key.Matches(msg, k.Prev):
		m.section = (m.section + nSections - 1) % nSections
	case key.Matches(msg, k.Up):
		m.scrollBy(-1)
	case key.Matches(msg, k.Down):
		m.scrollBy(1)
	case key.Matches(msg, k.PageUp):
		m.scrollBy(-m.pageSize())
	case key.Matches(msg, k.PageDown):
		m.scrollBy(m.pageSize())
	case key.Matches(msg, k.Group):
		m.grouped = !m.grouped
		m.scroll[secWaiting] = 0
	case key.Matches(msg, k.Reconnect):
		m.failed, m.lost = nil, nil
		return m.watch()
	case key.Matches(msg, k.Offices):
		if !m.canSwitch() {
			return nil
		}
		m.openPicker()
		if m.offices == nil {
			return officesCmd(m.c.Ctx, m.feed, m.tag)
		}
	default:
		for i, b := range k.Section {
			if key.Matches(msg, b) {
				m.section = i
			}
		}
	}
	return nil
}

// scrollBy moves the focused section's cursor (windows, waiting) or view
// by d lines.
func (m *Model) scrollBy(d int) {
	if m.selectable(m.section) {
		m.moveSel(d)
		return
	}
	s := &m.scroll[m.section]
	*s = max(0, min(*s+d, m.sectionLen(m.section)-1))
}

// pageSize is about one screen of rows.
func (m *Model) pageSize() int { return max(1, m.height-6) }

func (m *Model) openPicker() {
	m.picker = newPicker(m.c)
	if m.offices != nil {
		m.picker.set(m.offices, m.office)
	}
}

func (m *Model) pickerKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	p := m.picker
	switch {
	case key.Matches(msg, k.Back):
		m.picker = nil
	case key.Matches(msg, k.Up):
		p.move(-1)
	case key.Matches(msg, k.Down):
		p.move(1)
	case key.Matches(msg, k.Select):
		code, ok := p.chosen()
		m.picker = nil
		if !ok || code == m.office {
			return nil
		}
		m.office = code
		m.snap, m.day, m.attention = nil, nil, nil
		m.connected, m.lost, m.failed = false, nil, nil
		m.scroll, m.sel = [nSections]int{}, [nSections]int{}
		return m.watch()
	}
	return nil
}
