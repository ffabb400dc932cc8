package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// vector is one input to a validator: the normalised form it should give,
// or the Problem it should be refused with.
type vector struct {
	in      string
	want    string
	problem string
}

func runVectors(t *testing.T, field string, validate func(string) (string, error), vs []vector) {
	t.Helper()
	for _, v := range vs {
		got, err := validate(v.in)
		if v.problem == "" {
			if err != nil {
				t.Errorf("%q: unexpected error %v", v.in, err)
			} else if got != v.want {
				t.Errorf("%q: got %q, want %q", v.in, got, v.want)
			}
			continue
		}
		var ie *InvalidError
		switch {
		case err == nil:
			t.Errorf("%q: accepted as %q, want problem %q", v.in, got, v.problem)
		case !errors.As(err, &ie) || !errors.Is(err, ErrInvalid):
			t.Errorf("%q: error %v is not an *InvalidError", v.in, err)
		case ie.Problem != v.problem || ie.Field != field:
			t.Errorf("%q: got %s/%s (%v), want %s/%s", v.in, ie.Field, ie.Problem, err, field, v.problem)
		case ie.Message == "":
			t.Errorf("%q: empty message", v.in)
		}
	}
}

func TestValidateSNILS(t *testing.T) {
	t.Parallel()
	runVectors(t, "snils", ValidateSNILS, []vector{
		{in: "112-233-445 95", want: "112-233-445 95"},
		{in: "11223344595", want: "112-233-445 95"},
		{in: " 112 233 445 95 ", want: "112-233-445 95"},
		{in: "112\u00a0233\u00a0445\u00a095", want: "112-233-445 95"},
		{in: "112–233–445–95", want: "112-233-445 95"},
		{in: "987-654-321 83", want: "987-654-321 83"},
		{in: "911-001-000 00", want: "911-001-000 00"}, // sum 100
		{in: "911-001-001 00", want: "911-001-001 00"}, // sum 101
		{in: "820-981-233 00", want: "820-981-233 00"}, // sum 201: mod 101 gives 100
		{in: "804-614-990 00", want: "804-614-990 00"}, // sum 202: mod 101 gives 0
		{in: "700-201-621 01", want: "700-201-621 01"}, // sum 102
		{in: "001-001-999 65", want: "001-001-999 65"}, // first checked number
		{in: "001-001-998 12", want: "001-001-998 12"}, // not checked
		{in: "000-000-001 77", want: "000-000-001 77"},
		{in: "112-233-445 94", problem: ProblemCheck},
		{in: "112-233-446 95", problem: ProblemCheck},
		{in: "121-233-445 95", problem: ProblemCheck},
		{in: "001-001-999 00", problem: ProblemCheck},
		{in: "000-000-000 00", problem: ProblemSame},
		{in: "111-111-111 45", problem: ProblemSame}, // passes the check, still a placeholder
		{in: "111-111-111 11", problem: ProblemSame},
		{in: "999-999-999 99", problem: ProblemSame},
		{in: "", problem: ProblemEmpty},
		{in: "  ", problem: ProblemEmpty},
		{in: "112-233-445", problem: ProblemLength},
		{in: "112-233-445 955", problem: ProblemLength},
		{in: "112-233-445 9O", problem: ProblemChars},
		{in: "112/233/445 95", problem: ProblemChars},
	})
}

