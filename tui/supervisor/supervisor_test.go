package supervisor

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/i18n"
)

// driver runs a model's commands the way bubbletea does, on goroutines,
// and feeds their messages to Update on the test's goroutine.
type driver struct {
	t       *testing.T
	m       *Model
	results chan tea.Msg
	updates int // updateMsgs handled
}

func drive(t *testing.T, m *Model) *driver {
	d := &driver{t: t, m: m, results: make(chan tea.Msg, 64)}
	d.m.SetSize(80, 22)
	d.launch(m.Init())
	d.until("the office list", 5*time.Second, func() bool { return m.offices != nil || m.listErr != "" })
	d.watching()
	return d
}

// watching waits until the model watches its office (if it has one).
func (d *driver) watching() {
	d.t.Helper()
	d.until("the watch", 5*time.Second, func() bool { return d.m.office == "" || d.m.ch != nil || d.m.failed != nil })
	d.settle()
}

func (d *driver) launch(cmd tea.Cmd) {
	if cmd != nil {
		go func() { d.results <- cmd() }()
	}
}

func (d *driver) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.launch(c)
		}
	default:
		if _, ok := msg.(updateMsg); ok {
			d.updates++
		}
		_, cmd := d.m.Update(msg)
		d.launch(cmd)
	}
}

// settle handles messages until none came for a while.
func (d *driver) settle() {
	for {
		select {
		case msg := <-d.results:
			d.handle(msg)
		case <-time.After(40 * time.Millisecond):
			return
		}
	}
}

func (d *driver) send(msg tea.Msg) {
	d.handle(msg)
	d.settle()
}

func (d *driver) key(s string) {
	switch s {
	case "tab":
		d.send(tea.KeyMsg{Type: tea.KeyTab})
	case "enter":
		d.send(tea.KeyMsg{Type: tea.KeyEnter})
	case "esc":
		d.send(tea.KeyMsg{Type: tea.KeyEsc})
	case "down":
		d.send(tea.KeyMsg{Type: tea.KeyDown})
	case "ctrl+r":
		d.send(tea.KeyMsg{Type: tea.KeyCtrlR})
	default:
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
	}
}

// push delivers u on the office's channel and waits until the model took it.
func (d *driver) push(f *fakeFeed, office string, u link.LiveUpdate) {
	d.t.Helper()
	n := d.updates
	f.channel(office) <- u
	d.until("the update", 5*time.Second, func() bool { return d.updates > n })
	d.settle()
}

func (d *driver) view() string { return d.m.View() }

func TestSnapshotUpdatesModel(t *testing.T) {
	t.Parallel()
	feed := newFakeFeed("IRK")
	d := drive(t, New(testCommon(t, i18n.EN, "IRK"), feed, Options{}))
	if !strings.Contains(d.view(), "Waiting for the first picture") {
		t.Fatalf("before any snapshot:\n%s", d.view())
	}
	snap := fixtureSnapshot()
	d.push(feed, "IRK", link.LiveUpdate{Stream: link.StreamUp, Snapshot: snap})
	if d.m.snap != snap || !d.m.connected {
		t.Fatalf("snapshot not taken: %+v connected %v", d.m.snap, d.m.connected)
	}
	if v := d.view(); !strings.Contains(v, "A-014") || !strings.Contains(v, "● live · 10:59:58") {
		t.Fatalf("view:\n%s", v)
	}
	// A later snapshot replaces it; the watch goes on.
	next := fixtureSnapshot()
	next.Waiting = next.Waiting[:1]
	d.push(feed, "IRK", link.LiveUpdate{Snapshot: next})
	if len(d.m.snap.Waiting) != 1 || !strings.Contains(d.m.tabBar(80), "Waiting 1") {
		t.Fatalf("second snapshot: %d waiting, tabs %q", len(d.m.snap.Waiting), d.m.tabBar(80))
	}
	// Another office's snapshot on this channel is not taken.
	other := fixtureSnapshot()
	other.Office = "MSK"
	d.push(feed, "IRK", link.LiveUpdate{Snapshot: other})
	if d.m.snap.Office != "IRK" {
		t.Fatal("took another office's snapshot")
	}
	// Figures and the attention list.
	d.push(feed, "IRK", link.LiveUpdate{Day: fixtureDay(), Attention: fixtureAttention()})
	if d.m.day == nil || d.m.attention == nil || d.m.count(secCases) != 4 {
		t.Fatalf("day %v attention %v", d.m.day, d.m.attention)
	}
}

