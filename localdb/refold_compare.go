package localdb

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// projTable is a projection table as the audit compares it: its key, the
// columns the events make (not search internals or the state of files),
// and which of them hold JSON (a difference there is named by field).
type projTable struct {
	name  string
	key   []string
	cols  []string
	json  map[string]bool
	where string // only these rows (meta holds more than projections)
}

var projTables = []projTable{
	{name: "visitors", key: []string{"id"},
		cols: []string{"full_name", "doc_type", "doc_number", "phone", "data", "created_at", "updated_at", "name_terms", "key_terms"},
		json: map[string]bool{"data": true}},
	{name: "tickets", key: []string{"id"},
		cols: []string{"number", "day", "service", "category", "rank", "proof", "state", "window", "issued_at", "called_at", "closed_at", "origin"}},
	{name: "cases", key: []string{"id"},
		cols: []string{"number", "visitor_id", "service", "state", "deadline", "opened_at", "view"},
		json: map[string]bool{"view": true}},
	{name: "checklist", key: []string{"case_id", "doc"}, cols: []string{"presented", "form", "count", "barcode"}},
	{name: "attachments", key: []string{"case_id", "doc", "sha256"}, cols: []string{"name", "size"}},
	{name: "meta", key: []string{"key"}, cols: []string{"value"}, where: `key IN ('on_break', 'catalog')`},
}

// compareProjections compares every projection table of orig (the file
// audited) with main (the scratch the events were folded into).
func compareProjections(ctx context.Context, tx *Tx, rep *RefoldReport) error {
	for _, t := range projTables {
		if err := compareTable(ctx, tx, t, rep); err != nil {
			return fmt.Errorf("compare %s: %w", t.name, err)
		}
	}
	return nil
}

func compareTable(ctx context.Context, tx *Tx, t projTable, rep *RefoldReport) error {
	src := func(db string) string {
		if t.where == "" {
			return db + "." + t.name
		}
		return "(SELECT * FROM " + db + "." + t.name + " WHERE " + t.where + ")"
	}
	var on, keys, diffs, jsonCols, anyDiff []string
	for _, k := range t.key {
		on = append(on, "a."+k+" = b."+k)
		keys = append(keys, "coalesce(a."+k+", b."+k+")")
	}
	for _, c := range t.cols {
		d := "a." + c + " IS NOT b." + c
		diffs = append(diffs, d)
		anyDiff = append(anyDiff, d)
		if t.json[c] {
			jsonCols = append(jsonCols, "a."+c, "b."+c)
		}
	}
	k0 := t.key[0]
	sel := append(append(append(keys, "a."+k0+" IS NULL", "b."+k0+" IS NULL"), diffs...), jsonCols...)
	q := `SELECT ` + strings.Join(sel, ", ") + ` FROM ` + src("orig") + ` a FULL OUTER JOIN ` + src("main") + ` b ON ` + strings.Join(on, " AND ") +
		` WHERE a.` + k0 + ` IS NULL OR b.` + k0 + ` IS NULL OR ` + strings.Join(anyDiff, " OR ")
	var found []Difference
	err := eachRow(ctx, tx, q, nil, func(sc scanner) (bool, error) {
		keyVals := make([]string, len(t.key))
		var noA, noB bool
		differs := make([]bool, len(t.cols))
		jsonVals := make([][]byte, 2*len(t.json))
		dst := []any{}
		for i := range keyVals {
			dst = append(dst, &keyVals[i])
		}
		dst = append(dst, &noA, &noB)
		for i := range differs {
			dst = append(dst, &differs[i])
		}
		for i := range jsonVals {
			dst = append(dst, &jsonVals[i])
		}
		if err := sc.Scan(dst...); err != nil {
			return false, err
		}
		key := strings.Join(keyVals, "/")
		switch {
		case noB:
			found = append(found, Difference{Table: t.name, Key: key, Problem: "extra"})
			return true, nil
		case noA:
			found = append(found, Difference{Table: t.name, Key: key, Problem: "missing"})
			return true, nil
		}
		j := 0
		for i, c := range t.cols {
			if !t.json[c] {
				if differs[i] {
					found = append(found, Difference{Table: t.name, Key: key, Column: c, Problem: "differs"})
				}
				continue
			}
			a, b := jsonVals[j], jsonVals[j+1]
			j += 2
			if differs[i] {
				for _, f := range jsonFields(a, b) {
					found = append(found, Difference{Table: t.name, Key: key, Column: c + f, Problem: "differs"})
				}
			}
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	var n int
	if err := tx.Tx.QueryRowContext(ctx, `SELECT count(*) FROM `+src("orig")).Scan(&n); err != nil {
		return err
	}
	rep.Rows += n
	sort.SliceStable(found, func(i, j int) bool { return found[i].Key < found[j].Key })
	rep.Differences = append(rep.Differences, found...)
	return nil
}

// jsonFields names the top-level fields in which two JSON objects differ
// (".state"); "" when they are not both objects or differ only in form.
func jsonFields(a, b []byte) []string {
	var ma, mb map[string]any
	if json.Unmarshal(a, &ma) != nil || json.Unmarshal(b, &mb) != nil {
		return []string{""}
	}
	var out []string
	for k, va := range ma {
		if vb, ok := mb[k]; !ok || !reflect.DeepEqual(va, vb) {
			out = append(out, "."+k)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			out = append(out, "."+k)
		}
	}
	sort.Strings(out)
	return out
}