func TestMakeSNILS(t *testing.T) {
	t.Parallel()
	if got := MakeSNILS(112233445); got != "112-233-445 95" {
		t.Errorf("MakeSNILS = %q", got)
	}
	for _, n := range []int{1001999, 123456789, 820981233, 999999998, 500000000} {
		s := MakeSNILS(n)
		if v, err := ValidateSNILS(s); err != nil || v != s {
			t.Errorf("MakeSNILS(%d) = %q does not validate: %v", n, s, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("MakeSNILS(1001998) did not panic")
		}
	}()
	MakeSNILS(1001998)
}

func TestValidateINN(t *testing.T) {
	t.Parallel()
	runVectors(t, "inn", ValidateINN, []vector{
		{in: "7707083893", want: "7707083893"}, // Sberbank
		{in: " 7707 083 893 ", want: "7707083893"},
		{in: "500100732259", want: "500100732259"},
		{in: "5001-0073-2259", want: "500100732259"},
		{in: "7707083894", problem: ProblemCheck},
		{in: "7707038893", problem: ProblemCheck}, // transposition
		{in: "500100732269", problem: ProblemCheck},
		{in: "500100732249", problem: ProblemCheck},
		{in: "0000000000", problem: ProblemSame},
		{in: "000000000000", problem: ProblemSame},
		{in: "77070838931", problem: ProblemLength},
		{in: "770708389", problem: ProblemLength},
		{in: "", problem: ProblemEmpty},
		{in: "77070838g3", problem: ProblemChars},
	})
	if got := MakeINN12("5001007322"); got != "500100732259" {
		t.Errorf("MakeINN12 = %q, want 500100732259", got)
	}
	if _, err := ValidateINN(MakeINN12("7712345678")); err != nil {
		t.Errorf("MakeINN12 made an invalid INN: %v", err)
	}
}

func TestValidatePassportRU(t *testing.T) {
	t.Parallel()
	runVectors(t, "doc_number", ValidatePassportRU, []vector{
		{in: "25 04 123456", want: "2504 123456"},
		{in: "2504 123456", want: "2504 123456"},
		{in: "2504123456", want: "2504 123456"},
		{in: "25 04 № 123456", want: "2504 123456"},
		{in: "0000 123456", problem: ProblemSame},
		{in: "2504 000000", problem: ProblemSame},
		{in: "2504 12345", problem: ProblemLength},
		{in: "25O4 123456", problem: ProblemChars},
		{in: "", problem: ProblemEmpty},
	})
}

func TestValidateRNOKPP(t *testing.T) {
	t.Parallel()
	runVectors(t, "rnokpp", ValidateRNOKPP, []vector{
		{in: "3064700004", want: "3064700004"},
		{in: "1234567899", want: "1234567899"},
		{in: "9000000002", want: "9000000002"}, // negative sum: -9 mod 11 is 2
		{in: " 30647 0000 4 ", want: "3064700004"},
		{in: "3064700005", problem: ProblemCheck},
		{in: "3604700004", problem: ProblemCheck},
		{in: "0000000000", problem: ProblemSame},
		{in: "1111111111", problem: ProblemSame},
		{in: "306470000", problem: ProblemLength},
		{in: "", problem: ProblemEmpty},
		{in: "30647000o4", problem: ProblemChars},
	})
}

func TestRNOKPPMakeAndRead(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		birth  time.Time
		serial int
		male   bool
	}{
		{time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), 123, true},
		{time.Date(1990, 5, 17, 23, 30, 0, 0, time.FixedZone("EEST", 3*3600)), 0, false},
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), 999, true},
		{time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC), 500, false},
	} {
		s := MakeRNOKPP(c.birth, c.serial, c.male)
		if _, err := ValidateRNOKPP(s); err != nil {
			t.Errorf("MakeRNOKPP(%v) = %q: %v", c.birth, s, err)
		}
		b, ok := RNOKPPBirthDate(s)
		y, m, d := c.birth.Date()
		if !ok || b != time.Date(y, m, d, 0, 0, 0, 0, time.UTC) {
			t.Errorf("RNOKPPBirthDate(%q) = %v, %v; want %v", s, b, ok, c.birth)
		}
		if RNOKPPMale(s) != c.male {
			t.Errorf("RNOKPPMale(%q) = %v", s, !c.male)
		}
	}
	if d, ok := RNOKPPBirthDate("3300900000"); !ok || d.Format(time.DateOnly) != "1990-05-17" {
		t.Errorf("RNOKPPBirthDate(33009…) = %v, %v", d, ok)
	}
	if _, ok := RNOKPPBirthDate("0000012345"); ok {
		t.Error("day 0 read as a birth date")
	}
	if _, ok := RNOKPPBirthDate("12345"); ok {
		t.Error("5 digits read as a birth date")
	}
	if RNOKPPMale("123") {
		t.Error("RNOKPPMale of garbage is true")
	}
}

func TestValidateUADocuments(t *testing.T) {
	t.Parallel()
	runVectors(t, "doc_number", ValidateIDCardUA, []vector{
		{in: "001234567", want: "001234567"},
		{in: "001 234 567", want: "001234567"},
		{in: "000000000", problem: ProblemSame},
		{in: "00123456", problem: ProblemLength},
		{in: "", problem: ProblemEmpty},
	})
	runVectors(t, "doc_number", ValidatePassportUA, []vector{
		{in: "КВ123456", want: "КВ123456"},
		{in: "кв 123456", want: "КВ123456"},
		{in: " Кв-123456 ", want: "КВ123456"},
		{in: "ІЄ123456", want: "ІЄ123456"},
		{in: "KB123456", problem: ProblemChars}, // Latin
		{in: "КB123456", problem: ProblemChars}, // one Latin letter
		{in: "К123456", problem: ProblemFormat},
		{in: "КВ12345", problem: ProblemFormat},
		{in: "123456КВ", problem: ProblemFormat},
		{in: "КВ000000", problem: ProblemSame},
		{in: "КВ#123456", problem: ProblemChars},
		{in: "", problem: ProblemEmpty},
	})
}

