package localdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/domain"
)

// RegisterVisitor checks v, gives it an id and records it.
func (s *Store) RegisterVisitor(ctx context.Context, actor string, v domain.Visitor) (domain.Visitor, error) {
	if err := v.Normalize(); err != nil {
		return v, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return v, err
	}
	v.ID = id.String()
	err = s.WithTx(ctx, func(tx *Tx) error {
		_, err := s.record(ctx, tx, draft{Kind: domain.EvVisitorRegistered, Actor: actor, VisitorID: v.ID, Payload: domain.VisitorPayload{Visitor: v}})
		return err
	})
	return v, err
}

// UpdateVisitor checks v and records the change of an existing visitor.
func (s *Store) UpdateVisitor(ctx context.Context, actor string, v domain.Visitor) (domain.Visitor, error) {
	if err := v.Normalize(); err != nil {
		return v, err
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		if _, err := visitorByID(ctx, tx, v.ID); err != nil {
			return err
		}
		_, err := s.record(ctx, tx, draft{Kind: domain.EvVisitorUpdated, Actor: actor, VisitorID: v.ID, Payload: domain.VisitorPayload{Visitor: v}})
		return err
	})
	return v, err
}

// WithdrawConsent records that the visitor withdrew their consent to
// notices (152-FZ art. 9): a visitor.updated without it. The central then
// forgets their address and sends nothing more.
func (s *Store) WithdrawConsent(ctx context.Context, actor, visitorID string) (domain.Visitor, error) {
	v, err := s.Visitor(ctx, visitorID)
	if err != nil {
		return v, err
	}
	if v.Notices == nil {
		return v, nil
	}
	v.Notices = nil
	return s.UpdateVisitor(ctx, actor, v)
}

