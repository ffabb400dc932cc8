package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
)

func init() {
	register(command{name: "export", summary: "export the workstation's cases and visitors as JSON lines or CSV (--redact masks personal data)", run: runExport})
}

// exportRecord is one line of the JSON-lines export.
type exportRecord struct {
	Type    string           `json:"type"` // visitor or case
	Visitor *domain.Visitor  `json:"visitor,omitempty"`
	Case    *domain.CaseView `json:"case,omitempty"`
}

var exportColumns = []string{"case_number", "case_id", "service", "state", "opened_at", "deadline", "handed_off_at", "closed_at", "note",
	"visitor_id", "full_name", "birth_date", "doc_type", "doc_number", "phone", "email", "snils", "inn", "rnokpp"}

func runExport(e *env, args []string) error {
	fs := e.newFlags("export", "--data DIR [--format jsonl|csv] [--redact] [--out FILE]")
	data := fs.String("data", defaultDataDir(e.getenv), "the workstation's data folder")
	format := fs.String("format", "jsonl", "jsonl: one JSON object a line (visitors, then cases); csv: one row a case with its applicant, then visitors with no case")
	redact := fs.Bool("redact", false, "names as initials; document numbers, phones, SNILS, INN and RNOKPP masked but for their last digits; notes withheld")
	out := fs.String("out", "", "write to this file (made with mode 0600) instead of standard output")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *format != "jsonl" && *format != "csv" {
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: jsonl or csv", *format)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	store, err := openStore(ctx, *data)
	if err != nil {
		return err
	}
	defer store.Close()

	w := io.Writer(e.stdout)
	var f *os.File
	if *out != "" {
		// Personal data: owner only, even when redacted.
		if f, err = os.OpenFile(*out, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600); err != nil {
			return err
		}
		defer f.Close()
		if err := f.Chmod(0o600); err != nil {
			return err
		}
		w = f
	}
	bw := bufio.NewWriter(w)
	var visitors, cases int
	if *format == "jsonl" {
		visitors, cases, err = exportJSONL(ctx, store, bw, *redact)
	} else {
		visitors, cases, err = exportCSV(ctx, store, bw, *redact)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && f != nil {
		err = f.Sync()
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	how := ""
	if *redact {
		how = ", redacted"
	}
	where := "standard output"
	if *out != "" {
		where = *out
	}
	fmt.Fprintf(e.stderr, "okno export: %d visitors and %d cases of %s window %d%s to %s\n", visitors, cases, store.Office(), store.Window(), how, where)
	return nil
}

func exportJSONL(ctx context.Context, store *localdb.Store, w io.Writer, redact bool) (visitors, cases int, err error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	err = store.EachVisitor(ctx, func(v domain.Visitor) error {
		if redact {
			v = v.Redact()
		}
		visitors++
		return enc.Encode(exportRecord{Type: "visitor", Visitor: &v})
	})
	if err != nil {
		return visitors, cases, err
	}
	err = store.EachCase(ctx, func(c domain.CaseView) error {
		if redact {
			c = c.Redact()
		}
		cases++
		return enc.Encode(exportRecord{Type: "case", Case: &c})
	})
	return visitors, cases, err
}

func exportCSV(ctx context.Context, store *localdb.Store, w io.Writer, redact bool) (visitors, cases int, err error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(exportColumns); err != nil {
		return 0, 0, err
	}
	withCase := map[string]bool{}
	err = store.EachCase(ctx, func(c domain.CaseView) error {
		v, err := store.Visitor(ctx, c.VisitorID)
		if errors.Is(err, domain.ErrNotFound) {
			v, err = domain.Visitor{ID: c.VisitorID}, nil
		}
		if err != nil {
			return err
		}
		if redact {
			c, v = c.Redact(), v.Redact()
		}
		withCase[c.VisitorID] = true
		cases++
		return cw.Write(csvRow(&c, &v))
	})
	if err != nil {
		return 0, cases, err
	}
	err = store.EachVisitor(ctx, func(v domain.Visitor) error {
		visitors++
		if withCase[v.ID] {
			return nil
		}
		if redact {
			v = v.Redact()
		}
		return cw.Write(csvRow(nil, &v))
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return visitors, cases, err
}

func csvRow(c *domain.CaseView, v *domain.Visitor) []string {
	row := make([]string, 0, len(exportColumns))
	if c != nil {
		row = append(row, c.Number, c.ID, c.Service, string(c.State), stamp(c.OpenedAt), c.Deadline, stamp(c.HandedOffAt), stamp(c.ClosedAt), c.Note)
	} else {
		row = append(row, "", "", "", "", "", "", "", "", "")
	}
	row = append(row, v.ID, v.FullName, v.BirthDate, string(v.DocType), v.DocNumber, v.Phone, v.Email, v.SNILS, v.INN, v.RNOKPP)
	for i, s := range row {
		row[i] = cell(s)
	}
	return row
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// cell keeps a spreadsheet from reading a value as a formula: a cell that
// starts with = + - @ (a phone number's +7 included) gets a leading '.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