func TestValidateDocument(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		typ  DocType
		in   string
		want string
	}{
		{DocPassportRU, "25 04 123456", "2504 123456"},
		{DocIDCardUA, "001234567", "001234567"},
		{DocPassportUA, "кв123456", "КВ123456"},
		{DocOther, "  75  1234567 ", "75 1234567"},
	} {
		if got, err := ValidateDocument(c.typ, c.in); err != nil || got != c.want {
			t.Errorf("ValidateDocument(%s, %q) = %q, %v; want %q", c.typ, c.in, got, err, c.want)
		}
	}
	other := func(s string) (string, error) { return ValidateDocument(DocOther, s) }
	runVectors(t, "doc_number", other, []vector{
		{in: "AB\u00a01234567", want: "AB 1234567"},
		{in: " ", problem: ProblemEmpty},
		{in: strings.Repeat("1", 41), problem: ProblemLength},
		{in: "AB\u200b1234", problem: ProblemChars},
	})
	for typ, problem := range map[DocType]string{"": ProblemEmpty, "driving_licence": ProblemUnknown} {
		var ie *InvalidError
		if _, err := ValidateDocument(typ, "1"); !errors.As(err, &ie) || ie.Field != "doc_type" || ie.Problem != problem {
			t.Errorf("ValidateDocument(%q) = %v, want doc_type/%s", typ, err, problem)
		}
	}
}

func TestValidateName(t *testing.T) {
	t.Parallel()
	runVectors(t, "full_name", ValidateName, []vector{
		{in: "Иванов Иван Иванович", want: "Иванов Иван Иванович"},
		{in: "  Иванов \u00a0 Иван\tИванович ", want: "Иванов Иван Иванович"},
		{in: "Мар'яна", want: "Мар'яна"},
		{in: "Мар’яна Ґудзь", want: "Мар'яна Ґудзь"},
		{in: "Марʼяна Їжакевич", want: "Мар'яна Їжакевич"},
		{in: "Мар`яна", want: "Мар'яна"},
		{in: "О'Коннор", want: "О'Коннор"},
		{in: "O'Connor", want: "O'Connor"},
		{in: "Д'Артаньян", want: "Д'Артаньян"},
		{in: "Анна-Мария", want: "Анна-Мария"},
		{in: "Анна - Мария", want: "Анна-Мария"},
		{in: "Семён Єрмоленко", want: "Семён Єрмоленко"},
		{in: "Андріївна", want: "Андріївна"},
		{in: "Андрии\u0306", want: "Андрий"},       // й as и + breve
		{in: "Мари\u0301я", want: "Мария"},         // pasted stress mark
		{in: "Mu\u0308ller", want: "Mu\u0308ller"}, // Latin with a combining mark stays
		{in: "Jean-Luc Müller", want: "Jean-Luc Müller"},
		{in: "Ли", want: "Ли"},
		{in: "", problem: ProblemEmpty},
		{in: "   ", problem: ProblemEmpty},
		{in: "Я", problem: ProblemLength},
		{in: strings.Repeat("а", 201), problem: ProblemLength},
		{in: "Иванов 2", problem: ProblemChars},
		{in: "Иванов И.И.", problem: ProblemChars},
		{in: "Иванов_Иван", problem: ProblemChars},
		{in: "Ивaнов", problem: ProblemChars}, // Latin a
		{in: "Ivanov Иван", problem: ProblemChars},
		{in: "Иванов Ivan Иванович", problem: ProblemChars},
		{in: "-Анна", problem: ProblemFormat},
		{in: "Анна-", problem: ProblemFormat},
		{in: "Анна--Мария", problem: ProblemFormat},
		{in: "Анна-'Мария", problem: ProblemFormat},
		{in: "''", problem: ProblemFormat},
		{in: "\u0301Анна", problem: ProblemChars},
		{in: "李小龍", problem: ProblemChars},
	})
}