func TestStreamLostKeepsPictureAndReconnectClears(t *testing.T) {
	t.Parallel()
	feed := newFakeFeed("IRK")
	d := drive(t, New(testCommon(t, i18n.EN, "IRK"), feed, Options{}))
	d.push(feed, "IRK", fullUpdate())
	picture := d.m.snap

	d.push(feed, "IRK", link.LiveUpdate{Stream: link.StreamLost, Err: errors.Join(client.ErrOffline, errors.New("reset"))})
	if d.m.lost == nil || d.m.connected {
		t.Fatal("the drop is not noted")
	}
	if d.m.snap != picture {
		t.Fatal("the last picture was dropped")
	}
	v := d.view()
	if !strings.Contains(v, "Stream lost at 11:00:00 — reconnecting… Showing the picture of 10:59:58") || !strings.Contains(v, "A-014") {
		t.Fatalf("view while lost:\n%s", v)
	}
	// A second drop keeps the time of the first.
	d.m.c.Now = func() time.Time { return now.Add(time.Minute) }
	d.push(feed, "IRK", link.LiveUpdate{Stream: link.StreamLost, Err: client.ErrOffline})
	if !d.m.lostAt.Equal(now) {
		t.Errorf("lost at %v, want %v", d.m.lostAt, now)
	}

	fresh := fixtureSnapshot()
	fresh.At = now.Add(time.Minute).UTC()
	d.push(feed, "IRK", link.LiveUpdate{Stream: link.StreamUp, Snapshot: fresh})
	if d.m.lost != nil || !d.m.connected || d.m.snap != fresh {
		t.Fatalf("after the reconnect: lost %v connected %v", d.m.lost, d.m.connected)
	}
	if v := d.view(); strings.Contains(v, "Stream lost") || !strings.Contains(v, "● live · 11:01:00") {
		t.Fatalf("view after the reconnect:\n%s", v)
	}
}

func TestFeedFailureStopsAndRetries(t *testing.T) {
	t.Parallel()
	feed := newFakeFeed("IRK")
	d := drive(t, New(testCommon(t, i18n.EN, "IRK"), feed, Options{}))
	d.push(feed, "IRK", fullUpdate())
	d.push(feed, "IRK", link.LiveUpdate{Stream: link.StreamFailed, Err: client.ErrUnauthorized})
	if d.m.failed == nil || !strings.Contains(d.view(), "The central refused") {
		t.Fatalf("failure not shown:\n%s", d.view())
	}
	if d.m.snap == nil {
		t.Fatal("the picture was dropped")
	}
	gen := d.m.watching
	d.key("ctrl+r")
	d.watching()
	if d.m.watching == gen || d.m.failed != nil || len(feed.watched) != 2 {
		t.Fatalf("ctrl+r: watch %d→%d, failed %v, watches %v", gen, d.m.watching, d.m.failed, feed.watched)
	}
	d.push(feed, "IRK", link.LiveUpdate{Stream: link.StreamUp, Snapshot: fixtureSnapshot()})
	if !d.m.connected {
		t.Fatal("not connected again")
	}
}

