// Package common holds what every screen of the clerk's TUI shares: the
// Common value (size, styles, key map, translator, the workplace, the link,
// the clock), the Link interface the TUI talks to the central through, the
// Screen interface, and the messages screens send the root to move between
// them. The store is not here: each screen is given the small interface of
// it that it uses (its package's Store), so its tests can give it a fake.
package common

import (
	"context"
	"io"
	"log"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/receipt"
	"github.com/okno-mfc/okno/tui/i18n"
	"github.com/okno-mfc/okno/tui/keymap"
	"github.com/okno-mfc/okno/tui/styles"
)

// Link is the workstation's link to the central server as the TUI sees it.
// The TUI never talks to the network itself: the link does, and reports.
type Link interface {
	// Status is the link's state now.
	Status() link.Status
	// Updates delivers a new status after every change. The TUI reads one
	// value per command and asks again (the realtime pattern of bubbletea).
	Updates() <-chan link.Status
	// SignIn checks an operator's password with the central, falling back
	// to the hash kept on this workstation when the central is unreachable;
	// online says which answered.
	SignIn(ctx context.Context, login, password string, window int) (op domain.Operator, online bool, err error)
	// CallNext calls the next ticket for this window: from the office's
	// shared queue when online (shared is true), else from the window's own
	// local queue.
	CallNext(ctx context.Context, actor string, equipment []string) (t localdb.Ticket, shared bool, err error)
	// SyncNow asks the link to sync now (the clerk's refresh); a link
	// waiting out a failure keeps to its backoff and probes.
	SyncNow()
	// LiveQueue is the supervisor's live picture over the session of the
	// person signed in, or nil when there is none (a clerk, or offline).
	LiveQueue() link.LiveFeed
	// Desk is the department's desk over the session of the department's
	// officer signed in, or nil when there is none (another role, or a
	// sign-in checked without the central: the desk works online only).
	Desk() link.DeskAPI
}

// Workplace is what every screen may read of the workstation: its office,
// its window and the service catalogue in force.
type Workplace interface {
	Office() string
	Window() int
	Catalog() *domain.Catalog
}

// Common is what the screens share. The root owns it; screens read it and
// never keep their own copies of what it holds.
type Common struct {
	Ctx    context.Context // cancelled when the TUI stops
	Width  int             // the screen area's size (without the status and help lines)
	Height int
	Styles *styles.Styles
	Keys   *keymap.KeyMap
	T      i18n.T
	Place  Workplace
	Link   Link
	Now    func() time.Time // the clock; tests fix it
	Log    *log.Logger      // never given personal data

	DataDir   string          // where okno.db, blobs/ and receipts/ live
	Equipment []string        // this window's equipment (e.g. biometric)
	Hint      string          // an extra line for the sign-in screen (the demo's people)
	Printer   receipt.Printer // this window's receipt printer; nil: none set up
	IdleLock  time.Duration   // the screen locks after this long without a key; 0: never

	Operator domain.Operator // who is signed in (empty before sign-in)
	Online   bool            // the sign-in was checked by the central
	Status   link.Status     // the link's last status

	tag uint64
}

// Options make a Common.
type Options struct {
	Lang      i18n.Lang
	Place     Workplace // the store, read-only
	Link      Link
	Now       func() time.Time
	Log       *log.Logger
	DataDir   string
	Equipment []string
	Hint      string
	Printer   receipt.Printer
	IdleLock  time.Duration
}

// New makes the shared value.
func New(ctx context.Context, o Options) *Common {
	t := i18n.New(o.Lang)
	c := &Common{
		Ctx: ctx, Width: 80, Height: 22,
		Styles: styles.New(styles.DefaultTheme()), Keys: keymap.New(t), T: t,
		Place: o.Place, Link: o.Link, Now: o.Now, Log: o.Log,
		DataDir: o.DataDir, Equipment: o.Equipment, Hint: o.Hint, Printer: o.Printer, IdleLock: o.IdleLock,
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = log.New(io.Discard, "", 0)
	}
	if c.Ctx == nil {
		c.Ctx = context.Background()
	}
	if c.Link != nil {
		c.Status = c.Link.Status()
	}
	return c
}

// Tag marks the answers of one screen's commands, so a late answer cannot
// land on another screen (or another instance of the same screen).
type Tag uint64

// NextTag returns a tag not used before.
func (c *Common) NextTag() Tag {
	c.tag++
	return Tag(c.tag)
}

// Actor is the login recorded on the events the clerk makes.
func (c *Common) Actor() string { return c.Operator.Login }

// Err says what went wrong in the clerk's language.
func (c *Common) Err(err error) string { return c.T.Err(err) }

// Component is a part of the screen: a model with its keys (for the help
// line and the ? overlay) and a size.
type Component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// Screen is one screen of the TUI.
type Screen interface {
	Component
	// Title names the screen (the help's heading).
	Title() string
	// Typing reports whether a text input takes printable keys now, so ?
	// is text and not help.
	Typing() bool
	// Modal reports whether the screen has a panel open that esc closes,
	// so esc goes to the screen instead of back.
	Modal() bool
}

// ErrMsg is a command's failure, for the screen with the tag.
type ErrMsg struct {
	Tag Tag
	Err error
}

// Fail returns the ErrMsg of err for tag.
func Fail(tag Tag, err error) tea.Msg { return ErrMsg{Tag: tag, Err: err} }