func (s *Store) putVisitor(ctx context.Context, tx *Tx, v *domain.Visitor, at string, isNew bool) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	names, keys, loose, combos := nameTerms(v), keyTerms(v), looseOf(v), comboOf(v)
	var n int64
	if isNew {
		err = tx.QueryRowContext(ctx, `INSERT INTO visitors (id, full_name, doc_type, doc_number, phone, data, created_at, updated_at, name_terms, key_terms, loose_terms, combo_terms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING n`,
			v.ID, v.FullName, string(v.DocType), v.DocNumber, v.Phone, data, at, at, names, keys, loose, combos).Scan(&n)
		if err != nil {
			return fmt.Errorf("store visitor: %w", err)
		}
		return s.foldIfFull(ctx, tx, n)
	}
	// An update. A visitor still in the tail is searched by its row alone;
	// one already folded has its old entry taken out of the index and the
	// new one put in.
	upto, err := searchUpto(ctx, tx)
	if err != nil {
		return err
	}
	var oldN int64
	err = tx.QueryRowContext(ctx, `SELECT n FROM visitors WHERE id = ?`, v.ID).Scan(&oldN)
	switch {
	case err == nil && oldN <= upto:
		for _, q := range []string{`DELETE FROM visitors_fts WHERE rowid = ?`, `DELETE FROM visitors_loose WHERE rowid = ?`, `DELETE FROM visitors_combo WHERE rowid = ?`} {
			if _, err = tx.ExecContext(ctx, q, oldN); err != nil {
				return err
			}
		}
	case err == nil, errors.Is(err, sql.ErrNoRows):
	default:
		return err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO visitors (id, full_name, doc_type, doc_number, phone, data, created_at, updated_at, name_terms, key_terms, loose_terms, combo_terms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, doc_type = excluded.doc_type, doc_number = excluded.doc_number,
			phone = excluded.phone, data = excluded.data, updated_at = excluded.updated_at,
			name_terms = excluded.name_terms, key_terms = excluded.key_terms, loose_terms = excluded.loose_terms, combo_terms = excluded.combo_terms
		RETURNING n`,
		v.ID, v.FullName, string(v.DocType), v.DocNumber, v.Phone, data, at, at, names, keys, loose, combos).Scan(&n)
	if err != nil {
		return fmt.Errorf("store visitor: %w", err)
	}
	if n <= upto {
		return indexVisitors(ctx, tx, n-1, n)
	}
	return s.foldIfFull(ctx, tx, n)
}

// DefaultSearchTail is how many of the newest visitors wait outside the
// search indexes before one write folds them in (Options.SearchTail).
const DefaultSearchTail = 1000

// searchUpto is the last visitor row folded into the search indexes.
func searchUpto(ctx context.Context, q querier) (int64, error) {
	v, err := getMeta(ctx, q, "search_upto")
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// searchUptoSQL is the same, inside a statement (and so in its snapshot).
const searchUptoSQL = `(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_upto')`

// foldIfFull folds the tail into the search indexes once it holds
// s.searchTail visitors; n is the newest visitor's row.
func (s *Store) foldIfFull(ctx context.Context, tx *Tx, n int64) error {
	upto, err := searchUpto(ctx, tx)
	if err != nil {
		return err
	}
	if n-upto < int64(s.searchTail) {
		return nil
	}
	_, err = s.foldSearch(ctx, tx, 0)
	return err
}

// foldSearch moves the oldest tail visitors (at most max, or all when max
// is 0) into the search indexes and advances search_upto past them. It
// reports how many it folded.
func (s *Store) foldSearch(ctx context.Context, tx *Tx, max int) (int, error) {
	upto, err := searchUpto(ctx, tx)
	if err != nil {
		return 0, err
	}
	limit := -1
	if max > 0 {
		limit = max
	}
	var count, last int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(max(n), 0) FROM (SELECT n FROM visitors WHERE n > ? ORDER BY n LIMIT ?)`, upto, limit).Scan(&count, &last); err != nil {
		return 0, err
	}
	if count == 0 {
		return 0, nil
	}
	if err := indexVisitors(ctx, tx, upto, last); err != nil {
		return 0, err
	}
	return int(count), setMeta(ctx, tx, "search_upto", strconv.FormatInt(last, 10))
}

// indexVisitors writes the search entries of the visitor rows after lo up
// to hi, from the terms on those rows: one FTS5 segment for the batch.
func indexVisitors(ctx context.Context, tx *Tx, lo, hi int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO visitors_fts (rowid, name, keys)
		SELECT n, name_terms, key_terms FROM visitors WHERE n > ? AND n <= ?`, lo, hi); err != nil {
		return fmt.Errorf("index visitors: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO visitors_loose (rowid, loose)
		SELECT n, loose_terms FROM visitors WHERE n > ? AND n <= ? AND loose_terms <> ''`, lo, hi); err != nil {
		return fmt.Errorf("index visitors: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO visitors_combo (rowid, combo)
		SELECT n, combo_terms FROM visitors WHERE n > ? AND n <= ? AND combo_terms <> ''`, lo, hi); err != nil {
		return fmt.Errorf("index visitors: %w", err)
	}
	// The dictionary of long words (search.go, longTerms): the batch's,
	// each tier's in one statement; most are there already.
	exact, loose := map[string]bool{}, map[string]bool{}
	err := eachRow(ctx, tx, `SELECT name_terms, loose_terms FROM visitors WHERE n > ? AND n <= ?`, []any{lo, hi}, func(sc scanner) (bool, error) {
		var names, skeletons string
		if err := sc.Scan(&names, &skeletons); err != nil {
			return false, err
		}
		dictTerms(names, exact)
		dictTerms(skeletons, loose)
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("index visitors: %w", err)
	}
	for _, d := range []struct {
		col   nameColumn
		terms map[string]bool
	}{{exactNames, exact}, {looseNames, loose}} {
		if len(d.terms) == 0 {
			continue
		}
		list, err := json.Marshal(slices.Sorted(maps.Keys(d.terms)))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO search_terms (tier, term) SELECT ?, value FROM json_each(?)`, d.col.combo, string(list)); err != nil {
			return fmt.Errorf("index visitors: %w", err)
		}
	}
	return nil
}

// reindexVisitors rebuilds the search terms of every visitor row and the
// index (after a migration that changed their shape), in batches.
func (s *Store) reindexVisitors(ctx context.Context) error {
	flag, err := getMeta(ctx, s.db, "reindex_visitors")
	if err != nil || flag == "" {
		return err
	}
	err = s.WithTx(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`INSERT INTO visitors_fts (visitors_fts) VALUES ('delete-all')`,
			`INSERT INTO visitors_loose (visitors_loose) VALUES ('delete-all')`,
			`INSERT INTO visitors_combo (visitors_combo) VALUES ('delete-all')`,
			`DELETE FROM search_terms`,
			`UPDATE meta SET value = '0' WHERE key = 'search_upto'`,
		} {
			if _, err := tx.Tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Every row's terms, a batch at a time; then the whole index folded from
	// them, and the flag goes with the last batch.
	const batch = 5000
	for last := int64(0); ; {
		type terms struct {
			n                          int64
			names, keys, loose, combos string
		}
		var rows []terms
		err := s.WithTx(ctx, func(tx *Tx) error {
			err := eachRow(ctx, tx, `SELECT n, data FROM visitors WHERE n > ? ORDER BY n LIMIT ?`, []any{last, batch}, func(sc scanner) (bool, error) {
				var n int64
				var data []byte
				var v domain.Visitor
				if err := sc.Scan(&n, &data); err != nil {
					return false, err
				}
				if err := json.Unmarshal(data, &v); err != nil {
					return false, fmt.Errorf("visitor %d is unreadable: %w", n, err)
				}
				rows = append(rows, terms{n, nameTerms(&v), keyTerms(&v), looseOf(&v), comboOf(&v)})
				return true, nil
			})
			if err != nil {
				return err
			}
			for _, r := range rows {
				if _, err := tx.ExecContext(ctx, `UPDATE visitors SET name_terms = ?, key_terms = ?, loose_terms = ?, combo_terms = ? WHERE n = ?`, r.names, r.keys, r.loose, r.combos, r.n); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(rows) < batch {
			break
		}
		last = rows[len(rows)-1].n
	}
	for {
		n := 0
		err := s.WithTx(ctx, func(tx *Tx) error {
			var err error
			if n, err = s.foldSearch(ctx, tx, batch); err != nil || n == batch {
				return err
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM meta WHERE key = 'reindex_visitors'`)
			return err
		})
		if err != nil || n < batch {
			return err
		}
	}
}

// nameTerms is the words of a visitor's name (and its representative's)
// as the full-text index holds them: folded, split where the index's
// tokenizer splits, space-separated.
func nameTerms(v *domain.Visitor) string {
	name := v.FullName
	if v.Representative != nil {
		name += " " + v.Representative.FullName
	}
	return strings.Join(words(name), " ")
}

// looseOf is the second tier's terms of a visitor (looseTerms).
func looseOf(v *domain.Visitor) string {
	name := v.FullName
	if v.Representative != nil {
		name += " " + v.Representative.FullName
	}
	return looseTerms(name)
}

// keyTerms is a visitor's search keys as its row and the index keep them:
// space-separated (each is letters and digits only, one token).
func keyTerms(v *domain.Visitor) string {
	return strings.Join(searchKeys(v), " ")
}

// words folds text and splits it into the runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
	})
}

