package domain

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// A case number is made at the window, offline, and never collides with
// another window's: office code, window, date, the window's sequence of the
// day and a check digit, "IRK-03-261122-0007-8". The check digit lets the
// system tell a mistyped number from one that does not exist.

// ErrCaseNumberTypo matches, with errors.Is, the error of a case number
// whose check digit does not match: a typo, not an unknown number. The
// error is also an *InvalidError (errors.As) with ProblemCheck.
var ErrCaseNumberTypo = errors.New("case number check digit does not match")

// caseNumberTypo is the *InvalidError of a wrong check digit that also
// matches ErrCaseNumberTypo.
type caseNumberTypo struct{ *InvalidError }

func (e *caseNumberTypo) Unwrap() error        { return e.InvalidError }
func (e *caseNumberTypo) Is(target error) bool { return target == ErrCaseNumberTypo }

// CaseNumber is the registration number of a case. Date is a calendar date
// at midnight UTC, 2000-01-01…2099-12-31.
type CaseNumber struct {
	Office string    // office code, as ValidOffice
	Window int       // 1…999
	Date   time.Time // the day of registration
	Seq    int       // the window's sequence of that day, from 1
	Check  int       // Luhn check digit
}

// NewCaseNumber builds the case number and computes its check digit. The
// office is upper-cased; of date only the calendar date in its own location
// counts. It does not validate: see Validate.
func NewCaseNumber(office string, window int, date time.Time, seq int) CaseNumber {
	y, m, d := date.Date()
	n := CaseNumber{
		Office: strings.ToUpper(strings.TrimSpace(office)),
		Window: window,
		Date:   time.Date(y, m, d, 0, 0, 0, 0, time.UTC),
		Seq:    seq,
	}
	n.Check = luhnCheck(n.payload())
	return n
}

// String prints the number, "IRK-03-261122-0007-8".
func (n CaseNumber) String() string {
	return fmt.Sprintf("%s-%02d-%s-%04d-%d", n.Office, n.Window, n.Date.Format("060102"), n.Seq, n.Check)
}

// Validate reports whether n can be printed and parsed back: a valid office,
// window 1…999, a date in 2000…2099, sequence 1…999999999 and the right
// check digit.
func (n CaseNumber) Validate() error {
	const field = "case_number"
	switch {
	case !ValidOffice(n.Office):
		return invalidf(field, ProblemFormat, "office code is 2 to 8 capital Latin letters or digits")
	case n.Window < 1 || n.Window > 999:
		return invalidf(field, ProblemRange, "window is 1 to 999, not %d", n.Window)
	case n.Date.Year() < 2000 || n.Date.Year() > 2099:
		return invalidf(field, ProblemRange, "year %d cannot be written in a case number (2000 to 2099)", n.Date.Year())
	case n.Seq < 1 || n.Seq > 999999999:
		return invalidf(field, ProblemRange, "sequence is 1 to 999999999, not %d", n.Seq)
	case n.Check != luhnCheck(n.payload()):
		return invalidf(field, ProblemCheck, "check digit is %d but the rest gives %d", n.Check, luhnCheck(n.payload()))
	}
	return nil
}

// payload is the digit string the check digit covers: each office letter as
// its two-digit value (A=10 … Z=35), office digits as they are, then the
// window, date and sequence as printed.
func (n CaseNumber) payload() string {
	return officeDigits(n.Office) + fmt.Sprintf("%02d%s%04d", n.Window, n.Date.Format("060102"), n.Seq)
}

func officeDigits(office string) string {
	var b strings.Builder
	for _, r := range office {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteString(strconv.Itoa(int(r-'A') + 10))
		}
	}
	return b.String()
}

// luhnCheck returns the digit that, appended to the digit string p, makes it
// pass the Luhn (mod 10) check.
func luhnCheck(p string) int {
	sum, double := 0, true
	for i := len(p) - 1; i >= 0; i-- {
		d := int(p[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return (10 - sum%10) % 10
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// ParseCaseNumber reads a case number. It takes lower case, surrounding
// blanks, and blanks instead of dashes. A number of the right shape whose
// check digit does not match is a typo: the error matches ErrCaseNumberTypo
// and has ProblemCheck. A number of the wrong shape has ProblemFormat; a
// right-shaped, right-checked number with window 00, sequence 0000 or an
// impossible date has ProblemRange.
func ParseCaseNumber(s string) (CaseNumber, error) {
	const field = "case_number"
	const shape = "a case number is office-window-date-sequence-check, e.g. IRK-03-261122-0007-8"
	t := strings.ToUpper(strings.TrimSpace(s))
	if t == "" {
		return CaseNumber{}, invalidf(field, ProblemEmpty, "case number is missing")
	}
	p := strings.FieldsFunc(t, func(r rune) bool { return r != '№' && isSep(r) || unicode.IsSpace(r) })
	if len(p) != 5 {
		return CaseNumber{}, invalidf(field, ProblemFormat, "%s: five parts, this has %d", shape, len(p))
	}
	office, window, date, seq, check := p[0], p[1], p[2], p[3], p[4]
	switch {
	case !ValidOffice(office):
		return CaseNumber{}, invalidf(field, ProblemFormat, "%s: the office code is 2 to 8 Latin letters or digits", shape)
	case !isDigits(window) || len(window) != 2 && (len(window) != 3 || window[0] == '0'):
		return CaseNumber{}, invalidf(field, ProblemFormat, "%s: the window is 2 digits (3 above 99)", shape)
	case !isDigits(date) || len(date) != 6:
		return CaseNumber{}, invalidf(field, ProblemFormat, "%s: the date is 6 digits, YYMMDD", shape)
	case !isDigits(seq) || len(seq) < 4 || len(seq) > 9 || len(seq) > 4 && seq[0] == '0':
		return CaseNumber{}, invalidf(field, ProblemFormat, "%s: the sequence is 4 digits (more above 9999)", shape)
	case !isDigits(check) || len(check) != 1:
		return CaseNumber{}, invalidf(field, ProblemFormat, "%s: the check is 1 digit", shape)
	}
	got := int(check[0] - '0')
	if want := luhnCheck(officeDigits(office) + window + date + seq); got != want {
		return CaseNumber{}, &caseNumberTypo{&InvalidError{Field: field, Problem: ProblemCheck,
			Message: "the check digit does not match the rest of the number: a typo? Compare it with the receipt"}}
	}
	n := CaseNumber{Office: office, Check: got}
	n.Window, _ = strconv.Atoi(window)
	n.Seq, _ = strconv.Atoi(seq)
	if n.Window == 0 {
		return CaseNumber{}, invalidf(field, ProblemRange, "window 00 does not exist")
	}
	if n.Seq == 0 {
		return CaseNumber{}, invalidf(field, ProblemRange, "sequence 0000 does not exist: it starts at 0001")
	}
	d, err := checkDate(field, []string{"20" + date[:2], date[2:4], date[4:]}, 2000)
	if err != nil {
		return CaseNumber{}, err
	}
	n.Date, _ = time.Parse(time.DateOnly, d)
	return n, nil
}
