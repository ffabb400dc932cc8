package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

func init() {
	register(command{name: "report", summary: "print an office's day figures for a period (table or CSV)", run: runReport})
}

const reportUsage = `--central URL --office CODE [--from DATE] [--to DATE] [--csv [--departments | --ratings]]
                   [--login LOGIN | --token TOKEN | --token-stdin] [--ca FILE] [--lang ru|uk|en]

Prints an office's figures for each day of a period and for the whole
period: visitors, served, no-shows, average and longest wait, the share
waiting within the norm, average reception time; then the period by service
and by operator, and the cases the office handed off in the period by
department: received, decided in time, decided late, overdue (undecided
past the deadline), still open, and the average days from hand-off to the
decision; then the visitors' ratings given in the period (1 to 5, issue
15): their number, average and share below 4, all together and by
window, service and clerk. With --csv: one CSV row per day and a "total"
row, with a header, times in seconds, the day's ratings in the last
columns; with --csv --departments, one row per department; with --csv
--ratings, one row per window, service and clerk, and a "total" row.

DATE is YYYY-MM-DD in the central's time zone; --from defaults to today,
--to to --from. The central answers supervisors and administrators: sign
in with --login (the password is read from the first line of stdin), or
give a session token (--token, --token-stdin, or OKNO_TOKEN).`

// reportFlags are the flags of okno report.
type reportFlags struct {
	central, office, from, to string
	csv, departments, ratings bool
	login, token, ca, lang    string
	tokenStdin, insecureHTTP  bool
}

func runReport(e *env, args []string) error {
	fs := e.newFlags("report", reportUsage)
	var f reportFlags
	fs.StringVar(&f.central, "central", e.getenv("OKNO_CENTRAL"), "the central server, http(s)://host:port (env OKNO_CENTRAL)")
	fs.StringVar(&f.office, "office", "", "office code, e.g. IRK")
	fs.StringVar(&f.from, "from", "", "first day, YYYY-MM-DD (default today)")
	fs.StringVar(&f.to, "to", "", "last day, YYYY-MM-DD, included (default --from)")
	fs.BoolVar(&f.csv, "csv", false, "print CSV with a header instead of tables")
	fs.BoolVar(&f.departments, "departments", false, "with --csv: the figures by department instead of by day")
	fs.BoolVar(&f.ratings, "ratings", false, "with --csv: the ratings by window, service and clerk instead of by day")
	fs.StringVar(&f.login, "login", "", "sign in as `LOGIN`; the password is the first line of stdin")
	fs.StringVar(&f.token, "token", "", "a session `TOKEN` instead of a sign-in (also env OKNO_TOKEN)")
	fs.BoolVar(&f.tokenStdin, "token-stdin", false, "read the session token from the first line of stdin")
	fs.StringVar(&f.ca, "ca", "", "trust this PEM `FILE` for an https central with its own CA")
	fs.StringVar(&f.lang, "lang", "", "language of the service names: ru, uk or en (default: from LANG)")
	fs.BoolVar(&f.insecureHTTP, "insecure-http", false, insecureHTTPUsage)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := f.check(e); err != nil {
		return err
	}
	lang, err := langFromEnv(e.getenv, f.lang)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, signedIn, err := reportClient(ctx, e, f)
	if err != nil {
		return err
	}
	if signedIn {
		defer c.SignOut(context.Background()) //nolint:errcheck // the session ends by itself too
	}
	rep, err := c.OfficeReport(ctx, f.office, f.from, f.to)
	if err != nil {
		return reportError(f, err)
	}
	if f.csv && f.departments {
		return writeDepartmentsCSV(e.stdout, rep)
	}
	if f.csv && f.ratings {
		return writeRatingsCSV(e.stdout, rep)
	}
	if f.csv {
		return writeReportCSV(e.stdout, rep)
	}
	var cat *domain.Catalog
	if resp, err := c.Catalog(ctx, ""); err == nil {
		cat = resp.Catalog
	}
	return writeReportText(e.stdout, rep, cat, lang)
}

