package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/statuscode"
)

// The citizen's side of a case (issue 15): a case's status read with its
// number and the status code from the receipt. The central holds only
// the code's hash (case_codes, from the case.handed_off event); a wrong
// code and an unknown number are the same answer, and take the same time.

// ErrNoSuchCode is the answer for a wrong code and an unknown number alike.
var ErrNoSuchCode = fmt.Errorf("no case with this number and code: check both against the receipt: %w", domain.ErrNotFound)

var (
	codeDummyOnce sync.Once
	codeDummy     string
)

// codeDummyHash is checked when the number is unknown, so that answer
// takes as long as a wrong code's.
func codeDummyHash() string {
	codeDummyOnce.Do(func() { codeDummy, _ = statuscode.Hash("okno: no such case", "000000") })
	return codeDummy
}

// PublicCase returns what the visitor may learn of the case numbered
// number (canonical spelling) when code is its status code, and
// ErrNoSuchCode otherwise; k is the storage period of the case's office
// (the last day to collect the result).
func (s *Store) PublicCase(ctx context.Context, number, code string, k Keeping) (api.PublicCase, error) {
	var caseID, hash string
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT case_id, code_hash FROM case_codes WHERE number = ?`), number).Scan(&caseID, &hash)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return api.PublicCase{}, err
	}
	if !known {
		hash = codeDummyHash()
	}
	var ok bool
	if err := s.withHashSlot(ctx, func() { ok = statuscode.Verify(hash, number, code) }); err != nil {
		return api.PublicCase{}, err
	}
	if !known || !ok {
		return api.PublicCase{}, ErrNoSuchCode
	}
	return s.publicCase(ctx, caseID, k)
}

// publicCase folds the case's accepted events into its public history.
func (s *Store) publicCase(ctx context.Context, caseID string, k Keeping) (api.PublicCase, error) {
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT `+eventColumns+`, received_at FROM events
		WHERE case_id = ? AND status = 'accepted' ORDER BY pos`), caseID)
	if err != nil {
		return api.PublicCase{}, err
	}
	defer rows.Close()
	var events []domain.Event
	var received []time.Time
	for rows.Next() {
		var fe api.FeedEvent
		var at, recv int64
		var kind string
		var payload sql.NullString
		if err := rows.Scan(&fe.Pos, &fe.ID, &fe.Office, &fe.Window, &fe.Seq, &at, &kind, &fe.Actor, &fe.CaseID, &fe.TicketID,
			&fe.VisitorID, &payload, &fe.PrevHash, &fe.Hash, &fe.Sig, &recv); err != nil {
			return api.PublicCase{}, err
		}
		fe.At, fe.Kind = nanos(at), domain.EventKind(kind)
		if payload.Valid {
			fe.Payload = json.RawMessage(payload.String)
		}
		events = append(events, fe.Event)
		received = append(received, nanos(recv))
	}
	if err := rows.Err(); err != nil {
		return api.PublicCase{}, err
	}
	return PublicHistory(events, received, k)
}

// PublicHistory folds a case's events (the first its case.opened) into
// what its visitor sees; received[i] is when the central got events[i].
// Every step comes from the fold (domain.CaseView): a status the
// department sets, by any path that changes the case's state or deadline,
// shows here.
func PublicHistory(events []domain.Event, received []time.Time, k Keeping) (api.PublicCase, error) {
	if len(events) == 0 {
		return api.PublicCase{}, ErrNoSuchCode
	}
	c, err := domain.NewCase(&events[0])
	if err != nil {
		return api.PublicCase{}, err
	}
	out := api.PublicCase{Number: c.Number, Service: c.Service, Office: c.Office, History: []api.PublicStep{}}
	for i := 1; i < len(events); i++ {
		e := &events[i]
		before := *c
		if err := c.Apply(e); err != nil {
			continue // accepted events fold; one that does not (a newer kind) tells the visitor nothing
		}
		if c.State != before.State {
			out.History = append(out.History, stepsOf(e, c, received[i])...)
		}
		if c.Deadline != before.Deadline && before.State != domain.CaseDraft {
			out.History = append(out.History, api.PublicStep{Step: api.StepDeadline, At: e.At, Deadline: c.Deadline})
		}
	}
	out.State, out.Deadline = c.State, c.Deadline
	switch c.State {
	case domain.CaseReady, domain.CaseRefused, domain.CaseUnclaimed:
		out.Collect = &api.PublicCollect{Office: c.Office, Since: c.ReadyAt}
		if k.Days > 0 {
			out.Collect.Until = c.CollectUntil(k.Days, k.loc())
		}
		out.Bring = []string{api.BringIdentity, api.BringReceipt, api.BringAttorney}
	case domain.CaseMoreDocs:
		out.Bring = []string{api.BringRequested, api.BringIdentity, api.BringReceipt}
	default: // nothing to bring until the department asks or decides
	}
	return out, nil
}

