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
		err = tx.QueryRowContext(ctx, `INSERT INTO visitors (id, full_name, doc_type, doc_number, phone, data, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, doc_type = excluded.doc_type, doc_number = excluded.doc_number,
				phone = excluded.phone, data = excluded.data, updated_at = excluded.updated_at
			RETURNING n`,
			v.ID, v.FullName, string(v.DocType), v.DocNumber, v.Phone, data, at, at).Scan(&n)
		if err == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM visitors_fts WHERE rowid = ?`, n)
		}
	}
	if err != nil {
		return fmt.Errorf("store visitor: %w", err)
	}
	name, doc, phone := searchText(v)
	_, err = tx.ExecContext(ctx, `INSERT INTO visitors_fts (rowid, name, doc, phone) VALUES (?, ?, ?, ?)`, n, name, doc, phone)
	return err
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

// searchText is what the index holds for a visitor: the folded name, the
// document and identifier numbers both spaced and as bare digits, the phone
// with and without its country code.
func searchText(v *domain.Visitor) (name, doc, phone string) {
	name = Fold(v.FullName)
	var docs []string
	for _, d := range []string{v.DocNumber, v.SNILS, v.INN, v.RNOKPP} {
		if d == "" {
			continue
		}
		docs = append(docs, Fold(d), digitsAndLetters(d))
		if ds := digits(d); ds != "" && ds != digitsAndLetters(d) {
			docs = append(docs, ds) // КВ123456 is found by 123456 too
		}
	}
	if v.Representative != nil {
		name += " " + Fold(v.Representative.FullName)
	}
	p := digits(v.Phone)
	switch {
	case len(p) == 11 && p[0] == '7':
		phone = p + " " + p[1:]
	case len(p) == 12 && strings.HasPrefix(p, "380"):
		phone = p + " " + p[2:] + " " + p[3:]
	default:
		phone = p
	}
	return name, strings.Join(docs, " "), phone
}

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

// SearchVisitors finds visitors whose name words, document numbers or phone
// start with the words of q (all of them), newest first. Case and ё/е do not
// matter; it reads the prefix index, never the whole table.
func (s *Store) SearchVisitors(ctx context.Context, q string, limit int) ([]VisitorHit, error) {
	match := matchQuery(q)
	if match == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT v.id, v.full_name, v.doc_type, v.doc_number, v.phone
		FROM (SELECT rowid FROM visitors_fts WHERE visitors_fts MATCH ? ORDER BY rowid DESC LIMIT ?) f
		JOIN visitors v ON v.n = f.rowid ORDER BY v.n DESC`, match, limit)
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

// matchQuery turns what the clerk typed into an FTS5 query: every word a
// quoted prefix, all required. A phone typed with a leading 8 or +7 also
// matches without it.
func matchQuery(q string) string {
	var terms []string
	for _, w := range strings.FieldsFunc(Fold(q), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		if len(digits(w)) == len(w) && len(w) == 11 && (w[0] == '8' || w[0] == '7') {
			w = w[1:]
		}
		terms = append(terms, `"`+w+`"*`)
	}
	return strings.Join(terms, " ")
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
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, full_name, doc_type, doc_number, phone FROM visitors WHERE doc_number = ? ORDER BY n DESC`, doc)
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