func TestValidatePhone(t *testing.T) {
	t.Parallel()
	runVectors(t, "phone", ValidatePhone, []vector{
		{in: "+7 (912) 345-67-89", want: "+79123456789"},
		{in: "8 912 345 67 89", want: "+79123456789"},
		{in: "7 912 345 67 89", want: "+79123456789"},
		{in: "9123456789", want: "+79123456789"},
		{in: "8 (3952) 12-34-56", want: "+73952123456"},
		{in: "+380 67 123 4567", want: "+380671234567"},
		{in: "067 123 45 67", want: "+380671234567"},
		{in: "380671234567", want: "+380671234567"},
		{in: "00 49 30 1234567", want: "+49301234567"},
		{in: "+49.30.1234567", want: "+49301234567"},
		{in: "", problem: ProblemEmpty},
		{in: "+", problem: ProblemEmpty},
		{in: "+7 912 345 67", problem: ProblemLength},
		{in: "+380 67 123 456", problem: ProblemLength},
		{in: "+1234", problem: ProblemLength},
		{in: "+1234567890123456", problem: ProblemLength},
		{in: "+0123456789", problem: ProblemFormat},
		{in: "12345", problem: ProblemFormat},
		{in: "+7 912 345 67 89 доб. 1", problem: ProblemChars},
		{in: "7+9123456789", problem: ProblemChars},
	})
}

func TestValidateEmail(t *testing.T) {
	t.Parallel()
	runVectors(t, "email", ValidateEmail, []vector{
		{in: "Ivan.Petrov@Mail.RU", want: "Ivan.Petrov@mail.ru"},
		{in: "  a+b@example.com ", want: "a+b@example.com"},
		{in: "user@пример.рф", want: "user@пример.рф"},
		{in: "", problem: ProblemEmpty},
		{in: "ivan.mail.ru", problem: ProblemFormat},
		{in: "a@b@c.ru", problem: ProblemFormat},
		{in: "ivan@localhost", problem: ProblemFormat},
		{in: "ivan@mail..ru", problem: ProblemFormat},
		{in: "ivan@-mail.ru", problem: ProblemFormat},
		{in: ".ivan@mail.ru", problem: ProblemFormat},
		{in: "@mail.ru", problem: ProblemFormat},
		{in: "iv an@mail.ru", problem: ProblemChars},
		{in: "ivan@ma il.ru", problem: ProblemChars},
		{in: "ivan@10.0.0.1", problem: ProblemFormat},
	})
}

func TestValidateBirthDate(t *testing.T) {
	t.Parallel()
	runVectors(t, "birth_date", ValidateBirthDate, []vector{
		{in: "1990-05-17", want: "1990-05-17"},
		{in: "17.05.1990", want: "1990-05-17"},
		{in: " 7.5.1990 ", want: "1990-05-07"},
		{in: "29.02.2000", want: "2000-02-29"},
		{in: "1900-01-01", want: "1900-01-01"},
		{in: "29.02.1900", problem: ProblemRange},
		{in: "31.04.1990", problem: ProblemRange},
		{in: "1990-13-01", problem: ProblemRange},
		{in: "1990-00-10", problem: ProblemRange},
		{in: "00.05.1990", problem: ProblemRange},
		{in: "1899-12-31", problem: ProblemRange},
		{in: "17/05/1990", problem: ProblemFormat},
		{in: "1990-5-17", problem: ProblemFormat},
		{in: "17.05.90", problem: ProblemFormat},
		{in: "1990-0a-17", problem: ProblemFormat},
		{in: "", problem: ProblemEmpty},
	})
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	d, err := ParseDate("2026-11-22")
	if err != nil || !d.Equal(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)) || d.Location() != time.UTC {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
	for _, s := range []string{"", "22.11.2026", "2026-02-30", "2026-1-2", "2026-01-02T00:00:00Z"} {
		if _, err := ParseDate(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseDate(%q) = %v, want an invalid error", s, err)
		}
	}
}

func TestTitleName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"иванов иван иванович": "Иванов Иван Иванович",
		"мар'яна ґудзь":        "Мар'яна Ґудзь",
		"о'коннор":             "О'коннор",
		"анна-мария":           "Анна-Мария",
		"jean-luc müller":      "Jean-Luc Müller",
		"ёлкин":                "Ёлкин",
		"ван дер Берг":         "ван дер Берг", // a capital: the case is the document's
		"ИВАНОВ":               "ИВАНОВ",
		"":                     "",
	} {
		if got := TitleName(in); got != want {
			t.Errorf("TitleName(%q) = %q, want %q", in, got, want)
		}
	}
}
