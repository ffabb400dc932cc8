package domain

import (
	"errors"
	"testing"
	"time"
)

func TestCaseNumberString(t *testing.T) {
	t.Parallel()
	date := time.Date(2026, 11, 22, 15, 4, 0, 0, time.FixedZone("IRKT", 8*3600))
	for _, c := range []struct {
		n    CaseNumber
		want string
	}{
		// payload 27 18 20 | 03 | 261122 | 0007 → Luhn check 8 (checked in Python)
		{NewCaseNumber("IRK", 3, date, 7), "IRK-03-261122-0007-8"},
		{NewCaseNumber(" irk ", 3, date, 7), "IRK-03-261122-0007-8"},
		{NewCaseNumber("MFC38", 12, date, 12345), "MFC38-12-261122-12345-"},
		{NewCaseNumber("IRK", 104, date, 1), "IRK-104-261122-0001-"},
	} {
		got := c.n.String()
		if c.want[len(c.want)-1] == '-' { // check digit not given by hand
			if got[:len(c.want)] != c.want {
				t.Errorf("String() = %q, want prefix %q", got, c.want)
			}
		} else if got != c.want {
			t.Errorf("String() = %q, want %q", got, c.want)
		}
		if err := c.n.Validate(); err != nil {
			t.Errorf("%s: Validate: %v", got, err)
		}
		back, err := ParseCaseNumber(got)
		if err != nil || back != c.n {
			t.Errorf("ParseCaseNumber(%q) = %+v, %v; want %+v", got, back, err, c.n)
		}
	}
}

func TestParseCaseNumberSpellings(t *testing.T) {
	t.Parallel()
	want := NewCaseNumber("IRK", 3, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), 7)
	for _, s := range []string{
		"IRK-03-261122-0007-8",
		"  irk-03-261122-0007-8\n",
		"IRK 03 261122 0007 8",
		"irk 03-261122 0007\u00a08",
		"IRK–03–261122–0007–8",
	} {
		got, err := ParseCaseNumber(s)
		if err != nil || got != want {
			t.Errorf("ParseCaseNumber(%q) = %+v, %v", s, got, err)
		}
	}
}

func TestParseCaseNumberErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in      string
		problem string
	}{
		{"", ProblemEmpty},
		{"IRK-03-261122-0007", ProblemFormat},
		{"IRK-03-261122-0007-8-1", ProblemFormat},
		{"I-03-261122-0007-8", ProblemFormat},
		{"ИРК-03-261122-0007-8", ProblemFormat},
		{"IRK-3-261122-0007-8", ProblemFormat},
		{"IRK-003-261122-0007-8", ProblemFormat},
		{"IRK-03-26112-0007-8", ProblemFormat},
		{"IRK-03-261122-007-4", ProblemFormat},
		{"IRK-03-261122-00007-8", ProblemFormat},
		{"IRK-03-261122-0007-84", ProblemFormat},
		{"IRK-03-261122-0007-X", ProblemFormat},
		{"IRK-03-261122-0007-9", ProblemCheck},
		{"IRK-03-261122-0070-8", ProblemCheck},
		{"IRK-00-" + "261122-0007-" + checkOf("IRK", "00", "261122", "0007"), ProblemRange},
		{"IRK-03-261122-0000-" + checkOf("IRK", "03", "261122", "0000"), ProblemRange},
		{"IRK-03-260230-0007-" + checkOf("IRK", "03", "260230", "0007"), ProblemRange},
		{"IRK-03-261322-0007-" + checkOf("IRK", "03", "261322", "0007"), ProblemRange},
	} {
		_, err := ParseCaseNumber(c.in)
		var ie *InvalidError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: error %v is not an *InvalidError", c.in, err)
			continue
		}
		if ie.Problem != c.problem || ie.Field != "case_number" {
			t.Errorf("%q: got %s/%s (%v), want case_number/%s", c.in, ie.Field, ie.Problem, err, c.problem)
		}
		if typo := errors.Is(err, ErrCaseNumberTypo); typo != (c.problem == ProblemCheck) {
			t.Errorf("%q: errors.Is(ErrCaseNumberTypo) = %v", c.in, typo)
		}
	}
}

func checkOf(office, window, date, seq string) string {
	return string(rune('0' + luhnCheck(officeDigits(office)+window+date+seq)))
}

// TestCaseNumberEverySingleDigitChange changes each digit of sample numbers
// to each other digit: none may parse as a valid number.
func TestCaseNumberEverySingleDigitChange(t *testing.T) {
	t.Parallel()
	samples := []CaseNumber{
		NewCaseNumber("IRK", 3, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), 7),
		NewCaseNumber("MFC38", 17, time.Date(2025, 1, 9, 0, 0, 0, 0, time.UTC), 4096),
		NewCaseNumber("K1", 99, time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC), 98765),
	}
	for _, n := range samples {
		s := []byte(n.String())
		for i, c := range s {
			if c < '0' || c > '9' {
				continue
			}
			for d := byte('0'); d <= '9'; d++ {
				if d == c {
					continue
				}
				m := append([]byte(nil), s...)
				m[i] = d
				got, err := ParseCaseNumber(string(m))
				if err == nil {
					t.Errorf("%s → %s parsed as valid %+v", s, m, got)
					continue
				}
				var ie *InvalidError
				if !errors.As(err, &ie) || (ie.Problem != ProblemCheck && ie.Problem != ProblemFormat && ie.Problem != ProblemRange) {
					t.Errorf("%s → %s: unexpected error %v", s, m, err)
				}
			}
		}
	}
}

func TestCaseNumberValidate(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	bad := []CaseNumber{
		NewCaseNumber("I", 3, day, 7),
		NewCaseNumber("IRK", 0, day, 7),
		NewCaseNumber("IRK", 1000, day, 7),
		NewCaseNumber("IRK", 3, day, 0),
		NewCaseNumber("IRK", 3, time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), 7),
		{Office: "IRK", Window: 3, Date: day, Seq: 7, Check: 5},
	}
	for _, n := range bad {
		if err := n.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: Validate = %v", n, err)
		}
	}
}

// TestCaseNumberRoundTrip builds many numbers and parses each back.
func TestCaseNumberRoundTrip(t *testing.T) {
	t.Parallel()
	offices := []string{"IRK", "MFC38", "K1", "ZZZZZZZZ", "00", "A9B8C7D6"}
	windows := []int{1, 9, 10, 99, 100, 999}
	seqs := []int{1, 7, 9999, 10000, 123456789, 999999999}
	for i, office := range offices {
		for j, w := range windows {
			for k, seq := range seqs {
				date := time.Date(2000+(i*31+j*7+k)%100, time.Month(1+(i+j+k)%12), 1+(i*j+k)%28, 0, 0, 0, 0, time.UTC)
				n := NewCaseNumber(office, w, date, seq)
				if err := n.Validate(); err != nil {
					t.Fatalf("%s: %v", n, err)
				}
				back, err := ParseCaseNumber(n.String())
				if err != nil || back != n {
					t.Fatalf("%s → %+v, %v", n, back, err)
				}
			}
		}
	}
}