func TestHeadOfficeSwitchesOffices(t *testing.T) {
	t.Parallel()
	feed := newFakeFeed("IRK", "MSK", "SPB")
	d := drive(t, New(testCommon(t, i18n.EN, "*"), feed, Options{}))
	// No office yet: the list opens by itself.
	if d.m.office != "" || d.m.picker == nil || len(feed.watched) != 0 {
		t.Fatalf("office %q picker %v watched %v", d.m.office, d.m.picker, feed.watched)
	}
	if v := d.view(); !strings.Contains(v, "MSK · windows: 5") {
		t.Fatalf("the list:\n%s", v)
	}
	d.key("down")
	d.key("enter")
	d.watching()
	if d.m.office != "MSK" || d.m.picker != nil || len(feed.watched) != 1 || feed.watched[0] != "MSK" {
		t.Fatalf("chose %q, watched %v", d.m.office, feed.watched)
	}
	d.push(feed, "MSK", link.LiveUpdate{Stream: link.StreamUp, Snapshot: &api.QueueSnapshot{Office: "MSK", At: now}})
	if d.m.snap == nil || d.m.snap.Office != "MSK" {
		t.Fatal("no MSK snapshot")
	}
	oldWatch := d.m.watching

	// o opens the list again; choosing IRK drops MSK's picture and ignores
	// anything MSK's watch still delivers.
	d.key("o")
	if d.m.picker == nil || !d.m.Modal() {
		t.Fatal("o did not open the list")
	}
	d.key("esc")
	if d.m.picker != nil {
		t.Fatal("esc did not close the list")
	}
	d.key("o")
	d.key("up")
	d.send(tea.KeyMsg{Type: tea.KeyUp})
	d.key("enter")
	d.watching()
	if d.m.office != "IRK" || d.m.snap != nil {
		t.Fatalf("office %q snap %v", d.m.office, d.m.snap)
	}
	d.handle(updateMsg{tag: oldWatch, u: link.LiveUpdate{Snapshot: &api.QueueSnapshot{Office: "MSK"}}})
	if d.m.snap != nil {
		t.Fatal("a late update of the old watch landed")
	}
	d.push(feed, "IRK", fullUpdate())
	if d.m.snap == nil || d.m.snap.Office != "IRK" {
		t.Fatal("no IRK snapshot")
	}
}

func TestOwnOfficeCannotSwitch(t *testing.T) {
	t.Parallel()
	feed := newFakeFeed("IRK")
	d := drive(t, New(testCommon(t, i18n.EN, "IRK"), feed, Options{}))
	d.key("o")
	if d.m.picker != nil {
		t.Fatal("a supervisor of one office got the office list")
	}
	for _, k := range d.m.ShortHelp() {
		if k.Help().Key == "o" {
			t.Fatal("help offers o")
		}
	}
}

func TestSectionsAndScrolling(t *testing.T) {
	t.Parallel()
	feed := newFakeFeed("IRK")
	d := drive(t, New(testCommon(t, i18n.EN, "IRK"), feed, Options{}))
	big := fixtureSnapshot()
	for i := range 40 {
		big.Waiting = append(big.Waiting, api.QueueTicket{ID: "x", Number: "C-" + string(rune('A'+i%26)), Service: "legal_act_copy", IssuedAt: now.Add(-time.Minute)})
	}
	d.push(feed, "IRK", link.LiveUpdate{Stream: link.StreamUp, Snapshot: big})
	d.key("tab")
	if d.m.section != secWaiting {
		t.Fatalf("tab: section %d", d.m.section)
	}
	if v := d.view(); !strings.Contains(v, "↓ ") {
		t.Fatalf("no mark of more rows:\n%s", v)
	}
	for range 100 {
		d.handle(tea.KeyMsg{Type: tea.KeyDown})
	}
	if d.m.selected(secWaiting) != len(big.Waiting)-1 {
		t.Fatalf("the cursor went to %d of %d", d.m.selected(secWaiting), len(big.Waiting))
	}
	if v := d.view(); !strings.Contains(v, "▸ C-N") {
		t.Fatalf("the last ticket under the cursor is not in view:\n%s", v)
	}
	d.key("5")
	if d.m.section != secCases {
		t.Fatalf("5: section %d", d.m.section)
	}
	d.key("tab")
	if d.m.section != secWindows {
		t.Fatalf("tab from the last: section %d", d.m.section)
	}
	d.key("g")
	if !d.m.grouped {
		t.Fatal("g did not group")
	}
	// Every view fits its size.
	for _, size := range [][2]int{{80, 22}, {160, 46}, {40, 10}, {120, 36}} {
		d.m.SetSize(size[0], size[1])
		for s := range nSections {
			d.m.section = s
			lines := strings.Split(d.view(), "\n")
			if len(lines) != size[1] {
				t.Errorf("%v section %d: %d lines", size, s, len(lines))
			}
			for i, l := range lines {
				if w := len([]rune(l)); w > size[0] {
					t.Errorf("%v section %d line %d is %d wide: %q", size, s, i, w, l)
				}
			}
		}
	}
}

