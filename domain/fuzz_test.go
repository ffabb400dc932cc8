package domain

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// checkIdempotent asserts the invariants every validator keeps: it never
// panics, refuses only with an *InvalidError, and a value it accepts
// re-validates to itself.
func checkIdempotent(t *testing.T, validate func(string) (string, error), in string) {
	t.Helper()
	out, err := validate(in)
	if err != nil {
		var ie *InvalidError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) || ie.Problem == "" || ie.Message == "" {
			t.Fatalf("%q: error %#v is not a complete *InvalidError", in, err)
		}
		return
	}
	again, err := validate(out)
	if err != nil || again != out {
		t.Fatalf("%q → %q → %q, %v: not idempotent", in, out, again, err)
	}
}

func FuzzValidateSNILS(f *testing.F) {
	for _, s := range []string{"112-233-445 95", "11223344595", "000-000-000 00", "111-111-111 45", "001-001-998 12", " 112\u00a0233\u00a0445 95", "820-981-233 00", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkIdempotent(t, ValidateSNILS, s) })
}

func FuzzValidateINN(f *testing.F) {
	for _, s := range []string{"7707083893", "500100732259", "0000000000", "7707 083 893", "77070838931", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkIdempotent(t, ValidateINN, s) })
}

func FuzzValidateRNOKPP(f *testing.F) {
	for _, s := range []string{"3064700004", "9000000002", "1111111111", "30647 00004", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkIdempotent(t, ValidateRNOKPP, s)
		if v, err := ValidateRNOKPP(s); err == nil {
			RNOKPPBirthDate(v)
			RNOKPPMale(v)
		}
	})
}

func FuzzValidateName(f *testing.F) {
	for _, s := range []string{"Мар'яна", "О'Коннор", "Д'Артаньян", "Анна - Мария", " Иванов  Иван ", "Андрии\u0306", "Мари\u0301я", "Ивaнов", "''", "a\u0301 b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkIdempotent(t, ValidateName, s) })
}

func FuzzParseCaseNumber(f *testing.F) {
	for _, s := range []string{"IRK-03-261122-0007-8", "irk 03 261122 0007 8", "IRK-104-261122-12345-0", "IRK-03-261122-0007-9", "A-1-2-3-4", "ſſ-01-250101-0001-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseCaseNumber(s)
		if err != nil {
			var ie *InvalidError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) || ie.Field != "case_number" {
				t.Fatalf("%q: error %#v is not a case_number *InvalidError", s, err)
			}
			if errors.Is(err, ErrCaseNumberTypo) != (ie.Problem == ProblemCheck) {
				t.Fatalf("%q: typo sentinel and ProblemCheck disagree: %v", s, err)
			}
			return
		}
		if err := n.Validate(); err != nil {
			t.Fatalf("%q parsed to %+v, which does not validate: %v", s, n, err)
		}
		back, err := ParseCaseNumber(n.String())
		if err != nil || back != n {
			t.Fatalf("%q → %s → %+v, %v: no round trip", s, n, back, err)
		}
		if NewCaseNumber(n.Office, n.Window, n.Date, n.Seq) != n {
			t.Fatalf("%q: NewCaseNumber does not rebuild %+v", s, n)
		}
		if n.Date.Location() != time.UTC || n.Date.Hour() != 0 {
			t.Fatalf("%q: date %v is not a UTC midnight", s, n.Date)
		}
	})
}

func FuzzParseTicketNumber(f *testing.F) {
	for _, s := range []string{"A-017", "a17", "ЛК-999", "ABCD-1", "A-0", "А B 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseTicketNumber(s)
		if err != nil {
			var ie *InvalidError
			if !errors.As(err, &ie) || ie.Field != "ticket_number" {
				t.Fatalf("%q: error %#v is not a ticket_number *InvalidError", s, err)
			}
			return
		}
		back, err := ParseTicketNumber(n.String())
		if err != nil || back != n {
			t.Fatalf("%q → %s → %+v, %v: no round trip", s, n, back, err)
		}
	})
}

// FuzzCheckJSONText: on a valid JSON text, CheckJSONText refuses exactly
// the texts that are not UTF-8 or whose decoded strings (keys included)
// hold a NUL.
func FuzzCheckJSONText(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `{"a":"\u0000"}`, `{"a":"\\u0000"}`, `{"a":"\\\u0000"}`, `["\u0000"]`,
		`{"\u0000":1}`, "{\"a\":\"\xff\"}", "\"\xc0\x80\"", `"\ud800"`, `"x\\"`, `"\u00000"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := CheckJSONText(b)
		if !json.Valid(b) {
			return
		}
		var v any
		if json.Unmarshal(b, &v) != nil {
			t.Fatalf("valid JSON does not decode: %q", b)
		}
		nul := hasNUL(v)
		switch {
		case !utf8.Valid(b):
			if !errors.Is(err, ErrNotUTF8) {
				t.Fatalf("%q: %v, want ErrNotUTF8", b, err)
			}
		case nul != errors.Is(err, ErrNUL):
			t.Fatalf("%q: a decoded string holds a NUL: %v; CheckJSONText: %v", b, nul, err)
		case !nul && err != nil:
			t.Fatalf("%q: refused with %v", b, err)
		}
	})
}

func hasNUL(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.IndexByte(x, 0) >= 0
	case []any:
		for _, e := range x {
			if hasNUL(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if strings.IndexByte(k, 0) >= 0 || hasNUL(e) {
				return true
			}
		}
	}
	return false
}
