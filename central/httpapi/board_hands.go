package httpapi

import (
	"context"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
)

// The supervisor's hands on the queue, in-process: the same transactions
// as POST /v1/offices/{office}/tickets/{id}/move|priority and
// /windows/{window}/close, each recorded as the central's own event with
// the person as its actor, for the roles those routes allow.

func (b *Board) supervise(ctx context.Context, office string, do func(t *store.Tx, who *store.Session) error) error {
	if err := b.sees(office); err != nil {
		return err
	}
	who := &store.Session{Operator: b.op}
	return b.s.store.WithTx(ctx, func(t *store.Tx) error { return do(t, who) })
}

// MoveTicket sends a waiting ticket to a window of the office, or (0) back
// to the shared queue.
func (b *Board) MoveTicket(ctx context.Context, office, ticketID string, window int, reason string) error {
	return b.supervise(ctx, office, func(t *store.Tx, who *store.Session) error {
		_, err := t.MoveTicket(who, office, ticketID, api.MoveTicketRequest{Window: window, Reason: reason})
		return err
	})
}

// SetPriority gives a waiting ticket a new queue rank, with the reason.
func (b *Board) SetPriority(ctx context.Context, office, ticketID string, rank int, reason string) error {
	return b.supervise(ctx, office, func(t *store.Tx, who *store.Session) error {
		_, err := t.SetPriority(who, office, ticketID, api.PriorityRequest{Rank: rank, Reason: reason})
		return err
	})
}

// CloseWindow closes a window whose clerk has gone.
func (b *Board) CloseWindow(ctx context.Context, office string, window int, reason string) error {
	return b.supervise(ctx, office, func(t *store.Tx, who *store.Session) error {
		_, err := t.CloseWindow(who, office, window, api.CloseWindowRequest{Reason: reason})
		return err
	})
}

// ReturnResult sends a result not collected in time back to its
// department, with the reason.
func (b *Board) ReturnResult(ctx context.Context, office, caseID, reason string) error {
	k := b.s.keeping(ctx, office)
	return b.supervise(ctx, office, func(t *store.Tx, who *store.Session) error {
		_, err := t.ReturnResult(who, office, caseID, api.ReturnResultRequest{Reason: reason}, k)
		return err
	})
}

// ExtendCollect keeps a result at the office days more days, with the
// reason.
func (b *Board) ExtendCollect(ctx context.Context, office, caseID string, days int, reason string) error {
	k := b.s.keeping(ctx, office)
	return b.supervise(ctx, office, func(t *store.Tx, who *store.Session) error {
		_, err := t.ExtendCollect(who, office, caseID, api.ExtendCollectRequest{Days: days, Reason: reason}, k)
		return err
	})
}