func TestCapacityArithmetic(t *testing.T) {
	t.Parallel()
	c := computeCapacity(fixtureSnapshot(), domain.DefaultCatalog(), 0.8)
	if c.open != 3 || c.serving != 2 || c.free != 1 || c.total != 5 || c.arrivals != 19 {
		t.Fatalf("%+v", c)
	}
	if want := domain.WindowsNeeded(19, 684, 15*time.Minute, 0.8); c.needed != want || want != 5 {
		t.Fatalf("needed %d, want %d (and 5)", c.needed, want)
	}
	// Nobody served yet: the regulation's reception time stands in.
	s := fixtureSnapshot()
	s.Today.AvgServiceSec = 0
	c = computeCapacity(s, domain.DefaultCatalog(), 0.8)
	if !c.ahtFromNorm || c.aht != 15*60 {
		t.Fatalf("%+v", c)
	}
	// Nobody came: no window needed, no table.
	s.Today.ArrivalsLastHr = 0
	if c = computeCapacity(s, domain.DefaultCatalog(), 0.8); c.needed != 0 || len(c.rows) != 0 {
		t.Fatalf("%+v", c)
	}
}

// TestLateAnswerOfAnotherInstance: the supervisor's screen is left and
// opened again; the first instance's watch ends late ("closed"). Its
// answer carries that instance's tag, so it cannot stop the new one's
// watch (a per-instance counter would give both the same number).
func TestLateAnswerOfAnotherInstance(t *testing.T) {
	t.Parallel()
	c := testCommon(t, i18n.EN, "IRK")
	feed := newFakeFeed("IRK")
	old := New(c, feed, Options{})
	old.Init()
	old.Stop()
	m := New(c, feed, Options{})
	m.Init()
	ch := feed.channel("IRK")
	m.Update(watchingMsg{tag: m.watching, ch: ch})
	if m.ch == nil {
		t.Fatal("the new screen does not watch")
	}
	m.Update(updateMsg{tag: old.watching, closed: true})
	if m.ch == nil {
		t.Fatal("the old screen's late end stopped the new screen's watch")
	}
	if old.watching == m.watching {
		t.Fatalf("both instances' watches carry tag %d", m.watching)
	}
}

// TestSupervisorHands: the keys of the waiting and windows sections reach
// the feed's hands with the ticket or window under the cursor; a missing
// reason, a closed window, a refusal of the central are said on screen.
func TestSupervisorHands(t *testing.T) {
	t.Parallel()
	feed := newFakeFeed("IRK")
	d := drive(t, New(testCommon(t, i18n.EN, "IRK"), feed, Options{}))
	snap := fixtureSnapshot()
	snap.Windows[3].State = "closed"
	d.push(feed, "IRK", link.LiveUpdate{Stream: link.StreamUp, Snapshot: snap})

	d.key("2")
	d.key("down")
	d.key("down")
	d.key("+")
	if !d.m.Typing() || !d.m.Modal() {
		t.Fatal("the reason prompt does not take the keys")
	}
	d.key("enter")
	if d.m.act == nil || !strings.Contains(d.m.act.err, "Say why") {
		t.Fatalf("a raise without a reason: %+v", d.m.act)
	}
	d.key("on crutches")
	d.key("enter")
	d.key("up")
	d.key("up") // A-021, a privileged ticket: lower it
	d.key("-")
	d.key("no proof shown")
	d.key("enter")
	d.key("m")
	d.key("4")
	d.key("enter")
	if d.m.act == nil || !strings.Contains(d.m.act.err, "Window 4 is closed") {
		t.Fatalf("a move to a closed window: %+v", d.m.act)
	}
	d.key("esc")
	if d.m.act != nil {
		t.Fatal("esc did not close the prompt")
	}
	d.key("m")
	d.key("enter") // A-021 is in the shared queue already
	if d.m.act == nil || !strings.Contains(d.m.act.err, "there already") {
		t.Fatalf("a move to where it is: %+v", d.m.act)
	}
	d.key("esc")

	d.key("1")
	d.key("down")
	d.key("down")
	d.key("down") // window 4: closed already
	d.key("x")
	if !strings.Contains(d.m.actErr, "closed already") || d.m.act != nil {
		t.Fatalf("closing a closed window: %q", d.m.actErr)
	}
	d.key("down") // window 5
	feed.mu.Lock()
	feed.actErr = errors.New("the central said no")
	feed.mu.Unlock()
	d.key("x")
	d.key("gone home")
	d.key("enter")
	if !strings.Contains(d.view(), "the central said no") {
		t.Fatalf("the refusal is not shown:\n%s", d.view())
	}
	want := []string{"prio IRK t17 1 on crutches", "prio IRK t21 0 no proof shown", "close IRK 5 gone home"}
	feed.mu.Lock()
	defer feed.mu.Unlock()
	if !slices.Equal(feed.calls, want) {
		t.Fatalf("calls %q, want %q", feed.calls, want)
	}
}

