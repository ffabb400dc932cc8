package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Notices to visitors (issue 15). A visitor who consents at registration
// leaves their address in notice_contacts (from the visitor event; gone
// when the consent is withdrawn). When a case changes the way a visitor is
// told of — its result (or a refusal) is ready, documents are asked for,
// its deadline moves — the transaction that changes it adds a row to the
// notices outbox, keyed so that a repeated status adds nothing. Whatever
// process holds a notice's lease sends it (package central/notify).

// Notice kinds: what the visitor is told.
const (
	NoticeReady    = "ready"               // the result (or the refusal letter) waits at the office
	NoticeDocs     = "documents_requested" // the department needs more documents
	NoticeDeadline = "deadline_extended"   // the deadline moved
	NoticeReturned = "returned"            // not collected in time, the result went back to its department
)

// Notice statuses.
const (
	NoticePending   = "pending"
	NoticeSent      = "sent"
	NoticeFailed    = "failed"    // gave up: the supervisor sees it
	NoticeCancelled = "cancelled" // the consent was withdrawn before it went
)

// applyVisitor keeps the address of a visitor who consents to notices,
// and forgets it (cancelling what was not sent yet) when they withdraw.
// Nothing is written here: the transaction keeps each visitor's contact
// as its events leave it and writes them all at commit, in one statement
// per kind of change (flushContacts), not two round trips per visitor
// event (issue 17).
func (t *Tx) applyVisitor(e *domain.Event, p any) error {
	vp, ok := p.(*domain.VisitorPayload)
	if !ok {
		return nil
	}
	v := vp.Visitor
	if v.Normalize() != nil { // checked when the payload was decoded: the canonical phone is wanted
		return nil
	}
	c := v.Notices
	addr := ""
	if c != nil {
		switch c.Channel {
		case domain.NoticeEmail:
			addr = v.Email
		case domain.NoticeSMS:
			addr = v.Phone
		}
	}
	if addr == "" {
		t.contacts[e.VisitorID] = nil
		t.withdrawn[e.VisitorID] = true
		return nil
	}
	t.contacts[e.VisitorID] = &noticeContact{office: e.Office, channel: string(c.Channel), address: addr, lang: c.Lang, date: c.Date}
	return nil
}

// noticeContact is a consenting visitor's row of notice_contacts as this
// transaction leaves it.
type noticeContact struct {
	office, channel, address, lang, date string
}

// consented says whether a visitor consents to notices, as this
// transaction sees it.
func (t *Tx) consented(visitor string) (bool, error) {
	if c, ok := t.contacts[visitor]; ok {
		return c != nil, nil
	}
	var one int
	return t.scan(`SELECT 1 FROM notice_contacts WHERE visitor_id = ?`, []any{visitor}, &one)
}

// cancelWithdrawn cancels the pending notices of visitors who withdrew
// their consent in this transaction (those of the set given, or all).
func (t *Tx) cancelWithdrawn(visitors []string) error {
	if len(visitors) == 0 {
		return nil
	}
	cond, arg, err := t.in("visitor_id", visitors)
	if err != nil {
		return err
	}
	if err := t.exec(`UPDATE notices SET status = ?, last_error = ? WHERE status = ? AND `+cond,
		NoticeCancelled, "the visitor withdrew the consent", NoticePending, arg); err != nil {
		return fmt.Errorf("cancel the notices of withdrawn consents: %w", err)
	}
	for _, v := range visitors {
		delete(t.withdrawn, v)
	}
	return nil
}

// flushContacts writes the visitors' contacts this transaction changed:
// the pending notices of those who withdrew are cancelled, their
// addresses deleted, the others' kept.
func (t *Tx) flushContacts() error {
	if err := t.cancelWithdrawn(slices.Sorted(maps.Keys(t.withdrawn))); err != nil {
		return err
	}
	var gone, kept []string
	for v, c := range t.contacts {
		if c == nil {
			gone = append(gone, v)
		} else {
			kept = append(kept, v)
		}
	}
	if len(gone) > 0 {
		slices.Sort(gone)
		cond, arg, err := t.in("visitor_id", gone)
		if err != nil {
			return err
		}
		if err := t.exec(`DELETE FROM notice_contacts WHERE `+cond, arg); err != nil {
			return fmt.Errorf("notice contacts: %w", err)
		}
	}
	slices.Sort(kept)
	if err := t.upsert("notice_contacts", []string{"visitor_id"}, nil, len(kept), func(i int) []any {
		c := t.contacts[kept[i]]
		return []any{kept[i], c.office, c.channel, c.address, c.lang, c.date, t.now}
	}, "office", "channel", "address", "lang", "consent_date", "updated_at"); err != nil {
		return fmt.Errorf("notice contacts: %w", err)
	}
	clear(t.contacts)
	return nil
}

