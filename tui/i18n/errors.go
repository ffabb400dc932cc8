package i18n

import (
	"context"
	"errors"
	"strings"

	"github.com/okno-mfc/okno/domain"
)

// Error is a failure the TUI itself finds (a file that is not a PDF, a
// code that matches nothing …), named by a catalogue id with its
// arguments, so it is shown in the clerk's language.
type Error struct {
	ID   string
	Args []any
}

func (e *Error) Error() string { return New(EN).S(e.ID, e.Args...) }

// Errorf makes an Error.
func Errorf(id string, args ...any) error { return &Error{ID: id, Args: args} }

// Err says what went wrong in words a clerk can act on. The domain's errors
// (invalid input, not found, a wrong password …) are translated; anything
// else is shown in English after a translated lead.
func (t T) Err(err error) string {
	if err == nil {
		return ""
	}
	var (
		te  *Error
		ie  *domain.InvalidError
		md  *domain.MissingDocumentsError
		tre *domain.TransitionError
		re  *domain.ReturnedError
	)
	switch {
	case errors.As(err, &te):
		return t.S(te.ID, te.Args...)
	case errors.As(err, &re):
		why := ""
		if re.Reason != "" {
			why = t.S("err.returned.why", re.Reason)
		}
		return t.S("err.returned", t.Date(re.ReturnedAt.Local()), why)
	case errors.Is(err, domain.ErrCaseNumberTypo):
		return t.S("err.case_number.typo")
	case errors.As(err, &md):
		return t.S("err.missing_docs", len(md.Docs))
	case errors.As(err, &ie):
		return t.Invalid(ie, "")
	case errors.As(err, &tre):
		return t.S("err.transition", t.S("action."+string(tre.Action)), t.S("state."+string(tre.From)))
	case errors.Is(err, domain.ErrQueueEmpty):
		return t.S("err.queue_empty")
	case errors.Is(err, domain.ErrOnBreak):
		return t.S("err.on_break")
	case errors.Is(err, domain.ErrTicketAtWindow):
		return t.S("err.ticket_at_window")
	case errors.Is(err, domain.ErrBadCredentials):
		return t.S("err.bad_credentials")
	case errors.Is(err, domain.ErrUnknownOffline):
		return t.S("err.unknown_offline")
	case errors.Is(err, domain.ErrNotInitialised):
		return t.S("err.not_initialised")
	case errors.Is(err, domain.ErrNotFound):
		return t.S("err.not_found")
	case errors.Is(err, context.DeadlineExceeded):
		return t.S("err.timeout")
	case errors.Is(err, context.Canceled):
		return t.S("err.canceled")
	}
	return t.S("err.other", err.Error())
}

// Invalid says what is wrong with a field, in the clerk's language. variant
// narrows the message (the document type, for a document number): the
// catalogue is asked for invalid.FIELD.VARIANT.PROBLEM, then
// invalid.FIELD.PROBLEM, then the field's name and the problem's words.
func (t T) Invalid(e *domain.InvalidError, variant string) string {
	field := e.Field
	if variant != "" {
		if id := "invalid." + field + "." + variant + "." + e.Problem; t.Has(id) {
			return t.S(id)
		}
	}
	if id := "invalid." + field + "." + e.Problem; t.Has(id) {
		return t.S(id)
	}
	name := field
	if id := "field." + field; t.Has(id) {
		name = t.S(id)
	} else if i := strings.LastIndexByte(field, '.'); i >= 0 && t.Has("field."+field[i+1:]) {
		name = t.S("field." + field[i+1:])
	}
	problem := e.Problem
	if id := "problem." + e.Problem; t.Has(id) {
		problem = t.S(id)
	}
	return name + ": " + problem
}
