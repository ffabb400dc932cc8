package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/ratingcode"
)

// The visitors' ratings (issue 15 §4, Government Decree 1284): a rating
// code rates one kiosk ticket once it is served, or one case once its
// result is issued, at most once.

// MaxRatingComment is the longest comment a rating keeps, in characters.
const MaxRatingComment = 500

var (
	// ErrNoSuchRatingCode answers a code the central does not know.
	ErrNoSuchRatingCode = fmt.Errorf("no such rating code: check it against the ticket or the receipt: %w", domain.ErrNotFound)
	// ErrNotRatableYet answers a code whose ticket is not served or whose
	// case's result is not issued yet.
	ErrNotRatableYet = errors.New("not yet: a ticket can be rated once the visitor was served, a case once its result was issued")
	// ErrAlreadyRated answers a second rating of a code, a ticket or a case.
	ErrAlreadyRated = errors.New("this ticket or case has already been rated; each is rated once")
)

// RatingTarget is what a rating code rates, as the public page may show it
// (nothing personal: the office and the service).
type RatingTarget struct {
	Office  string
	Subject string // ticket | case
	Service string
	// State is what the code can do now: "open" (rate it), "not_yet",
	// "rated".
	State string
}

// Rating is one stored rating.
type Rating struct {
	Office, Subject, Service, Clerk string
	Window, Score                   int
	Comment                         string
	At                              time.Time
}

// ratingCodeRow is rating_codes' row and the thing it rates.
type ratingCodeRow struct {
	hash, office, ticketID, caseID string
}

// RatingTarget looks a canonical rating code up.
func (s *Store) RatingTarget(ctx context.Context, code string) (RatingTarget, error) {
	rc, err := s.ratingCode(ctx, code)
	if err != nil {
		return RatingTarget{}, err
	}
	rt := RatingTarget{Office: rc.office, State: "open"}
	var n int
	if err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*) FROM ratings WHERE code_hash = ?`), rc.hash).Scan(&n); err != nil {
		return RatingTarget{}, err
	}
	sub, err := s.ratingSubject(ctx, rc)
	if err != nil {
		return RatingTarget{}, err
	}
	rt.Subject, rt.Service = sub.kind, sub.service
	switch {
	case n > 0:
		rt.State = "rated"
	case !sub.done:
		rt.State = "not_yet"
	}
	return rt, nil
}

func (s *Store) ratingCode(ctx context.Context, code string) (ratingCodeRow, error) {
	rc := ratingCodeRow{hash: ratingcode.Hash(code)}
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT office, ticket_id, case_id FROM rating_codes WHERE code_hash = ?`), rc.hash).
		Scan(&rc.office, &rc.ticketID, &rc.caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return rc, ErrNoSuchRatingCode
	}
	return rc, err
}

// ratingSubject is the ticket or case of a code: whether it is served or
// issued, and by whom.
type ratingSubject struct {
	kind, id, service, clerk string
	window                   int
	done                     bool
}

func (s *Store) ratingSubject(ctx context.Context, rc ratingCodeRow) (ratingSubject, error) {
	if rc.caseID != "" {
		sub := ratingSubject{kind: "case", id: rc.caseID}
		var state string
		err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT state, service FROM cases WHERE id = ?`), rc.caseID).Scan(&state, &sub.service)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return sub, nil // handed off, its case row not there yet: not ratable
		case err != nil:
			return sub, err
		}
		if domain.CaseState(state) != domain.CaseIssued {
			return sub, nil
		}
		err = s.rdb.QueryRowContext(ctx, s.d.q(`SELECT win, actor FROM events WHERE case_id = ? AND kind = ? AND status = 'accepted'
			ORDER BY pos DESC LIMIT 1`), rc.caseID, string(domain.EvResultIssued)).Scan(&sub.window, &sub.clerk)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return sub, err
		}
		sub.done = true
		return sub, nil
	}
	sub := ratingSubject{kind: "ticket", id: rc.ticketID}
	var state string
	var called int64
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT state, service, win, called_at FROM tickets WHERE id = ?`), rc.ticketID).
		Scan(&state, &sub.service, &sub.window, &called)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return sub, nil
	case err != nil:
		return sub, err
	}
	if domain.TicketState(state) != domain.TicketServed {
		return sub, nil
	}
	// The clerk is the one named on the ticket.served event, received
	// after the ticket was called (a day's margin for clocks and links).
	lo, err := s.firstPosSince(ctx, called-int64(24*time.Hour))
	if err != nil {
		return sub, err
	}
	err = s.rdb.QueryRowContext(ctx, s.d.q(`SELECT actor FROM events WHERE pos >= ? AND ticket_id = ? AND kind = ? AND status = 'accepted'
		ORDER BY pos DESC LIMIT 1`), lo, rc.ticketID, string(domain.EvTicketServed)).Scan(&sub.clerk)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return sub, err
	}
	sub.done = true
	return sub, nil
}

