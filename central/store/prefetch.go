package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// prefetch reads, in one query per table, the rows the decisions on a
// batch will read one by one (decide.go, project.go, chain.go): which of
// its ids are held already, the heads of its windows, the windows, the
// tickets and the cases its events touch, and the numbers of the cases
// it opens. On PostgreSQL that is six round trips for a batch instead of
// three or four for each event. What a decision then reads is in the
// transaction's caches; a row found absent is cached as absent.
func (t *Tx) prefetch(items []*Item) error {
	var ids, tickets, cases, numbers []string
	heads := map[string][]int{}
	wins := map[string][]int{}
	addWin := func(office string, win int) {
		if win > 0 && !slices.Contains(wins[office], win) {
			if _, ok := t.windows[StreamID{office, win}]; !ok {
				wins[office] = append(wins[office], win)
			}
		}
	}
	for _, it := range items {
		e := it.Event
		if _, ok := t.seen[e.ID]; !ok && !t.absent[e.ID] {
			ids = append(ids, e.ID)
		}
		if _, ok := t.streams[StreamID{e.Office, e.Window}]; !ok && !slices.Contains(heads[e.Office], e.Window) {
			heads[e.Office] = append(heads[e.Office], e.Window)
		}
		if it.Quarantine != nil || it.Reject != "" {
			continue // changes no projection
		}
		addWin(e.Office, e.Window)
		switch p := it.Payload.(type) {
		case *domain.TicketMovePayload:
			addWin(e.Office, p.Window)
		case *domain.TicketRedirectedPayload:
			addWin(e.Office, p.Window)
		case *domain.CaseOpenedPayload:
			if _, ok := t.numbers[p.Number]; !ok {
				numbers = append(numbers, p.Number)
			}
		}
		if e.TicketID != "" && strings.HasPrefix(string(e.Kind), "ticket.") {
			if _, ok := t.tickets[e.TicketID]; !ok {
				tickets = append(tickets, e.TicketID)
			}
		}
		if e.CaseID != "" && strings.HasPrefix(string(e.Kind), "case.") {
			if _, ok := t.cases[e.CaseID]; !ok {
				cases = append(cases, e.CaseID)
			}
		}
	}
	for _, f := range []func() error{
		func() error { return t.prefetchEvents(ids) },
		func() error { return t.prefetchHeads(heads) },
		func() error { return t.prefetchWindows(wins) },
		func() error { return t.prefetchTickets(tickets) },
		func() error { return t.prefetchCases(cases, numbers) },
	} {
		if err := f(); err != nil {
			return fmt.Errorf("prefetch: %w", err)
		}
	}
	// While writes are deferred, the reads above are in the queue, after
	// the office's lock: one round trip for all of them.
	if err := t.send(); err != nil {
		return fmt.Errorf("prefetch: %w", err)
	}
	return nil
}

// in is the condition "col is one of vals" and its one argument: an array
// on PostgreSQL, a JSON array read by json_each on SQLite.
func (t *Tx) in(col string, vals any) (string, any, error) {
	if t.s.d.dollar {
		return col + ` = ANY(?)`, vals, nil
	}
	b, err := json.Marshal(vals)
	if err != nil {
		return "", nil, err
	}
	return col + ` IN (SELECT value FROM json_each(?))`, string(b), nil
}

// each runs query (with the in condition on col) and calls row for each row.
func (t *Tx) each(query, col string, vals any, args []any, dest []any, row func() error) error {
	cond, arg, err := t.in(col, vals)
	if err != nil {
		return err
	}
	return t.rows(strings.Replace(query, "{in}", cond, 1), append(args, arg), dest, row)
}

// rows runs query, scans each row into dest and calls row. While writes
// are deferred on PostgreSQL the query waits in the queue with them
// (pipe.go): its rows are read when the queue is sent, so what the caller
// does with all of them goes in t.then.
func (t *Tx) rows(query string, args []any, dest []any, row func() error) error {
	if t.queued() {
		t.queue(statementName(query), t.s.d.q(query), args, func(rows pgx.Rows) error { return scanEach(rows, dest, row) })
		return nil
	}
	rows, err := t.query(query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return scanEach(rows, dest, row)
}

// scanEach scans every row of rows (database/sql's or pgx's) into dest
// and calls row after each.
func scanEach(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}, dest []any, row func() error) error {
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := row(); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t *Tx) prefetchEvents(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var id, status string
	var inStream int
	var v seenEvent
	// in_stream is tested here, not in the query: with it in the WHERE,
	// PostgreSQL's generic plan ANDed the id lookup with a scan of the
	// whole events_stream partial index (every chain event), a cost that
	// grew with the table (issue 17: 90 % of a 50k sync's time).
	err := t.each(`SELECT id, status, reason, hash, sig, in_stream FROM events WHERE {in}`, "id", ids, nil,
		[]any{&id, &status, &v.reason, &v.hash, &v.sig, &inStream}, func() error {
			if inStream != 1 {
				return nil
			}
			v.status = api.IngestStatus(status)
			t.seen[id] = v
			return nil
		})
	if err != nil {
		return err
	}
	return t.then(func() error {
		for _, id := range ids {
			if _, ok := t.seen[id]; !ok {
				t.absent[id] = true
			}
		}
		return nil
	})
}

