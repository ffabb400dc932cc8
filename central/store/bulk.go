package store

import (
	"fmt"
	"strings"
	"sync"
)

// Set-based writes (issue 17): a transaction writes each table once at
// commit, as multi-row INSERT … ON CONFLICT statements, instead of one
// statement (and, on PostgreSQL, one round trip) per event. Rows go in
// blocks of a power of two, at most maxBlock, so a table needs at most
// nine statement texts, each prepared once per connection.

// maxBlock is the most rows of one statement: 256 rows of the widest
// table (events, 19 columns) stay far below both engines' limits on
// parameters (SQLite 32,766; PostgreSQL 65,535).
const maxBlock = 256

var bulkText sync.Map // bulkKey → statement text

type bulkKey struct {
	table string
	cols  string
	tail  string
	rows  int
}

// insertRows inserts n rows (row(i) gives the values of row i in the
// order of cols), in order, ending each statement with tail (an ON
// CONFLICT clause, or "").
func (t *Tx) insertRows(table string, cols []string, tail string, n int, row func(i int) []any) error {
	for i := 0; i < n; {
		size := maxBlock
		for size > n-i {
			size /= 2
		}
		k := bulkKey{table, strings.Join(cols, ", "), tail, size}
		q, ok := bulkText.Load(k)
		if !ok {
			var b strings.Builder
			fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, k.cols)
			one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
			for r := range size {
				if r > 0 {
					b.WriteString(", ")
				}
				b.WriteString(one)
			}
			if tail != "" {
				b.WriteString(" " + tail)
			}
			q, _ = bulkText.LoadOrStore(k, b.String())
		}
		args := make([]any, 0, size*len(cols))
		for r := range size {
			args = append(args, row(i+r)...)
		}
		if err := t.execPlanned(q.(string), args); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		i += size
	}
	return nil
}

// upsert inserts rows or, for a key already present, sets the other
// columns (update, or every column not in keys when update is nil).
func (t *Tx) upsert(table string, keys, update []string, n int, row func(i int) []any, cols ...string) error {
	all := append(append([]string{}, keys...), cols...)
	if update == nil {
		update = cols
	}
	sets := make([]string, len(update))
	for i, c := range update {
		sets[i] = c + " = excluded." + c
	}
	tail := fmt.Sprintf("ON CONFLICT (%s) DO UPDATE SET %s", strings.Join(keys, ", "), strings.Join(sets, ", "))
	return t.insertRows(table, all, tail, n, row)
}
