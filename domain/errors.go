package domain

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Problem codes of an InvalidError: stable ids a screen translates, combined
// with the field's name ("SNILS: the check number does not match").
const (
	ProblemEmpty    = "empty"    // required and missing
	ProblemLength   = "length"   // wrong number of characters
	ProblemChars    = "chars"    // characters that may not stand there
	ProblemCheck    = "check"    // check digit does not match (a typo)
	ProblemSame     = "same"     // all digits the same
	ProblemFormat   = "format"   // shape is wrong
	ProblemRange    = "range"    // a number or date outside what is possible
	ProblemUnknown  = "unknown"  // refers to something that does not exist
	ProblemConflict = "conflict" // contradicts what is already recorded
)

// InvalidError says which field of an input is wrong and why. Message is
// English for logs and the API; Problem is the code a screen translates.
type InvalidError struct {
	Field   string
	Problem string
	Message string
}

func (e *InvalidError) Error() string { return e.Field + ": " + e.Message }

// ErrInvalid matches every *InvalidError with errors.Is.
var ErrInvalid = errors.New("invalid input")

// Is lets errors.Is(err, ErrInvalid) match.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, msg string) error {
	return &InvalidError{Field: field, Problem: ProblemFormat, Message: msg}
}

func invalidf(field, problem, format string, args ...any) error {
	return &InvalidError{Field: field, Problem: problem, Message: fmt.Sprintf(format, args...)}
}

var (
	officeRe = regexp.MustCompile(`^[A-Z0-9]{2,8}$`)
	uuidRe   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// IsUUID reports whether s is a UUID in its canonical lower-case form.
func IsUUID(s string) bool { return uuidRe.MatchString(s) }

// ValidOffice reports whether s can be an office code (2–8 capital Latin
// letters or digits).
func ValidOffice(s string) bool { return officeRe.MatchString(s) }

// The errors a caller acts on, declared once for the workstation, the
// client and the central, and translated once by the clerk's screens. Match
// them with errors.Is (MissingDocumentsError with errors.As).
var (
	// ErrNotFound says a looked-up thing does not exist.
	ErrNotFound = errors.New("not found")
	// ErrQueueEmpty says no waiting ticket can be served at this window.
	ErrQueueEmpty = errors.New("nobody is waiting for a service this window can serve")
	// ErrTicketAtWindow says a visitor is still at the window: the ticket
	// must be finished (served, no-show or postponed) first.
	ErrTicketAtWindow = errors.New("a visitor is still at the window: finish the ticket (served, no-show or postpone) first")
	// ErrOnBreak says the window is on a break: it calls nobody until it
	// resumes.
	ErrOnBreak = errors.New("this window is on a break: resume work before calling the next visitor")
	// ErrBadCredentials says the login or the password is wrong.
	ErrBadCredentials = errors.New("wrong login or password")
	// ErrUnknownOffline says the operator never signed in on this
	// workstation while the central answered, so the password cannot be
	// checked without the central.
	ErrUnknownOffline = errors.New("the central is unreachable and this operator has never signed in on this workstation: sign in once while the link is up")
	// ErrNotInitialised says a workstation has no office and window yet.
	ErrNotInitialised = errors.New("this workstation has no office and window yet: run 'okno enrol' or 'okno demo seed' first, or start with --office and --window")
)

// MissingDocumentsError says required documents of a case are not
// presented and the clerk gave no reason to hand it off anyway.
type MissingDocumentsError struct{ Docs []string }

func (e *MissingDocumentsError) Error() string {
	return "required documents are missing (" + strings.Join(e.Docs, ", ") + "): record why to hand off anyway"
}
