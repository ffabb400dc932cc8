package localdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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

func (s *Store) putVisitor(ctx context.Context, tx *Tx, v *domain.Visitor, at string, isNew bool) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var n int64
	if isNew {
		err = tx.QueryRowContext(ctx, `INSERT INTO visitors (id, full_name, doc_type, doc_number, phone, data, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING n`,
			v.ID, v.FullName, string(v.DocType), v.DocNumber, v.Phone, data, at, at).Scan(&n)
	} else {
		// An update: take the old entries out of both search indexes first.
		var oldN int64
		var oldData []byte
		err = tx.QueryRowContext(ctx, `SELECT n, data FROM visitors WHERE id = ?`, v.ID).Scan(&oldN, &oldData)
		switch {
		case err == nil:
			var old domain.Visitor
			if err = json.Unmarshal(oldData, &old); err != nil {
				return fmt.Errorf("visitor %s is unreadable: %w", v.ID, err)
			}
			for _, k := range searchKeys(&old) {
				if _, err = tx.ExecContext(ctx, `DELETE FROM visitor_keys WHERE key = ? AND n = ?`, k, oldN); err != nil {
					return err
				}
			}
			if _, err = tx.ExecContext(ctx, `DELETE FROM visitors_fts WHERE rowid = ?`, oldN); err != nil {
				return err
			}
		case errors.Is(err, sql.ErrNoRows):
		default:
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO visitors (id, full_name, doc_type, doc_number, phone, data, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, doc_type = excluded.doc_type, doc_number = excluded.doc_number,
				phone = excluded.phone, data = excluded.data, updated_at = excluded.updated_at
			RETURNING n`,
			v.ID, v.FullName, string(v.DocType), v.DocNumber, v.Phone, data, at, at).Scan(&n)
	}
	if err != nil {
		return fmt.Errorf("store visitor: %w", err)
	}
	return indexVisitor(ctx, tx, n, v)
}

// indexVisitor writes a visitor's search entries: the folded names into the
// full-text index, the numbers into the key table.
func indexVisitor(ctx context.Context, tx *Tx, n int64, v *domain.Visitor) error {
	name := Fold(v.FullName)
	if v.Representative != nil {
		name += " " + Fold(v.Representative.FullName)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO visitors_fts (rowid, name) VALUES (?, ?)`, n, name); err != nil {
		return err
	}
	for _, k := range searchKeys(v) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO visitor_keys (key, n) VALUES (?, ?) ON CONFLICT DO NOTHING`, k, n); err != nil {
			return err
		}
	}
	return nil
}

// reindexVisitors refills the search entries of every visitor (after a
// migration that changed their shape), in batches.
func (s *Store) reindexVisitors(ctx context.Context) error {
	flag, err := getMeta(ctx, s.db, "reindex_visitors")
	if err != nil || flag == "" {
		return err
	}
	var last int64
	for {
		done := false
		err := s.WithTx(ctx, func(tx *Tx) error {
			rows, err := tx.Tx.QueryContext(ctx, `SELECT n, data FROM visitors WHERE n > ? ORDER BY n LIMIT 5000`, last)
			if err != nil {
				return err
			}
			type row struct {
				n int64
				v domain.Visitor
			}
			var batch []row
			for rows.Next() {
				var r row
				var data []byte
				if err := rows.Scan(&r.n, &data); err != nil {
					rows.Close()
					return err
				}
				if err := json.Unmarshal(data, &r.v); err != nil {
					rows.Close()
					return fmt.Errorf("visitor %d is unreadable: %w", r.n, err)
				}
				batch = append(batch, r)
			}
			rows.Close()
			if len(batch) == 0 {
				done = true
				_, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = 'reindex_visitors'`)
				return err
			}
			for _, r := range batch {
				if err := indexVisitor(ctx, tx, r.n, &r.v); err != nil {
					return err
				}
				last = r.n
			}
			return nil
		})
		if err != nil || done {
			return err
		}
	}
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