// stepsOf names the step (or two) a state change is for the visitor.
func stepsOf(e *domain.Event, c *domain.CaseView, received time.Time) []api.PublicStep {
	at := e.At
	switch c.State {
	case domain.CaseSubmitted:
		return []api.PublicStep{{Step: api.StepAccepted, At: at}, {Step: api.StepSent, At: received}}
	case domain.CaseAccepted:
		return []api.PublicStep{{Step: api.StepRegistered, At: at}}
	case domain.CaseInWork:
		return []api.PublicStep{{Step: api.StepInWork, At: at}}
	case domain.CaseMoreDocs:
		return []api.PublicStep{{Step: api.StepDocsAsked, At: at}}
	case domain.CaseReady:
		return []api.PublicStep{{Step: api.StepReady, At: at, Office: c.Office}}
	case domain.CaseRefused:
		return []api.PublicStep{{Step: api.StepRefused, At: at, Office: c.Office}}
	case domain.CaseIssued:
		return []api.PublicStep{{Step: api.StepIssued, At: at}}
	case domain.CaseWithdrawn:
		return []api.PublicStep{{Step: api.StepWithdrawn, At: at}}
	case domain.CaseUnclaimed:
		return []api.PublicStep{{Step: api.StepUnclaimed, At: at}}
	case domain.CaseReturned:
		return []api.PublicStep{{Step: api.StepReturned, At: at}}
	default:
		return []api.PublicStep{{Step: string(c.State), At: at}}
	}
}

// TakeStatusTry counts a try of a status code for number, or says how
// long number must wait: max tries an hour (per) for one number, whoever
// makes them. A try counts until ForgiveStatusTry takes it back (the code
// was right), so tries made in parallel, on any replica, count too.
func (s *Store) TakeStatusTry(ctx context.Context, number string, max int, per time.Duration) (ok bool, wait time.Duration, err error) {
	now := s.now()
	key := limitKey("status:" + number)
	err = s.limitTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO status_tries (key, n, since) VALUES (?, 0, ?) ON CONFLICT (key) DO NOTHING`), key, now.UnixNano()); err != nil {
			return err
		}
		lock := ""
		if s.d.dollar {
			lock = " FOR UPDATE"
		}
		var n int
		var since int64
		if err := tx.QueryRowContext(ctx, s.d.q(`SELECT n, since FROM status_tries WHERE key = ?`+lock), key).Scan(&n, &since); err != nil {
			return err
		}
		if now.Sub(nanos(since)) >= per {
			n, since = 0, now.UnixNano()
		}
		if n >= max {
			wait = nanos(since).Add(per).Sub(now)
			return nil
		}
		ok = true
		_, err := tx.ExecContext(ctx, s.d.q(`UPDATE status_tries SET n = ?, since = ? WHERE key = ?`), n+1, since, key)
		return err
	})
	if err != nil {
		return false, 0, fmt.Errorf("status code tries: %w", err)
	}
	return ok, wait, nil
}

// ForgiveStatusTry takes back a try of number's code that was right (or
// that could not be checked).
func (s *Store) ForgiveStatusTry(ctx context.Context, number string) error {
	_, err := s.db.ExecContext(ctx, s.d.q(`UPDATE status_tries SET n = n - 1 WHERE key = ? AND n > 0`), limitKey("status:"+number))
	return err
}
