// Package receipt makes the receipt (расписка) a visitor takes home when a
// case is handed off: the case number and date, the office and window, the
// applicant and their document, the service, every document accepted
// (original or copy, how many), the documents missing and why, the date the
// result is due, the fee and the clerk. It renders the receipt as fixed-width
// UTF-8 text and as a PDF with an embedded font that has Cyrillic.
package receipt

import (
	"github.com/okno-mfc/okno/internal/ratingcode"

	"fmt"
	"strings"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// Doc is one document accepted.
type Doc struct {
	Name  string
	Form  domain.DocForm
	Count int
}

// Centre is the service centre as the receipt names it (the office's
// settings): a visitor should know where to come back and whom to call.
type Centre struct {
	Name, Address, Phone, Hours string
}

// Lines are the centre's details as printed, each labelled, empty ones left out.
func (c Centre) Lines(l string) []string {
	L := labelsFor(l)
	var out []string
	for _, f := range [][2]string{{"", c.Name}, {"", c.Address}, {L("phone"), c.Phone}, {L("hours"), c.Hours}} {
		switch {
		case f[1] == "":
		case f[0] == "":
			out = append(out, f[1])
		default:
			out = append(out, f[0]+" "+f[1])
		}
	}
	return out
}

// Receipt is what the receipt says. Names (service, documents) are given in
// the language the receipt is printed in.
type Receipt struct {
	Centre     Centre
	CaseNumber string
	StatusCode string // the six digits that, with the case number, show the case's status on the central's status page
	// RatingCode rates the service once the result is issued (issue 15 §4,
	// canonical form); RateURL is its page, absolute (/rate/{code} on the
	// central's public address), printed with its QR code. Empty: neither
	// is printed.
	RatingCode    string
	RateURL       string
	Date          time.Time // when the case was handed off
	Office        string
	Window        int
	Visitor       string
	DocType       domain.DocType
	DocNumber     string
	Service       string
	Department    string
	Accepted      []Doc
	Missing       []string // names of required documents not presented
	MissingReason string
	Deadline      time.Time // the date the result is due
	DeadlineDays  int
	DeadlineKind  domain.DeadlineKind
	Fee           int64 // minor units (kopecks); 0 = free
	Currency      string
	Clerk         string
}

// Width is the width of the text receipt, in characters.
const Width = 72

// lang picks the label set: ru, uk or en (anything else is en).
func lang(l string) int {
	switch l {
	case "ru":
		return 0
	case "uk":
		return 1
	}
	return 2
}

// Text renders the receipt as fixed-width text in lang (ru, uk or en),
// Width columns wide.
func Text(r Receipt, l string) string { return TextWidth(r, l, Width) }

// TextWidth renders the receipt in w columns (40 at least), every line
// wrapped at words: a narrow screen's preview.
func TextWidth(r Receipt, l string, w int) string {
	Width := max(40, w) //nolint:gocritic // the receipt's width, for this rendering
	L := labelsFor(l)
	var b strings.Builder
	center := func(s string) {
		pad := (Width - runes(s)) / 2
		b.WriteString(strings.Repeat(" ", max(0, pad)) + s + "\n")
	}
	center(L("title"))
	center(L("subtitle"))
	for _, line := range r.Centre.Lines(l) {
		for _, part := range wrap(line, Width) {
			center(part)
		}
	}
	b.WriteString("\n")
	lw := min(19, Width/3)
	field := func(label, value string) {
		lines := wrap(value, Width-lw)
		for i, line := range lines {
			if i == 0 {
				b.WriteString(pad(label, lw-1) + " " + line + "\n")
			} else {
				b.WriteString(strings.Repeat(" ", lw) + line + "\n")
			}
		}
	}
	for _, f := range Fields(r, l) {
		field(f[0], f[1])
	}
	b.WriteString("\n" + L("accepted") + "\n")
	if len(r.Accepted) == 0 {
		b.WriteString("  " + L("none") + "\n")
	}
	nameW := Width - 5 - 20
	for i, d := range r.Accepted {
		num := fmt.Sprintf("%2d. ", i+1)
		lines := wrap(d.Name, nameW)
		tail := pad(L("form."+string(d.Form)), 10) + copies(l, d.Count)
		for j, line := range lines {
			if j == 0 {
				b.WriteString(" " + num + pad(line, nameW) + " " + tail + "\n")
			} else {
				b.WriteString("     " + line + "\n")
			}
		}
	}
	if len(r.Missing) > 0 {
		b.WriteString("\n" + L("missing") + "\n")
		for i, name := range r.Missing {
			for j, line := range wrap(name, Width-5) {
				if j == 0 {
					fmt.Fprintf(&b, " %2d. %s\n", i+1, line)
				} else {
					b.WriteString("     " + line + "\n")
				}
			}
		}
		if r.MissingReason != "" {
			for _, line := range wrap(L("reason")+" "+r.MissingReason, Width-5) {
				b.WriteString("     " + line + "\n")
			}
		}
	}
	b.WriteString("\n")
	sign := "____________ " + L("signature")
	whoW := Width - lw - runes(sign) - 1
	for _, who := range [][2]string{{L("clerk"), r.Clerk}, {L("applicant"), ""}} {
		for i, line := range wrap(who[1], whoW) {
			if i == 0 {
				b.WriteString(pad(who[0], lw-1) + " " + pad(line, whoW) + " " + sign + "\n")
			} else {
				b.WriteString(strings.Repeat(" ", lw) + line + "\n")
			}
		}
	}
	if r.RatingCode != "" && r.RateURL != "" {
		b.WriteString("\n")
		for _, line := range wrap(L("rate")+" "+r.RateURL, Width) {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// Fields are the labelled lines of the receipt's head, in order.
func Fields(r Receipt, l string) [][2]string {
	L := labelsFor(l)
	doc := L("doctype."+string(r.DocType)) + " " + r.DocNumber
	place := r.Office
	if r.Window > 0 {
		place += ", " + fmt.Sprintf(L("window"), r.Window)
	}
	out := [][2]string{
		{L("case"), r.CaseNumber},
	}
	if r.StatusCode != "" {
		code := r.StatusCode
		if len(code) == 6 {
			code = code[:3] + " " + code[3:] // read and typed in two halves
		}
		out = append(out, [2]string{L("code"), code})
	}
	if r.RatingCode != "" {
		out = append(out, [2]string{L("rating"), ratingcode.Format(r.RatingCode)})
	}
	out = append(out, [][2]string{
		{L("date"), date(l, r.Date)},
		{L("place"), place},
		{L("visitor"), r.Visitor},
		{L("document"), strings.TrimSpace(doc)},
		{L("service"), r.Service},
	}...)
	if r.Department != "" {
		out = append(out, [2]string{L("department"), r.Department})
	}
	out = append(out,
		[2]string{L("deadline"), deadline(l, r)},
		[2]string{L("fee"), money(l, r.Fee, r.Currency)},
	)
	return out
}

func deadline(l string, r Receipt) string {
	L := labelsFor(l)
	s := fmt.Sprintf(L("until"), date(l, r.Deadline))
	if r.DeadlineDays > 0 {
		kind := "working"
		if r.DeadlineKind == domain.CalendarDays {
			kind = "calendar"
		}
		s += " (" + plural(l, r.DeadlineDays, L("days."+kind)) + ")"
	}
	return s
}

func copies(l string, n int) string { return plural(l, n, labelsFor(l)("copies")) }

// plural picks the form of "one|few|many" (ru, uk) or "one|many" (en) for n.
func plural(l string, n int, forms string) string {
	f := strings.Split(forms, "|")
	i := len(f) - 1
	switch {
	case len(f) == 3 && n%10 == 1 && n%100 != 11:
		i = 0
	case len(f) == 3 && n%10 >= 2 && n%10 <= 4 && (n%100 < 10 || n%100 >= 20):
		i = 1
	case len(f) == 2 && n == 1:
		i = 0
	}
	return fmt.Sprintf(f[i], n)
}

func date(l string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if lang(l) == 2 {
		return t.Format("2006-01-02")
	}
	return t.Format("02.01.2006")
}

func money(l string, minor int64, currency string) string {
	if minor == 0 {
		return labelsFor(l)("free")
	}
	if currency == "" {
		currency = "RUB"
		if l == "uk" {
			currency = "UAH"
		}
	}
	whole := fmt.Sprint(minor / 100)
	sep, dec := " ", ","
	if lang(l) == 2 {
		sep, dec = ",", "."
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if lang(l) != 2 {
		switch currency {
		case "RUB":
			currency = "руб."
		case "UAH":
			currency = "грн"
		}
	}
	return fmt.Sprintf("%s%s%02d %s", b.String(), dec, minor%100, currency)
}

func runes(s string) int { return len([]rune(s)) }

func pad(s string, w int) string {
	if n := w - runes(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// wrap breaks s into lines of at most w characters, at spaces when it can.
func wrap(s string, w int) []string {
	var lines []string
	var cur []rune
	for _, word := range strings.Fields(s) {
		rw := []rune(word)
		for len(rw) > w {
			if len(cur) > 0 {
				lines = append(lines, string(cur))
				cur = nil
			}
			lines = append(lines, string(rw[:w]))
			rw = rw[w:]
		}
		switch {
		case len(cur) == 0:
			cur = rw
		case len(cur)+1+len(rw) <= w:
			cur = append(append(cur, ' '), rw...)
		default:
			lines = append(lines, string(cur))
			cur = rw
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}