// check validates the flags before anything goes on the network.
func (f *reportFlags) check(e *env) error {
	usage := func(format string, args ...any) error {
		return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
	}
	if f.token == "" && f.login == "" && !f.tokenStdin {
		f.token = e.getenv("OKNO_TOKEN")
	}
	n := 0
	for _, set := range []bool{f.login != "", f.token != "", f.tokenStdin} {
		if set {
			n++
		}
	}
	switch {
	case f.central == "":
		return usage("give --central: the central server's address, e.g. --central https://okno.example:8443")
	case !domain.ValidOffice(f.office):
		return usage("give --office: the office code, 2–8 capital Latin letters or digits, e.g. --office IRK")
	case n == 0:
		return usage("sign in: give --login LOGIN (the password on stdin), or --token TOKEN, --token-stdin or OKNO_TOKEN")
	case n > 1:
		return usage("give one of --login, --token and --token-stdin")
	case f.departments && !f.csv:
		return usage("--departments goes with --csv (the tables always show the departments)")
	case f.ratings && !f.csv:
		return usage("--ratings goes with --csv (the tables always show the ratings)")
	case f.ratings && f.departments:
		return usage("--ratings and --departments are two different CSVs: give one")
	}
	for _, d := range []struct{ name, v string }{{"--from", f.from}, {"--to", f.to}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			return usage("%s %q: give a day as YYYY-MM-DD, e.g. 2025-03-12", d.name, d.v)
		}
	}
	if f.to == "" {
		f.to = f.from
	}
	if f.from == "" && f.to != "" {
		f.from = f.to
	}
	if f.from != "" && f.to < f.from {
		return usage("--to %s is before --from %s", f.to, f.from)
	}
	return nil
}

// reportClient makes the client and signs in; signedIn says a session was
// opened here (and is to be closed).
func reportClient(ctx context.Context, e *env, f reportFlags) (c *client.Client, signedIn bool, err error) {
	opts := []client.Option{client.WithTimeout(time.Minute)}
	if f.ca != "" {
		opts = append(opts, client.WithCAFile(f.ca))
	}
	if f.insecureHTTP {
		opts = append(opts, client.AllowInsecureHTTP())
	}
	if c, err = client.New(f.central, opts...); err != nil {
		if errors.Is(err, client.ErrInsecureHTTP) {
			return nil, false, transportError(err, "")
		}
		return nil, false, &exitError{code: 2, msg: err.Error()}
	}
	switch {
	case f.token != "":
		c.SetToken(f.token)
	case f.tokenStdin:
		tok, err := reportSecret(e.stdin, "token")
		if err != nil {
			return nil, false, err
		}
		c.SetToken(tok)
	default:
		pw, err := reportSecret(e.stdin, "password")
		if err != nil {
			return nil, false, err
		}
		if _, err := c.SignIn(ctx, f.login, pw, 0); err != nil {
			if errors.Is(err, client.ErrUnauthorized) || errors.Is(err, client.ErrRejected) {
				return nil, false, &exitError{code: 1, msg: fmt.Sprintf("the central at %s refused the sign-in of %s: wrong login or password", f.central, f.login)}
			}
			return nil, false, reportError(f, err)
		}
		signedIn = true
	}
	return c, signedIn, nil
}

// reportSecret reads the first line of stdin.
func reportSecret(r io.Reader, what string) (string, error) {
	if r == nil {
		return "", &exitError{code: 2, msg: fmt.Sprintf("no %s on stdin: pipe it in, e.g. okno report … < %s-file", what, what)}
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the %s from stdin: %w", what, err)
	}
	s := strings.TrimSpace(line)
	if s == "" {
		return "", &exitError{code: 2, msg: fmt.Sprintf("no %s on stdin: pipe it in, e.g. okno report … < %s-file", what, what)}
	}
	return s, nil
}

