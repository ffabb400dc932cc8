package localdb

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/okno-mfc/okno/domain"
)

// EachVisitor calls fn with every visitor the workstation holds, in the
// order they were registered here (for okno export).
func (s *Store) EachVisitor(ctx context.Context, fn func(domain.Visitor) error) error {
	rows, err := s.rdb.QueryContext(ctx, `SELECT data FROM visitors ORDER BY n`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return err
		}
		var v domain.Visitor
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("stored visitor: %w", err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachCase calls fn with every case the workstation holds, oldest first
// (for okno export).
func (s *Store) EachCase(ctx context.Context, fn func(domain.CaseView) error) error {
	rows, err := s.rdb.QueryContext(ctx, `SELECT view FROM cases ORDER BY opened_at, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var view []byte
		if err := rows.Scan(&view); err != nil {
			return err
		}
		var c domain.CaseView
		if err := json.Unmarshal(view, &c); err != nil {
			return fmt.Errorf("stored case: %w", err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}
