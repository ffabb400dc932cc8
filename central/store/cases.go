package store

import (
	"encoding/json"
	"fmt"

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

// saveCase keeps a case's new view, written at flush.
func (t *Tx) saveCase(c *domain.CaseView) error {
	if t.cases[c.ID] == nil {
		t.numbers[c.Number] = c.ID
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
	for id := range t.dirty {
		if err := t.writeCase(t.cases[id]); err != nil {
			return fmt.Errorf("case %s: %w", id, err)
		}
	}
	clear(t.dirty)
	return nil
}

func (t *Tx) writeCase(c *domain.CaseView) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return t.exec(`INSERT INTO cases (id, office, number, service, state, visitor_id, deadline, opened_at, updated_at, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, body = excluded.body`,
		c.ID, c.Office, c.Number, c.Service, string(c.State), c.VisitorID, c.Deadline,
		unixNano(c.OpenedAt), unixNano(c.UpdatedAt), string(body))
}