// Fold makes text comparable for search: lower case, ё→е, and every
// apostrophe form removed (Мар'яна finds Марʼяна). Ukrainian і, ї, є, ґ stay
// what they are: і is never и.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'ё':
			r = 'е'
		case '\'', '’', 'ʼ', '`':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// searchKeys are a visitor's numbers as the key table holds them: each
// document and identifier compact (КВ123456 → кв123456, 112-233-445 95 →
// 11223344595) and as bare digits, a printed part that is not where the
// number starts (2504 123456 → 123456: a prefix search by the series
// already finds 2504123456), and the phone with and without its country
// code. Every key costs a B-tree page on each registration, so there are
// no redundant ones.
func searchKeys(v *domain.Visitor) []string {
	var out []string
	add := func(k string) {
		if len(k) < 4 {
			return
		}
		for _, o := range out {
			if strings.HasPrefix(o, k) {
				return // a prefix of a key already there finds the same
			}
		}
		out = append(out, k)
	}
	for _, d := range []string{v.DocNumber, v.SNILS, v.INN, v.RNOKPP} {
		if d == "" {
			continue
		}
		add(keyOf(d))
		add(digits(d))
	}
	for _, d := range []string{v.DocNumber, v.SNILS} {
		for _, part := range strings.Fields(d) {
			add(keyOf(part))
		}
	}
	p := digits(v.Phone)
	add(p)
	switch {
	case len(p) == 11 && p[0] == '7':
		add(p[1:])
	case len(p) == 12 && strings.HasPrefix(p, "380"):
		add(p[2:]) // 0XX…, as dialled inside Ukraine
		add(p[3:])
	}
	return out
}