// noticesFor adds to the outbox what the change of a case from old to
// next tells its visitor, if they consented. It looks at the case as the
// fold left it, not at the event, so every path that moves a case (a
// department's status, a window's event, a kind added later) is covered.
func (t *Tx) noticesFor(old, next *domain.CaseView) error {
	type notice struct{ kind, key, deadline string }
	var out []notice
	if next.State != old.State {
		switch next.State {
		case domain.CaseReady, domain.CaseRefused:
			out = append(out, notice{kind: NoticeReady, key: "ready"}) // once: a case is decided once
		case domain.CaseMoreDocs:
			out = append(out, notice{kind: NoticeDocs, key: fmt.Sprintf("docs:%d", next.UpdatedAt.UnixNano())})
		case domain.CaseReturned: // the visitor came for it no more: where it is now
			out = append(out, notice{kind: NoticeReturned, key: "returned"})
		default: // the other moves are not told
		}
	}
	if next.Deadline != old.Deadline && old.State != domain.CaseDraft && next.State.Open() {
		out = append(out, notice{kind: NoticeDeadline, key: "deadline:" + next.Deadline, deadline: next.Deadline})
	}
	if len(out) == 0 {
		return nil
	}
	consented, err := t.consented(next.VisitorID)
	if err != nil || !consented {
		return err
	}
	if t.withdrawn[next.VisitorID] {
		// Withdrawn earlier in this transaction and given again since: the
		// notices pending before the withdrawal are cancelled now, before
		// this one is added, as they would have been one event at a time.
		if err := t.cancelWithdrawn([]string{next.VisitorID}); err != nil {
			return err
		}
	}
	for _, n := range out {
		if err := t.exec(`INSERT INTO notices (key, office, case_id, case_number, visitor_id, kind, deadline, status, next_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
			next.ID+":"+n.key, next.Office, next.ID, next.Number, next.VisitorID, n.kind, n.deadline, NoticePending, t.now, t.now); err != nil {
			return fmt.Errorf("notice: %w", err)
		}
	}
	return nil
}

// Notice is one notice leased for sending, with its visitor's address.
type Notice struct {
	ID         int64
	Office     string
	CaseNumber string
	Kind       string
	Deadline   string
	Attempts   int // with this one
	Channel    domain.NoticeChannel
	Address    string // "": the consent is gone
	Lang       string
	Lease      string
}

// ClaimNotices leases up to n notices due now for lease: nobody else
// sends them until it runs out or the holder records the outcome. On
// PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED, so
// processes claiming at once get different notices; a notice whose holder
// died is claimed again once its lease runs out.
func (s *Store) ClaimNotices(ctx context.Context, n int, lease time.Duration) ([]Notice, error) {
	now := s.now().UnixNano()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	token := hex.EncodeToString(b)
	skip := ""
	if s.d.dollar {
		skip = " FOR UPDATE SKIP LOCKED"
	}
	q := `UPDATE notices SET lease = ?, lease_until = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM notices WHERE status = ? AND next_at <= ? AND lease_until <= ? ORDER BY id LIMIT ?` + skip + `)
		RETURNING id, office, case_number, kind, deadline, attempts, visitor_id`
	rows, err := s.db.QueryContext(ctx, s.d.q(q), token, now+lease.Nanoseconds(), NoticePending, now, now, n)
	if err != nil {
		return nil, fmt.Errorf("claim notices: %w", err)
	}
	out, visitors, err := scanClaimed(rows, token)
	if err != nil {
		return nil, err
	}
	for i := range out {
		var ch string
		err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT channel, address, lang FROM notice_contacts WHERE visitor_id = ?`), visitors[i]).
			Scan(&ch, &out[i].Address, &out[i].Lang)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		out[i].Channel = domain.NoticeChannel(ch)
	}
	return out, nil
}

