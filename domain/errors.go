package domain

import (
	"errors"
	"fmt"
	"regexp"
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