// reportError says what to do about a failed call.
func reportError(f reportFlags, err error) error {
	switch {
	case errors.Is(err, client.ErrOffline):
		return &exitError{code: 1, msg: fmt.Sprintf("cannot reach the central at %s: %v", f.central, err)}
	case errors.Is(err, client.ErrUnauthorized):
		return &exitError{code: 1, msg: "the central does not know this session (expired or signed out): sign in again with --login"}
	case errors.Is(err, client.ErrForbidden):
		return &exitError{code: 1, msg: fmt.Sprintf("this account may not see the figures of office %s: a supervisor or administrator of %s (or of every office, *) may", f.office, f.office)}
	case errors.Is(err, domain.ErrNotFound):
		return &exitError{code: 1, msg: fmt.Sprintf("the central at %s has no report of office %s: is it older than this okno, or is the office code wrong?", f.central, f.office)}
	}
	var ae *client.APIError
	if errors.As(err, &ae) {
		return &exitError{code: 1, msg: ae.Message}
	}
	return err
}

// writeReportCSV writes a header, a row per day and a "total" row.
func writeReportCSV(w io.Writer, rep api.OfficeReport) error {
	cw := csv.NewWriter(w)
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
	row := func(date string, d api.ReportDay) []string {
		return []string{rep.Office, date, strconv.Itoa(d.Visitors), strconv.Itoa(d.Served), strconv.Itoa(d.NoShows),
			num(d.AvgWaitSec), num(d.MaxWaitSec), num(d.WithinNormPct), num(d.AvgServiceSec),
			strconv.Itoa(d.Ratings.Count), strconv.FormatFloat(d.Ratings.Avg, 'f', 2, 64), num(d.Ratings.Below4Pct)}
	}
	cw.Write([]string{"office", "date", "visitors", "served", "no_shows", "avg_wait_sec", "max_wait_sec", "within_norm_pct", "avg_service_sec",
		"ratings", "avg_rating", "ratings_below4_pct"})
	for _, d := range rep.Days {
		cw.Write(row(d.Date, d))
	}
	cw.Write(row("total", rep.Total))
	cw.Flush()
	return cw.Error()
}

// writeRatingsCSV writes a header, a row per window, service and clerk
// of the period's ratings, and a "total" row.
func writeRatingsCSV(w io.Writer, rep api.OfficeReport) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"office", "from", "to", "by", "key", "ratings", "avg_rating", "below4_pct"})
	row := func(by string, g api.RatingGroup) {
		cw.Write([]string{rep.Office, rep.From, rep.To, by, g.Key, strconv.Itoa(g.Count),
			strconv.FormatFloat(g.Avg, 'f', 2, 64), strconv.FormatFloat(g.Below4Pct, 'f', 1, 64)})
	}
	r := rep.Total.Ratings
	for _, by := range []struct {
		name string
		gs   []api.RatingGroup
	}{{"window", r.Windows}, {"service", r.Services}, {"clerk", r.Clerks}} {
		for _, g := range by.gs {
			row(by.name, g)
		}
	}
	row("total", api.RatingGroup{Count: r.Count, Avg: r.Avg, Below4Pct: r.Below4Pct})
	cw.Flush()
	return cw.Error()
}

