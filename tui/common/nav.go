package common

import (
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

// Messages a screen sends the root to move the clerk on. The root builds
// the next screen from them; screens never import each other.

// SignedIn says the operator signed in.
type SignedIn struct {
	Operator domain.Operator
	Online   bool // the central checked the password
}

// GoQueue opens the queue, the home screen after sign-in, with an optional
// notice to show there.
type GoQueue struct{ Notice string }

// StartIntake opens the visitor search for the ticket being served (or a
// walk-in without a ticket).
type StartIntake struct{ TicketID string }

// VisitorChosen opens the service choice for a visitor.
type VisitorChosen struct {
	Visitor  domain.Visitor
	TicketID string
}

// CaseOpened opens the checklist of a draft case.
type CaseOpened struct {
	Case     *domain.CaseView
	Visitor  domain.Visitor
	TicketID string
}

// HandedOff opens the receipt of a case just handed off.
type HandedOff struct {
	Case     *domain.CaseView
	Visitor  domain.Visitor
	TicketID string
}

// ShowCase opens a case's detail on the cases screen.
type ShowCase struct{ CaseID string }

// ShowReceipt opens (and saves again) the receipt of an existing case.
type ShowReceipt struct{ CaseID string }

// Back returns to the previous screen.
type Back struct{}

// StatusChanged tells the screen on top that the link's status changed
// (Common.Status already holds it).
type StatusChanged struct{ Status link.Status }

// Changed tells the screen on top what the store committed: the screen's
// own writes, another window's or a department's through the feed, the
// central's answers. A screen reloads what it shows when the change
// touches it; nobody has to tell anybody else of a write.
type Changed struct{ localdb.Change }