// scanClaimed reads the notices ClaimNotices leased, and their visitors.
func scanClaimed(rows *sql.Rows, token string) ([]Notice, []string, error) {
	defer rows.Close()
	var out []Notice
	var visitors []string
	for rows.Next() {
		var m Notice
		var vid string
		if err := rows.Scan(&m.ID, &m.Office, &m.CaseNumber, &m.Kind, &m.Deadline, &m.Attempts, &vid); err != nil {
			return nil, nil, err
		}
		m.Lease = token
		out = append(out, m)
		visitors = append(visitors, vid)
	}
	return out, visitors, rows.Err()
}

// ErrLeaseLost says a notice's lease ran out and another process may have
// taken it: its outcome was not recorded by this one.
var ErrLeaseLost = errors.New("the notice's lease ran out before its outcome was recorded")

// NoticeSent records that the notice went out.
func (s *Store) NoticeSent(ctx context.Context, m Notice) error {
	return s.noticeOutcome(ctx, m, `status = ?, channel = ?, sent_at = ?, last_error = ''`, NoticeSent, string(m.Channel), s.now().UnixNano())
}

// NoticeCancelled records that the notice will not go (no consent left).
func (s *Store) NoticeCancelled(ctx context.Context, m Notice, why string) error {
	return s.noticeOutcome(ctx, m, `status = ?, last_error = ?`, NoticeCancelled, why)
}

// NoticeFailed records a failed try: retried at retryAt, or given up
// (failed, shown to the supervisor) when retryAt is zero. why must not
// hold the address.
func (s *Store) NoticeFailed(ctx context.Context, m Notice, why string, retryAt time.Time) error {
	why = clip(why, 500)
	if retryAt.IsZero() {
		return s.noticeOutcome(ctx, m, `status = ?, channel = ?, last_error = ?`, NoticeFailed, string(m.Channel), why)
	}
	return s.noticeOutcome(ctx, m, `next_at = ?, channel = ?, last_error = ?`, retryAt.UnixNano(), string(m.Channel), why)
}

func (s *Store) noticeOutcome(ctx context.Context, m Notice, set string, args ...any) error {
	args = append(args, m.ID, m.Lease, NoticePending)
	res, err := s.db.ExecContext(ctx, s.d.q(`UPDATE notices SET `+set+`, lease = '', lease_until = 0 WHERE id = ? AND lease = ? AND status = ?`), args...)
	if err != nil {
		return fmt.Errorf("notice %d: %w", m.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("notice %d: %w", m.ID, ErrLeaseLost)
	}
	return nil
}

// Notices lists an office's notices, newest first: of one status, or all
// when status is "".
func (s *Store) Notices(ctx context.Context, office, status string, limit int) ([]api.Notice, error) {
	q := `SELECT id, case_number, kind, status, channel, attempts, last_error, created_at, next_at, sent_at FROM notices WHERE office = ?`
	args := []any{office}
	if status != "" {
		q += ` AND status = ?`
		args = append(args, status)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.rdb.QueryContext(ctx, s.d.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []api.Notice{}
	for rows.Next() {
		var r api.Notice
		var created, next, sent int64
		if err := rows.Scan(&r.ID, &r.CaseNumber, &r.Kind, &r.Status, &r.Channel, &r.Attempts, &r.LastError, &created, &next, &sent); err != nil {
			return nil, err
		}
		r.CreatedAt = nanos(created)
		if r.Status == NoticePending {
			r.NextAt = nanos(next)
		}
		if sent != 0 {
			r.SentAt = nanos(sent)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// NoticeCounts counts notices by status (for the metrics and tests).
func (s *Store) NoticeCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT status, COUNT(*) FROM notices GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// ValidNoticeStatus reports whether s is a notice status ("" is all).
func ValidNoticeStatus(s string) bool {
	switch strings.TrimSpace(s) {
	case "", NoticePending, NoticeSent, NoticeFailed, NoticeCancelled:
		return true
	}
	return false
}