// VisitorHit is one search result.
type VisitorHit struct {
	ID        string
	FullName  string
	DocType   domain.DocType
	DocNumber string
	Phone     string
}

// SearchVisitors finds visitors newest first. Words without digits are
// name prefixes (all must match, in the full-text index); words with digits
// are joined into one key prefix (a document number, an identifier or a
// phone, typed with or without separators) looked up in the key table. Case
// and ё/е do not matter; neither lookup reads the whole table.
func (s *Store) SearchVisitors(ctx context.Context, q string, limit int) ([]VisitorHit, error) {
	names, key := splitQuery(q)
	if names == "" && key == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 20
	}
	var inner string
	var args []any
	switch {
	case key == "":
		inner = `SELECT rowid AS n FROM visitors_fts WHERE visitors_fts MATCH ? ORDER BY rowid DESC LIMIT ?`
		args = []any{names, limit}
	case names == "":
		inner = `SELECT DISTINCT n FROM (SELECT n FROM visitor_keys WHERE key >= ? AND key < ? ORDER BY key LIMIT ?)`
		args = []any{key, key + "\U0010FFFF", limit * 4}
	default:
		inner = `SELECT DISTINCT k.n FROM visitor_keys k WHERE k.key >= ? AND k.key < ?
			AND k.n IN (SELECT rowid FROM visitors_fts WHERE visitors_fts MATCH ?) LIMIT ?`
		args = []any{key, key + "\U0010FFFF", names, limit}
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT v.id, v.full_name, v.doc_type, v.doc_number, v.phone
		FROM (`+inner+`) f JOIN visitors v ON v.n = f.n ORDER BY v.n DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("search visitors: %w", err)
	}
	defer rows.Close()
	var out []VisitorHit
	for rows.Next() {
		var h VisitorHit
		var dt string
		if err := rows.Scan(&h.ID, &h.FullName, &dt, &h.DocNumber, &h.Phone); err != nil {
			return nil, err
		}
		h.DocType = domain.DocType(dt)
		out = append(out, h)
	}
	return out, rows.Err()
}

// splitQuery turns what the clerk typed into an FTS5 query of name prefixes
// (every word quoted, so FTS syntax in the input is only text) and one key
// prefix of the words that hold digits. An 11-digit phone with a leading 8
// or 7 loses it, to match the number without the country code.
func splitQuery(q string) (names, key string) {
	var terms []string
	var k strings.Builder
	words := strings.FieldsFunc(Fold(q), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r))
	})
	hasDigit := func(w string) bool { return strings.IndexFunc(w, unicode.IsDigit) >= 0 }
	for i, w := range words {
		// Digits make a key; so do the two letters of a booklet passport's
		// series typed apart from its number (КВ 123456).
		if hasDigit(w) || (len([]rune(w)) <= 2 && i+1 < len(words) && hasDigit(words[i+1])) {
			k.WriteString(w)
			continue
		}
		terms = append(terms, `"`+w+`"*`)
	}
	key = k.String()
	if len(key) == 11 && digits(key) == key && (key[0] == '8' || key[0] == '7') {
		key = key[1:]
	}
	return strings.Join(terms, " "), key
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
		return v, fmt.Errorf("visitor %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return v, err
	}
	return v, json.Unmarshal(data, &v)
}

// VisitorsByDocument finds visitors with exactly this (normalised) document
// number: the check for a visitor registered twice.
func (s *Store) VisitorsByDocument(ctx context.Context, doc string) ([]VisitorHit, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, full_name, doc_type, doc_number, phone FROM visitors
		WHERE n IN (SELECT n FROM visitor_keys WHERE key = ?) AND doc_number = ? ORDER BY n DESC`, keyOf(doc), doc)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VisitorHit
	for rows.Next() {
		var h VisitorHit
		var dt string
		if err := rows.Scan(&h.ID, &h.FullName, &dt, &h.DocNumber, &h.Phone); err != nil {
			return nil, err
		}
		h.DocType = domain.DocType(dt)
		out = append(out, h)
	}
	return out, rows.Err()
}
