package localdb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/okno-mfc/okno/domain"
)

// VisitorHit is one search result.
type VisitorHit struct {
	ID        string
	FullName  string
	DocType   domain.DocType
	DocNumber string
	Phone     string
	Loose     bool // found by the second tier (FindVisitors), not by the exact one
}

// nameColumn is a name column of the index and its twin on the row, which
// the tail is matched on.
type nameColumn struct{ table, fts, row, combo string }

var (
	exactNames = nameColumn{"visitors_fts", "name", "name_terms", "0"}
	looseNames = nameColumn{"visitors_loose", "", "loose_terms", "1"} // one column, no filter; keys are checked on the rows
)

// SearchVisitors finds visitors newest first. Words without digits are
// name prefixes, all of which must match; words with digits are joined into
// one key prefix (a document number, an identifier or a phone, typed with
// or without separators). Case and ё/е do not matter; і and и, ґ and г are
// different letters. The index answers for the visitors folded into it; the
// newest, not yet folded, are matched on their rows' terms in a range scan
// of at most Options.SearchTail rows. Nothing reads the whole table.
func (s *Store) SearchVisitors(ctx context.Context, q string, limit int) ([]VisitorHit, error) {
	names, key := splitQuery(q)
	return s.search(ctx, exactNames, names, key, limit)
}

