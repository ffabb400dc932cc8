package store

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/okno-mfc/okno/domain"
)

// The cases a transaction reads and changes, kept until it commits: a
// batch that moves one case ten times writes its row once.

// loadCase returns the case with this id, or nil if the central has none.
func (t *Tx) loadCase(id string) (*domain.CaseView, error) {
	if c, ok := t.cases[id]; ok {
		return c, nil
	}
	var body string
	found, err := t.scan(`SELECT body FROM cases WHERE id = ?`, []any{id}, &body)
	if err != nil || !found {
		t.cases[id] = nil
		return nil, err
	}
	c := &domain.CaseView{}
	if err := json.Unmarshal([]byte(body), c); err != nil {
		return nil, fmt.Errorf("case %s: stored view: %w", id, err)
	}
	t.cases[id] = c
	return c, nil
}

// lockCase takes the write lock of a case's office and returns the case
// as it is under the lock (nil if the central has none).
func (t *Tx) lockCase(id string) (*domain.CaseView, error) {
	c, err := t.loadCase(id)
	if err != nil || c == nil || t.locked[c.Office] || t.lockedAll || !t.s.d.dollar {
		return c, err
	}
	if err := t.lock(c.Office); err != nil {
		return nil, err
	}
	delete(t.cases, id) // read before the lock: read it again
	return t.loadCase(id)
}

// saveCase keeps a case's new view, written at flush.
func (t *Tx) saveCase(c *domain.CaseView) error {
	if old := t.cases[c.ID]; old == nil {
		t.numbers[c.Number] = c.ID
	} else if err := t.noticesFor(old, c); err != nil {
		return err
	}
	t.cases[c.ID] = c
	t.dirty[c.ID] = true
	t.changed[c.Office] = true
	return nil
}

// caseByNumber finds the id of the case with a number, "" if none.
func (t *Tx) caseByNumber(number string) (string, error) {
	if id, ok := t.numbers[number]; ok {
		return id, nil
	}
	var id string
	_, err := t.scan(`SELECT id FROM cases WHERE number = ?`, []any{number}, &id)
	return id, err
}

// flushCases writes the cases changed in this transaction.
func (t *Tx) flushCases() error {
	ids := make([]string, 0, len(t.dirty))
	bodies := make([]string, 0, len(t.dirty))
	for id := range t.dirty {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		body, err := json.Marshal(t.cases[id])
		if err != nil {
			return fmt.Errorf("case %s: %w", id, err)
		}
		bodies = append(bodies, string(body))
	}
	err := t.upsert("cases", []string{"id"}, []string{"state", "deadline", "updated_at", "body", "department", "handed_at", "collect_from", "collect_by"}, len(ids), func(i int) []any {
		c := t.cases[ids[i]]
		from, by := collectOf(c)
		return []any{c.ID, c.Office, c.Number, c.Service, string(c.State), c.VisitorID, c.Deadline, unixNano(c.OpenedAt), unixNano(c.UpdatedAt), bodies[i], c.Department, unixNano(c.HandedOffAt), from, by}
	}, "office", "number", "service", "state", "visitor_id", "deadline", "opened_at", "updated_at", "body", "department", "handed_at", "collect_from", "collect_by")
	if err != nil {
		return err
	}
	clear(t.dirty)
	return nil
}

// collectOf is a case's collect_from and collect_by columns: since when
// its result waits at the office (0: nothing waits) and the day a
// supervisor extended that to.
func collectOf(c *domain.CaseView) (int64, string) {
	if !c.WaitsAtOffice() {
		return 0, ""
	}
	at := c.ReadyAt
	if at.IsZero() {
		at = c.UpdatedAt
	}
	return unixNano(at), c.CollectBy
}
