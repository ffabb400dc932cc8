package localdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/okno-mfc/okno/domain"
)

// project applies one event to the projections. The same function serves the
// window's own events and the ones the feed brings, so a case looks the same
// wherever it was folded. It must be idempotent for feed events: applying an
// event that is already reflected changes nothing.
func (s *Store) project(ctx context.Context, tx *Tx, ev *domain.Event) error {
	p, err := ev.DecodePayload()
	if err != nil {
		return err
	}
	at := ev.At.UTC().Format(timeFormat)
	switch p := p.(type) {
	case *domain.VisitorPayload:
		return s.putVisitor(ctx, tx, &p.Visitor, at, ev.Kind == domain.EvVisitorRegistered)
	case *domain.TicketIssuedPayload:
		rank := 0
		if c, ok := s.catalog.Category(p.Category); ok {
			rank = c.Rank
		}
		if p.Prebooked && rank == 0 {
			rank = domain.PrebookedRank // a checked-in booking: before the ordinary queue
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO tickets (id, number, day, service, category, rank, proof, state, issued_at, origin)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?) ON CONFLICT (id) DO NOTHING`,
			ev.TicketID, p.Number, ev.At.Local().Format("2006-01-02"), p.Service, p.Category, rank, p.Proof, at, ev.Window)
		return err
	case *domain.TicketMovePayload:
		return s.moveTicket(ctx, tx, ev, p, at)
	case *domain.TicketRedirectedPayload:
		_, err = tx.ExecContext(ctx, `UPDATE tickets SET state = 'waiting', window = ?, service = CASE WHEN ? <> '' THEN ? ELSE service END, called_at = '' WHERE id = ?`,
			p.Window, p.Service, p.Service, ev.TicketID)
		return err
	case *domain.TicketPriorityPayload:
		_, err = tx.ExecContext(ctx, `UPDATE tickets SET rank = ? WHERE id = ?`, p.Rank, ev.TicketID)
		return err
	case *domain.WindowClosedPayload:
		// A supervisor closed a window (the tickets it held come back as
		// their own ticket.redirected events). This one: closed as by a
		// sign-out, so the next sign-in here opens it (window.resumed).
		if ev.Office != s.office || p.Window != s.window {
			return nil
		}
		if err := setMeta(ctx, tx, "on_break", ""); err != nil {
			return err
		}
		return setMeta(ctx, tx, "closed", ev.At.UTC().Format(timeFormat))
	case *domain.CaseOpenedPayload:
		c, err := domain.NewCase(ev)
		if err != nil {
			return err
		}
		return insertCase(ctx, tx, c)
	case *domain.DocumentPayload:
		if err := s.applyToCase(ctx, tx, ev); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO checklist (case_id, doc, presented, form, count, barcode) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (case_id, doc) DO UPDATE SET presented = excluded.presented, form = excluded.form, count = excluded.count, barcode = excluded.barcode`,
			ev.CaseID, p.Doc, p.Presented, string(p.Form), p.Count, p.Barcode)
		return err
	case *domain.AttachmentPayload:
		if err := s.applyToCase(ctx, tx, ev); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO attachments (case_id, doc, sha256, name, size) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			ev.CaseID, p.Doc, p.SHA256, p.Name, p.Size)
		return err
	case *domain.HandOffPayload, *domain.StatusPayload, *domain.DeadlinePayload, *domain.NotePayload, *domain.IssuePayload,
		*domain.ReturnPayload, *domain.CollectPayload:
		return s.applyToCase(ctx, tx, ev)
	case *domain.WindowPayload:
		if ev.Office != s.office || ev.Window != s.window {
			return nil // other windows' breaks are the supervisor's business
		}
		on, closed := "", ""
		switch ev.Kind {
		case domain.EvWindowBreak:
			on = ev.At.UTC().Format(timeFormat)
		case domain.EvWindowClosed:
			closed = ev.At.UTC().Format(timeFormat)
		default: // resumed: open and at work
		}
		if err := setMeta(ctx, tx, "closed", closed); err != nil {
			return err
		}
		return setMeta(ctx, tx, "on_break", on)
	case *domain.CatalogPayload:
		return s.replaceCatalog(ctx, tx, p)
	}
	return fmt.Errorf("no projection for %s", ev.Kind)
}

func (s *Store) moveTicket(ctx context.Context, tx *Tx, ev *domain.Event, p *domain.TicketMovePayload, at string) error {
	if ev.Kind == domain.EvTicketCalled && p.Number != "" {
		// Called from the shared queue: the ticket may have been issued at
		// another window and not have reached us yet.
		_, err := tx.ExecContext(ctx, `INSERT INTO tickets (id, number, day, service, state, issued_at, origin)
			VALUES (?, ?, ?, ?, 'waiting', ?, 0) ON CONFLICT (id) DO NOTHING`,
			ev.TicketID, p.Number, ev.At.Local().Format("2006-01-02"), p.Service, at)
		if err != nil {
			return err
		}
	}
	var q string
	switch ev.Kind {
	case domain.EvTicketCalled:
		q = `UPDATE tickets SET state = 'called', window = ?, called_at = ? WHERE id = ?`
	case domain.EvTicketRecalled:
		q = `UPDATE tickets SET state = 'called', window = ?, called_at = ? WHERE id = ?`
	case domain.EvTicketNoShow:
		q = `UPDATE tickets SET state = 'no_show', window = ?, closed_at = ? WHERE id = ?`
	case domain.EvTicketPostponed:
		q = `UPDATE tickets SET state = 'postponed', window = ?, closed_at = ? WHERE id = ?`
	case domain.EvTicketReturned:
		q = `UPDATE tickets SET state = 'waiting', window = ?, closed_at = ?, called_at = '' WHERE id = ?`
		at = ""
	case domain.EvTicketServed:
		q = `UPDATE tickets SET state = 'served', window = ?, closed_at = ? WHERE id = ?`
	default:
		return fmt.Errorf("no ticket move for %s", ev.Kind)
	}
	_, err := tx.ExecContext(ctx, q, p.Window, at, ev.TicketID)
	return err
}

func insertCase(ctx context.Context, tx *Tx, c *domain.CaseView) error {
	view, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO cases (id, number, visitor_id, service, state, deadline, opened_at, view) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.Number, c.VisitorID, c.Service, string(c.State), c.Deadline, c.OpenedAt.UTC().Format(timeFormat), view)
	if err != nil {
		return fmt.Errorf("store case %s: %w", c.Number, err)
	}
	return nil
}

// applyToCase folds ev into its case through domain's state machine.
func (s *Store) applyToCase(ctx context.Context, tx *Tx, ev *domain.Event) error {
	c, err := caseByID(ctx, tx, ev.CaseID)
	if err != nil {
		return err
	}
	if err := c.Apply(ev); err != nil {
		return err
	}
	view, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE cases SET state = ?, deadline = ?, view = ? WHERE id = ?`, string(c.State), c.Deadline, view, c.ID)
	return err
}

func caseByID(ctx context.Context, q querier, id string) (*domain.CaseView, error) {
	var view []byte
	err := q.QueryRowContext(ctx, `SELECT view FROM cases WHERE id = ?`, id).Scan(&view)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("case %s: %w", id, domain.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	var c domain.CaseView
	if err := json.Unmarshal(view, &c); err != nil {
		return nil, fmt.Errorf("case %s is unreadable: %w", id, err)
	}
	return &c, nil
}