// FindVisitors is what the clerk's search box asks: the exact matches of
// SearchVisitors first, then, below them and marked Loose, the visitors the
// second tier finds (loose.go: гудзь → Ґудзь, иваненко → Іваненко, Latin
// look-alikes, romanov → Романов, коннор → О'Коннор), newest first in each
// tier, limit in all. The second tier is asked only when the first leaves
// room.
func (s *Store) FindVisitors(ctx context.Context, q string, limit int) ([]VisitorHit, error) {
	if limit <= 0 {
		limit = 20
	}
	hits, err := s.SearchVisitors(ctx, q, limit)
	if err != nil || len(hits) >= limit {
		return hits, err
	}
	names := looseQuery(q)
	if len(names) == 0 {
		return hits, nil
	}
	_, key := splitQuery(q)
	more, err := s.search(ctx, looseNames, names, key, limit)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(hits))
	for _, h := range hits {
		seen[h.ID] = true
	}
	for _, h := range more {
		if len(hits) == limit {
			break
		}
		if !seen[h.ID] {
			h.Loose = true
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// search finds the newest visitors whose names in col start with every one
// of names and whose keys start with key. The tail (the newest visitors,
// not yet folded into the index) is read first, newest first; the index
// only for what the tail leaves, both in one snapshot.
func (s *Store) search(ctx context.Context, col nameColumn, names []string, key string, limit int) ([]VisitorHit, error) {
	if len(names) == 0 && key == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 20
	}
	var keys []string
	if key != "" {
		keys = []string{key}
	}
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("search visitors: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	long, err := longTerms(ctx, tx, col, names)
	if err != nil {
		return nil, fmt.Errorf("search visitors: %w", err)
	}
	q := searchTerms(col, names, keys, true)
	q.expand(col, long)
	rows, err := tx.QueryContext(ctx, `SELECT id, full_name, doc_type, doc_number, phone FROM visitors
		WHERE n > `+searchUptoSQL+q.tail+` ORDER BY n DESC LIMIT ?`, append(q.tailArgs, limit)...)
	if err != nil {
		return nil, fmt.Errorf("search visitors: %w", err)
	}
	hits, err := scanHits(rows)
	if err != nil || len(hits) >= limit || q.none {
		return hits, err
	}
	// Three words or more with different first letters: their combination
	// term's short list, newest first, each candidate checked on its row
	// (combo.go).
	if c := queryCombo(col.combo, names); c != "" {
		rows, err = tx.QueryContext(ctx, `SELECT v.id, v.full_name, v.doc_type, v.doc_number, v.phone
			FROM visitors_combo c JOIN visitors v ON v.n = c.rowid
			WHERE visitors_combo MATCH ?`+q.rowCheck+` ORDER BY c.rowid DESC LIMIT ?`,
			append(append([]any{`"` + c + `"`}, q.tailArgs...), limit-len(hits))...)
		if err != nil {
			return nil, fmt.Errorf("search visitors: %w", err)
		}
		more, err := scanHits(rows)
		return append(hits, more...), err
	}
	// Otherwise the index, every word a prefix, newest first.
	rows, err = tx.QueryContext(ctx, `SELECT v.id, v.full_name, v.doc_type, v.doc_number, v.phone
		FROM `+col.table+` f JOIN visitors v ON v.n = f.rowid
		WHERE `+col.table+` MATCH ?`+q.check+` ORDER BY f.rowid DESC LIMIT ?`, append(append([]any{q.match}, q.checkArgs...), limit-len(hits))...)
	if err != nil {
		return nil, fmt.Errorf("search visitors: %w", err)
	}
	more, err := scanHits(rows)
	return append(hits, more...), err
}

// maxPrefixIndex is the longest prefix the name indexes keep a doclist of
// (prefix = '1 2 3 4 5 6 7'), and maxExpand how many of the dictionary's
// terms a longer word may stand for.
const (
	maxPrefixIndex = 7
	maxExpand      = 32
)

// longTerms looks up in the dictionary (search_terms, of the tier of col)
// the indexed terms that each name word longer than maxPrefixIndex begins.
// FTS5 gathers such a word's prefix query whole from every term it begins
// before it reads the first row (kuznecova* on a million visitors: some
// 55,000 postings); the OR of those terms is read newest first and cut at
// the limit like a short prefix. A word with more than maxExpand terms, or
// one the index would split differently, stays a prefix query (absent from
// the map); a word no indexed name begins maps to no terms.
func longTerms(ctx context.Context, tx *sql.Tx, col nameColumn, names []string) (map[string][]string, error) {
	var out map[string][]string
	for _, w := range names {
		if utf8.RuneCountInString(w) <= maxPrefixIndex || strings.ContainsFunc(w, func(r rune) bool { return unicode.Is(unicode.Mn, r) }) {
			continue
		}
		if _, ok := out[w]; ok {
			continue
		}
		ts, err := termsFrom(ctx, tx, col.combo, w, maxExpand+1)
		if err != nil {
			return nil, err
		}
		if len(ts) > maxExpand {
			continue
		}
		if out == nil {
			out = map[string][]string{}
		}
		out[w] = ts
	}
	return out, nil
}

// termsFrom reads up to limit dictionary terms of tier that begin with w,
// in order.
func termsFrom(ctx context.Context, tx *sql.Tx, tier string, w string, limit int) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT term FROM search_terms WHERE tier = ? AND term >= ? AND term < ? ORDER BY term LIMIT ?`,
		tier, w, w+"\xff", limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// dictTerms is the words of terms (space-separated, as a row keeps them)
// that belong in the dictionary: those longer than maxPrefixIndex, without
// digits (a query's word with a digit is a key, never a name word).
func dictTerms(terms string, into map[string]bool) {
	for _, t := range strings.Fields(terms) {
		if utf8.RuneCountInString(t) > maxPrefixIndex && !strings.ContainsAny(t, "0123456789") {
			into[t] = true
		}
	}
}

// terms is a search as SQL: the index's MATCH expression with the row
// checks its long words need, and the conditions for a tail row.
type terms struct {
	none      bool     // a word matches no indexed term: only the tail can answer
	matches   []string // the MATCH's parts, one a word
	words     []string // the name words, in the order of matches
	match     string
	check     string // conditions on the row v for what the MATCH leaves out, with checkArgs
	tail      string // " AND …" conditions on a visitors row, every word
	rowCheck  string // the same on the row v
	checkArgs []any
	tailArgs  []any
}

// searchTerms makes a search's SQL for name words (in col) and keys, each a
// prefix or (prefix false) a whole term. Every word is quoted, so FTS syntax
// in the input is only text.
func searchTerms(col nameColumn, names, keys []string, prefix bool) terms {
	var t terms
	var m []string
	add := func(fts, row, w string, inIndex bool) {
		arg := " " + w
		star := "*"
		if !prefix {
			arg, star = arg+" ", ""
		}
		cond := ` AND instr(' ' || ` + row + ` || ' ', ?) > 0`
		t.tail += cond
		t.rowCheck += ` AND instr(' ' || v.` + row + ` || ' ', ?) > 0`
		t.tailArgs = append(t.tailArgs, arg)
		if fts != "" {
			fts += ":"
		}
		if inIndex {
			m = append(m, fts+`"`+w+`"`+star)
			t.words = append(t.words, w)
		} else {
			t.check += ` AND instr(' ' || v.` + row + ` || ' ', ?) > 0`
			t.checkArgs = append(t.checkArgs, arg)
		}
	}
	for _, w := range names {
		add(col.fts, col.row, w, true)
	}
	for _, k := range keys {
		add("keys", "key_terms", k, col.table == "visitors_fts")
	}
	t.match = strings.Join(m, " AND ")
	t.matches = m
	return t
}

// expand has the MATCH read each long name word as the OR of the
// dictionary's terms it begins (longTerms), each a whole term.
func (t *terms) expand(col nameColumn, long map[string][]string) {
	if len(long) == 0 {
		return
	}
	filter := ""
	if col.fts != "" {
		filter = col.fts + ":"
	}
	for i, w := range t.words {
		ts, ok := long[w]
		if !ok || i >= len(t.matches) {
			continue
		}
		if len(ts) == 0 {
			t.none = true
			return
		}
		var or []string
		for _, x := range ts {
			or = append(or, filter+`"`+x+`"`)
		}
		t.matches[i] = "(" + strings.Join(or, " OR ") + ")"
	}
	t.match = strings.Join(t.matches, " AND ")
}

func scanHits(rows *sql.Rows) ([]VisitorHit, error) {
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

// splitQuery turns what the clerk typed into folded name words (each a
// prefix to match) and one key prefix of the words that hold digits. An
// 11-digit phone with a leading 8 or 7 loses it, to match the number
// without the country code.
func splitQuery(q string) (names []string, key string) {
	var k strings.Builder
	ws := words(q)
	hasDigit := func(w string) bool { return strings.IndexFunc(w, unicode.IsDigit) >= 0 }
	for i, w := range ws {
		// Digits make a key; so do the two letters of a booklet passport's
		// series typed apart from its number (КВ 123456).
		if hasDigit(w) || (len([]rune(w)) <= 2 && i+1 < len(ws) && hasDigit(ws[i+1])) {
			k.WriteString(w)
			continue
		}
		names = append(names, w)
	}
	key = k.String()
	if len(key) == 11 && digits(key) == key && (key[0] == '8' || key[0] == '7') {
		key = key[1:]
	}
	return names, key
}
