// Package keymap is the one key map of the clerk's TUI: every key a screen
// reacts to is a key.Binding here, with its help text from the catalogue,
// so the help line, the ? overlay and the code cannot drift apart. Screens
// match keys with key.Matches and list their bindings for help.
//
// Screens that hold a text input (search, forms, the scanner line) take
// printable keys as text, so their own actions are on enter, tab, arrows,
// space (on an empty scanner line), function and ctrl keys; single letters
// act only on screens without a text input (the queue, a case's detail).
package keymap

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/okno-mfc/okno/tui/i18n"
)

// KeyMap holds every binding.
type KeyMap struct {
	// Global.
	Quit   key.Binding
	Back   key.Binding
	Help   key.Binding // ? or f1, on screens where no text is being typed
	HelpF1 key.Binding // f1 alone, while text is being typed
	Queue  key.Binding
	Find   key.Binding
	Cases  key.Binding
	Sync   key.Binding
	Live   key.Binding // a supervisor's live queue

	// Lists.
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Select   key.Binding

	// Forms.
	NextField key.Binding
	PrevField key.Binding
	Submit    key.Binding
	Save      key.Binding
	Left      key.Binding
	Right     key.Binding

	// Queue.
	CallNext  key.Binding
	Serve     key.Binding
	Recall    key.Binding
	NoShow    key.Binding
	Postpone  key.Binding
	Return    key.Binding
	Redirect  key.Binding
	Served    key.Binding
	NewTicket key.Binding
	Break     key.Binding // a break starts or ends
	SwitchTab key.Binding

	// Intake.
	NewVisitor key.Binding
	Withdraw   key.Binding // withdraw the visitor's consent to notices

	// Checklist.
	Toggle  key.Binding
	Form    key.Binding
	More    key.Binding
	Less    key.Binding
	Scan    key.Binding
	HandOff key.Binding

	// Receipt.
	Done    key.Binding
	Another key.Binding
	Print   key.Binding

	// Cases.
	Filter   key.Binding
	Issue    key.Binding
	IssueNow key.Binding // in the issue form: record the issue (ctrl+s, as Save)
	Receipt  key.Binding

	// Drafts (a case left before its hand-off) and confirmations.
	Resume     key.Binding // open a draft's checklist again
	CancelCase key.Binding // cancel a draft (withdraw a case) with a reason
	Yes        key.Binding // confirm what a question asks

	// Session.
	SignOut key.Binding // sign out: the window closes
	Lock    key.Binding // lock the screen now
	Unlock  key.Binding // the password typed: unlock

	IssueReady key.Binding // the chosen visitor's result waiting at the window: open it to issue

	// Sync.
	Refresh key.Binding
	Resend  key.Binding // offer the rejected events again

	// The department's desk: the inbox's filters, a case's statuses, its
	// attachments.
	DeskOffice  key.Binding
	DeskService key.Binding
	DeskState   key.Binding
	DeskWork    key.Binding // take into work (or: the documents came)
	DeskDocs    key.Binding // request documents
	DeskExtend  key.Binding
	DeskReady   key.Binding
	DeskRefuse  key.Binding
	DeskOpen    key.Binding // open an attachment in the system's viewer
	DeskSave    key.Binding // save an attachment to a folder
}

// New builds the key map with help texts in t's language.
func New(t i18n.T) *KeyMap {
	b := func(desc string, keys ...string) key.Binding {
		help := keys[0]
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, t.S(desc)))
	}
	bh := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, t.S(desc)))
	}
	return &KeyMap{
		Quit:   b("key.quit", "ctrl+c"),
		Back:   b("key.back", "esc"),
		Help:   bh("?/f1", "key.help", "?", "f1"),
		HelpF1: bh("f1", "key.help", "f1"),
		Queue:  b("key.queue", "f2"),
		Find:   b("key.find", "f3"),
		Cases:  b("key.cases", "f4"),
		Sync:   b("key.sync", "f5"),
		Live:   b("key.live", "f6"),

		Up:       bh("↑", "key.up", "up"),
		Down:     bh("↓", "key.down", "down"),
		PageUp:   bh("pgup", "key.pgup", "pgup"),
		PageDown: bh("pgdn", "key.pgdown", "pgdown"),
		Select:   b("key.select", "enter"),

		NextField: bh("tab/↓", "key.nextfield", "tab", "down"),
		PrevField: bh("shift+tab/↑", "key.prevfield", "shift+tab", "up"),
		Submit:    b("key.submit", "enter"),
		Save:      b("key.save", "ctrl+s"),
		Left:      bh("←/→", "key.choose", "left"),
		Right:     bh("→", "key.choose", "right"),

		CallNext:  b("key.callnext", "n"),
		Serve:     bh("enter/i", "key.serve", "enter", "i"),
		Recall:    b("key.recall", "r"),
		NoShow:    b("key.noshow", "x"),
		Postpone:  b("key.postpone", "p"),
		Return:    b("key.return", "u"),
		Redirect:  b("key.redirect", "d"),
		Served:    b("key.served", "s"),
		NewTicket: b("key.newticket", "t"),
		Break:     b("key.break", "b"),
		SwitchTab: b("key.switchtab", "tab"),

		NewVisitor: b("key.newvisitor", "ctrl+n"),
		Withdraw:   b("key.withdraw_consent", "f8"),

		Toggle:  bh("space", "key.toggle", " "),
		Form:    b("key.form", "tab"),
		More:    b("key.more", "+"),
		Less:    b("key.less", "-"),
		Scan:    b("key.scan", "enter"),
		HandOff: b("key.handoff", "ctrl+s"),

		Done:    b("key.done", "enter"),
		Another: b("key.another", "ctrl+n"),
		Print:   b("key.print", "p"),

		Filter:   b("key.filter", "tab"),
		Issue:    b("key.issue", "i"),
		IssueNow: b("key.issuenow", "ctrl+s"),
		Receipt:  b("key.receipt", "r"),

		Resume:     b("key.resume", "o"),
		CancelCase: b("key.cancelcase", "c"),
		Yes:        bh("enter/y", "key.yes", "enter", "y"),

		SignOut: b("key.signout", "ctrl+o"),
		Lock:    b("key.lock", "ctrl+l"),
		Unlock:  b("key.unlock", "enter"),

		IssueReady: b("key.issueready", "ctrl+e"),

		Refresh: b("key.refresh", "ctrl+r"),
		Resend:  b("key.resend", "s"),

		DeskOffice:  b("key.desk.office", "o"),
		DeskService: b("key.desk.service", "v"),
		DeskState:   b("key.desk.state", "t"),
		DeskWork:    b("key.desk.work", "w"),
		DeskDocs:    b("key.desk.docs", "d"),
		DeskExtend:  b("key.desk.extend", "e"),
		DeskReady:   b("key.desk.ready", "r"),
		DeskRefuse:  b("key.desk.refuse", "x"),
		DeskOpen:    b("key.desk.open", "o"),
		DeskSave:    b("key.desk.save", "s"),
	}
}
