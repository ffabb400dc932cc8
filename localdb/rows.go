package localdb

import (
	"context"

	"github.com/okno-mfc/okno/domain"
)

// scanner is a row being read.
type scanner interface{ Scan(...any) error }

// eachRow runs a query and calls fn with each row until fn says stop or
// fails. In a write transaction the query is a one-off, not kept prepared.
func eachRow(ctx context.Context, q querier, query string, args []any, fn func(scanner) (bool, error)) error {
	if tx, ok := q.(*Tx); ok {
		q = tx.Tx
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		more, err := fn(rows)
		if err != nil || !more {
			return err
		}
	}
	return rows.Err()
}

// eachReadRow is eachRow over every row.
func eachReadRow(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	return eachRow(ctx, q, query, args, func(sc scanner) (bool, error) { return true, fn(sc) })
}

// readEvents runs a query whose columns are eventColumns and returns its
// events in the order of the rows.
func readEvents(ctx context.Context, q querier, query string, args ...any) ([]domain.Event, error) {
	var out []domain.Event
	err := eachReadRow(ctx, q, query, args, func(sc scanner) error {
		ev, err := scanEvent(sc)
		out = append(out, ev)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