func (t *Tx) prefetchHeads(heads map[string][]int) error {
	var win int
	var h streamHead
	err := t.eachWindow(`SELECT office, win, last_seq, last_hash FROM streams`, heads, []any{&win, &h.lastSeq, &h.lastHash}, func(office string) error {
		c := h
		t.streams[StreamID{office, win}] = &c
		return nil
	})
	if err != nil {
		return err
	}
	return t.then(func() error {
		for office, wins := range heads {
			for _, w := range wins {
				if _, ok := t.streams[StreamID{office, w}]; !ok {
					t.streams[StreamID{office, w}] = &streamHead{}
				}
			}
		}
		return nil
	})
}

// eachWindow runs query (which selects office, then dest's columns)
// over the rows of the windows given, by office, and calls row for each
// row with its office: on PostgreSQL in one query for every office (one
// round trip), on SQLite in one query an office.
func (t *Tx) eachWindow(query string, wins map[string][]int, dest []any, row func(office string) error) error {
	var office string
	dest = append([]any{&office}, dest...)
	if t.s.d.dollar {
		var offices []string
		var ns []int64
		for o, ws := range wins {
			for _, w := range ws {
				offices, ns = append(offices, o), append(ns, int64(w))
			}
		}
		if len(offices) == 0 {
			return nil
		}
		return t.rows(query+` WHERE (office, win) IN (SELECT * FROM unnest(?::text[], ?::int[]))`, []any{offices, ns}, dest, func() error { return row(office) })
	}
	for o, ws := range wins {
		if err := t.each(query+` WHERE office = ? AND {in}`, "win", ws, []any{o}, dest, func() error { return row(office) }); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) prefetchWindows(wins map[string][]int) error {
	var win int
	var w windowRow
	err := t.eachWindow(`SELECT office, win, operator, ticket_id, since, last_seen, on_break FROM windows`, wins,
		[]any{&win, &w.operator, &w.ticket, &w.since, &w.lastSeen, &w.onBreak}, func(office string) error {
			c := w
			t.windows[StreamID{office, win}] = &c
			return nil
		})
	if err != nil {
		return err
	}
	return t.then(func() error {
		for office, ws := range wins {
			for _, n := range ws {
				if _, ok := t.windows[StreamID{office, n}]; !ok {
					t.windows[StreamID{office, n}] = &windowRow{}
				}
			}
		}
		return nil
	})
}

func (t *Tx) prefetchTickets(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var r ticketRow
	err := t.each(`SELECT `+ticketColumns+` FROM tickets WHERE {in}`, "id", ids, nil, r.dest(), func() error {
		c := r
		t.tickets[c.id] = &c
		return nil
	})
	if err != nil {
		return err
	}
	return t.then(func() error {
		for _, id := range ids {
			if _, ok := t.tickets[id]; !ok {
				t.tickets[id] = nil
			}
		}
		return nil
	})
}

func (t *Tx) prefetchCases(ids, numbers []string) error {
	if len(ids) > 0 {
		var id, body string
		err := t.each(`SELECT id, body FROM cases WHERE {in}`, "id", ids, nil, []any{&id, &body}, func() error {
			c := &domain.CaseView{}
			if err := json.Unmarshal([]byte(body), c); err != nil {
				return fmt.Errorf("case %s: stored view: %w", id, err)
			}
			t.cases[id] = c
			return nil
		})
		if err != nil {
			return err
		}
		if err := t.then(func() error {
			for _, id := range ids {
				if _, ok := t.cases[id]; !ok {
					t.cases[id] = nil
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if len(numbers) > 0 {
		var number, id string
		err := t.each(`SELECT number, id FROM cases WHERE {in}`, "number", numbers, nil, []any{&number, &id}, func() error {
			t.numbers[number] = id
			return nil
		})
		if err != nil {
			return err
		}
		return t.then(func() error {
			for _, n := range numbers {
				if _, ok := t.numbers[n]; !ok {
					t.numbers[n] = ""
				}
			}
			return nil
		})
	}
	return nil
}