// writeRatings writes the period's ratings: the whole and by window,
// service and clerk.
func writeRatings(w io.Writer, rep api.OfficeReport, name func(string) string) error {
	r := rep.Total.Ratings
	fmt.Fprintf(w, "\nRatings, %s – %s: ", rep.From, rep.To)
	if r.Count == 0 {
		fmt.Fprintln(w, "none")
		return nil
	}
	fmt.Fprintf(w, "%d, average %.2f, below 4: %.1f%%\n", r.Count, r.Avg, r.Below4Pct)
	for _, by := range []struct {
		title string
		gs    []api.RatingGroup
		key   func(string) string
	}{
		{"Window", r.Windows, func(k string) string { return k }},
		{"Service", r.Services, name},
		{"Clerk", r.Clerks, func(k string) string {
			if k == "" {
				return "(unknown)"
			}
			return k
		}},
	} {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\tRatings\tAverage\tBelow 4\n", by.title)
		for _, g := range by.gs {
			fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.1f%%\n", by.key(g.Key), g.Count, g.Avg, g.Below4Pct)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// writeDepartmentsCSV writes a header and a row per department.
func writeDepartmentsCSV(w io.Writer, rep api.OfficeReport) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"office", "from", "to", "department", "received", "decided_in_time", "decided_late", "overdue", "open", "withdrawn", "avg_days"})
	for _, d := range rep.Departments {
		cw.Write([]string{rep.Office, rep.From, rep.To, d.Department, strconv.Itoa(d.Received), strconv.Itoa(d.DecidedInTime),
			strconv.Itoa(d.DecidedLate), strconv.Itoa(d.Overdue), strconv.Itoa(d.Open), strconv.Itoa(d.Withdrawn), strconv.FormatFloat(d.AvgDays, 'f', 1, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// writeDepartments writes the table of the departments' figures.
func writeDepartments(w io.Writer, rep api.OfficeReport) error {
	if len(rep.Departments) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nBy department (cases handed off %s – %s)\n\n", rep.From, rep.To)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Department\tReceived\tIn time\tLate\tOverdue\tOpen\tAvg days")
	for _, d := range rep.Departments {
		name := d.Department
		if name == "" {
			name = "(not recorded)"
		}
		avg := "—"
		if d.DecidedInTime+d.DecidedLate > 0 {
			avg = strconv.FormatFloat(d.AvgDays, 'f', 1, 64)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\n", clipText(name, 48), d.Received, d.DecidedInTime, d.DecidedLate, d.Overdue, d.Open, avg)
	}
	return tw.Flush()
}

// writeReportText writes the days' table with the total, then the period
// by service, by operator and by department.
func writeReportText(w io.Writer, rep api.OfficeReport, cat *domain.Catalog, lang string) error {
	fmt.Fprintf(w, "Office %s, %s – %s\n\n", rep.Office, rep.From, rep.To)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Date\tVisitors\tServed\tNo-shows\tAvg wait\tLongest wait\tWithin norm\tAvg reception\t")
	line := func(name string, d api.ReportDay) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t\n", name, d.Visitors, d.Served, d.NoShows,
			clockTime(d.AvgWaitSec), clockTime(d.MaxWaitSec), percent(d.WithinNormPct, d.MaxWaitSec > 0 || d.WithinNormPct > 0), clockTime(d.AvgServiceSec))
	}
	for _, d := range rep.Days {
		line(d.Date, d)
	}
	line("Total", rep.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	name := func(code string) string {
		if cat != nil {
			if s, ok := cat.Service(code); ok {
				return code + "  " + clipText(s.Name(lang), 48)
			}
		}
		return code
	}
	if len(rep.Total.Services) > 0 {
		fmt.Fprintf(w, "\nBy service, %s – %s\n\n", rep.From, rep.To)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "Service\tVisitors\tServed\tNo-shows\tAvg wait\tWithin norm (min)\tAvg reception")
		for _, s := range rep.Total.Services {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s (%d)\t%s\n", name(s.Service), s.Visitors, s.Served, s.NoShows,
				clockTime(s.AvgWaitSec), percent(s.WithinNormPct, s.MaxWaitSec > 0 || s.WithinNormPct > 0), s.WaitNormMin, clockTime(s.AvgServiceSec))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(rep.Total.Operators) > 0 {
		fmt.Fprintf(w, "\nBy operator, %s – %s\n\n", rep.From, rep.To)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "Operator\tWindows\tServed\tAvg reception")
		for _, o := range rep.Total.Operators {
			wins := make([]string, len(o.Windows))
			for i, n := range o.Windows {
				wins[i] = strconv.Itoa(n)
			}
			login := o.Operator
			if login == "" {
				login = "(unknown)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", login, strings.Join(wins, ","), o.Served, clockTime(o.AvgServiceSec))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if err := writeDepartments(w, rep); err != nil {
		return err
	}
	return writeRatings(w, rep, name)
}

// clockTime prints seconds as m:ss or h:mm:ss; "—" for none.
func clockTime(sec float64) string {
	if sec <= 0 {
		return "—"
	}
	s := int(sec + 0.5)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// percent prints a share; "—" when no wait was counted.
func percent(p float64, counted bool) string {
	if !counted {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", p)
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