func keyOf(s string) string { return digitsAndLetters(Fold(s)) }

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func digitsAndLetters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// Visitor returns one visitor by id.
func (s *Store) Visitor(ctx context.Context, id string) (domain.Visitor, error) {
	return visitorByID(ctx, s.rdb, id)
}

func visitorByID(ctx context.Context, q querier, id string) (domain.Visitor, error) {
	var v domain.Visitor
	var data []byte
	err := q.QueryRowContext(ctx, `SELECT data FROM visitors WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("visitor %s: %w", id, domain.ErrNotFound)
	}
	if err != nil {
		return v, err
	}
	return v, json.Unmarshal(data, &v)
}

// VisitorsByDocument finds visitors with exactly this (normalised) document
// number: the check for a visitor registered twice.
func (s *Store) VisitorsByDocument(ctx context.Context, doc string) ([]VisitorHit, error) {
	key := keyOf(doc)
	if key == "" {
		return nil, nil
	}
	t := searchTerms(exactNames, nil, []string{key}, false)
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, full_name, doc_type, doc_number, phone FROM visitors
		WHERE n IN (SELECT rowid FROM visitors_fts WHERE visitors_fts MATCH ? UNION ALL
			SELECT n FROM visitors WHERE n > `+searchUptoSQL+t.tail+`)
		AND doc_number = ? ORDER BY n DESC`, append(append([]any{t.match}, t.tailArgs...), doc)...)
	if err != nil {
		return nil, err
	}
	return scanHits(rows)
}

// Duplicate is a visitor already registered with one of a new visitor's
// numbers.
type Duplicate struct {
	VisitorHit
	Field string // the number that is the same: doc_number, snils, inn or rnokpp
	Value string // that number as it is registered
}

// Duplicates finds the visitors already registered with the new visitor's
// document number, SNILS, INN or RNOKPP, each compared without its
// separators: the check for a person registered twice. The document comes
// first, then the identifiers in that order; a visitor is listed once.
func (s *Store) Duplicates(ctx context.Context, v domain.Visitor) ([]Duplicate, error) {
	var out []Duplicate
	seen := map[string]bool{}
	if v.DocNumber != "" {
		hits, err := s.VisitorsByDocument(ctx, v.DocNumber)
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			seen[h.ID] = true
			out = append(out, Duplicate{VisitorHit: h, Field: "doc_number", Value: h.DocNumber})
		}
	}
	for _, id := range []struct {
		field string
		value string
		of    func(*domain.Visitor) string
	}{
		{"snils", v.SNILS, func(x *domain.Visitor) string { return x.SNILS }},
		{"inn", v.INN, func(x *domain.Visitor) string { return x.INN }},
		{"rnokpp", v.RNOKPP, func(x *domain.Visitor) string { return x.RNOKPP }},
	} {
		key := keyOf(id.value)
		if len(key) < 4 {
			continue
		}
		t := searchTerms(exactNames, nil, []string{key}, true)
		rows, err := s.rdb.QueryContext(ctx, `SELECT id, full_name, doc_type, doc_number, phone, data FROM visitors
			WHERE n IN (SELECT rowid FROM visitors_fts WHERE visitors_fts MATCH ? UNION ALL
				SELECT n FROM visitors WHERE n > `+searchUptoSQL+t.tail+`)
			ORDER BY n DESC`, append([]any{t.match}, t.tailArgs...)...)
		if err != nil {
			return nil, err
		}
		err = func() error {
			defer rows.Close()
			for rows.Next() {
				var h VisitorHit
				var dt string
				var data []byte
				if err := rows.Scan(&h.ID, &h.FullName, &dt, &h.DocNumber, &h.Phone, &data); err != nil {
					return err
				}
				h.DocType = domain.DocType(dt)
				var x domain.Visitor
				if err := json.Unmarshal(data, &x); err != nil {
					return err
				}
				if seen[h.ID] || keyOf(id.of(&x)) != key {
					continue
				}
				seen[h.ID] = true
				out = append(out, Duplicate{VisitorHit: h, Field: id.field, Value: id.of(&x)})
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