// The unclaimed results on the cases section: the cursor walks them, r
// returns the one under it with a reason, e keeps it longer (the days,
// then the reason), bad days are refused in the prompt, and a result the
// central took leaves the list at once.
func TestSupervisorResults(t *testing.T) {
	t.Parallel()
	feed := newFakeFeed("IRK")
	d := drive(t, New(testCommon(t, i18n.EN, "IRK"), feed, Options{}))
	att := fixtureAttention()
	att.Unclaimed = append(att.Unclaimed, domain.CaseView{ID: "c4", Number: "IRK-03-250106-0003-1", Service: "archive_certificate",
		State: domain.CaseRefused, ReadyAt: at(9, 0).AddDate(0, 0, -35), CollectBy: "2025-03-01"})
	att.UnclaimedTotal = 2
	d.push(feed, "IRK", link.LiveUpdate{Stream: link.StreamUp, Snapshot: fixtureSnapshot(), Attention: att})

	d.key("2")
	d.key("r") // not on the waiting tickets
	if d.m.act != nil {
		t.Fatal("r opened a prompt outside the cases section")
	}
	d.key("5")
	if v := d.view(); !strings.Contains(v, "▸ IRK-03-250105-0002-5") || !strings.Contains(v, "kept until 2025-03-01") || !strings.Contains(v, "r returns to the department") {
		t.Fatalf("the cases section:\n%s", v)
	}
	d.key("down") // c4
	d.key("e")
	d.key("-3")
	d.key("enter")
	if d.m.act == nil || !strings.Contains(d.m.act.err, "from 1 to 365") {
		t.Fatalf("negative days: %+v", d.m.act)
	}
	d.key("esc")
	d.key("e")
	d.key("14")
	d.key("enter")
	if d.m.act == nil || d.m.act.kind != actExtendWhy || !strings.Contains(d.view(), "keep 14 days more — why?") {
		t.Fatalf("after the days:\n%s", d.view())
	}
	d.key("enter")
	if !strings.Contains(d.m.act.err, "Say why") {
		t.Fatalf("an extension without a reason: %+v", d.m.act)
	}
	d.key("in hospital")
	d.key("enter")
	if v := d.view(); !strings.Contains(v, "is kept 14 days longer") || strings.Contains(v, "kept until 2025-03-01") || !strings.Contains(v, "Results not collected: 1") {
		t.Fatalf("after the extension:\n%s", v)
	}
	feed.mu.Lock()
	feed.actErr = errors.New("the result is kept for its visitor to the end of 2025-03-20")
	feed.mu.Unlock()
	d.key("r")
	d.key("not collected")
	d.key("enter")
	if v := d.view(); !strings.Contains(v, "kept for its visitor") || !strings.Contains(v, "IRK-03-250105-0002-5") {
		t.Fatalf("a refused return:\n%s", v)
	}
	feed.mu.Lock()
	feed.actErr = nil
	feed.mu.Unlock()
	d.key("r")
	if !strings.Contains(d.view(), "The window will no longer issue it") {
		t.Fatalf("the return's prompt:\n%s", d.view())
	}
	d.key("did not come")
	d.key("enter")
	if v := d.view(); !strings.Contains(v, "went back to the department") || !strings.Contains(v, "Results not collected: 0") {
		t.Fatalf("after the return:\n%s", v)
	}
	d.key("e")
	if !strings.Contains(d.m.actErr, "No unclaimed results") {
		t.Fatalf("e with nothing listed: %q", d.m.actErr)
	}
	want := []string{"extend IRK c4 14 in hospital", "return IRK c3 not collected", "return IRK c3 did not come"}
	feed.mu.Lock()
	defer feed.mu.Unlock()
	if !slices.Equal(feed.calls, want) {
		t.Fatalf("calls %q, want %q", feed.calls, want)
	}
}