// Rate records a visitor's rating (1–5, a comment of at most
// MaxRatingComment characters) by a canonical rating code: once per code
// and once per ticket or case, whatever races it (the table's unique keys
// decide; the loser gets ErrAlreadyRated).
func (s *Store) Rate(ctx context.Context, code string, score int, comment string) (Rating, error) {
	if score < 1 || score > 5 {
		return Rating{}, &domain.InvalidError{Field: "score", Problem: domain.ProblemRange, Message: "the score is 1 to 5"}
	}
	if domain.CheckText(comment) != nil {
		return Rating{}, &domain.InvalidError{Field: "comment", Problem: domain.ProblemRange,
			Message: "the comment holds bytes that are not text (invalid UTF-8 or NUL); send it as UTF-8 text"}
	}
	if utf8.RuneCountInString(comment) > MaxRatingComment {
		return Rating{}, &domain.InvalidError{Field: "comment", Problem: domain.ProblemRange,
			Message: fmt.Sprintf("the comment is at most %d characters of text; shorten it", MaxRatingComment)}
	}
	rc, err := s.ratingCode(ctx, code)
	if err != nil {
		return Rating{}, err
	}
	sub, err := s.ratingSubject(ctx, rc)
	if err != nil {
		return Rating{}, err
	}
	if !sub.done {
		var n int
		if err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*) FROM ratings WHERE code_hash = ?`), rc.hash).Scan(&n); err != nil {
			return Rating{}, err
		}
		if n > 0 {
			return Rating{}, ErrAlreadyRated
		}
		return Rating{}, ErrNotRatableYet
	}
	r := Rating{Office: rc.office, Subject: sub.kind, Service: sub.service, Clerk: sub.clerk, Window: sub.window, Score: score, Comment: comment}
	err = s.WithTx(ctx, func(t *Tx) error {
		if err := t.lock(rc.office); err != nil {
			return err
		}
		r.At = nanos(t.now)
		n, err := t.execResult(`INSERT INTO ratings (code_hash, office, subject, subject_id, win, service, clerk, score, comment, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			rc.hash, rc.office, sub.kind, sub.id, sub.window, sub.service, sub.clerk, score, comment, t.now)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrAlreadyRated
		}
		t.changed[rc.office] = true // the supervisors' figures of today
		return nil
	})
	return r, err
}

// Ratings reads office's ratings made in [lo, hi).
func (s *Store) Ratings(ctx context.Context, office string, lo, hi time.Time) ([]Rating, error) {
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT subject, service, clerk, win, score, comment, at FROM ratings
		WHERE office = ? AND at >= ? AND at < ? ORDER BY at`), office, lo.UnixNano(), hi.UnixNano())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rating
	for rows.Next() {
		r := Rating{Office: office}
		var at int64
		if err := rows.Scan(&r.Subject, &r.Service, &r.Clerk, &r.Window, &r.Score, &r.Comment, &at); err != nil {
			return nil, err
		}
		r.At = nanos(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// addRatingCode keeps a rating code's hash for a ticket or a case of
// office; a hash already kept is left as it is.
func (t *Tx) addRatingCode(hash, office, ticketID, caseID string) error {
	return t.exec(`INSERT INTO rating_codes (code_hash, office, ticket_id, case_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (code_hash) DO NOTHING`,
		hash, office, ticketID, caseID, t.now)
}
