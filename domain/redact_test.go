package domain

import "testing"

func TestInitials(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Фёдорова Мар'яна Ивановна": "Ф. М. И.",
		"Анна-Мария Петрова":        "А.-М. П.",
		"  О'Коннор   Шон ":         "О. Ш.",
		"ґалина їжакова":            "Ґ. Ї.",
		"":                          "",
	} {
		if got := Initials(in); got != want {
			t.Errorf("Initials(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskDigits(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		keep int
		want string
	}{
		{"112-233-445 95", 2, "***-***-*** 95"},
		{"2512 345678", 4, "**** **5678"},
		{"КМ 123456", 4, "** **3456"},
		{"+7 914 123-45-67", 2, "+* *** ***-**-67"},
		{"500100732259", 4, "********2259"},
		{"", 4, ""},
		{"12", 4, "12"},
	} {
		if got := MaskDigits(c.in, c.keep); got != c.want {
			t.Errorf("MaskDigits(%q, %d) = %q, want %q", c.in, c.keep, got, c.want)
		}
	}
}

func TestVisitorRedact(t *testing.T) {
	t.Parallel()
	v := Visitor{ID: "v1", FullName: "Фёдорова Мар'яна Ивановна", BirthDate: "1985-04-12", Phone: "+7 914 123-45-67", Email: "maryana@example.ru",
		DocType: DocPassportRU, DocNumber: "2512 345678", SNILS: "112-233-445 95", INN: "500100732259",
		Representative: &Representative{FullName: "Петренко Ганна", DocType: DocPassportUA, DocNumber: "КМ 123456", Basis: "доверенность 77 АА 1234567"}}
	r := v.Redact()
	want := Visitor{ID: "v1", FullName: "Ф. М. И.", BirthDate: "1985", Phone: "+* *** ***-**-67", Email: "m***@example.ru",
		DocType: DocPassportRU, DocNumber: "**** **5678", SNILS: "***-***-*** 95", INN: "********2259",
		Representative: &Representative{FullName: "П. Г.", DocType: DocPassportUA, DocNumber: "** **3456", Basis: Redacted}}
	if r.Representative == nil || *r.Representative != *want.Representative {
		t.Fatalf("representative %+v, want %+v", r.Representative, want.Representative)
	}
	r.Representative, want.Representative = nil, nil
	if r != want {
		t.Fatalf("got %+v\nwant %+v", r, want)
	}
	if v.Representative.FullName != "Петренко Ганна" {
		t.Fatal("Redact changed the original")
	}
	if c := (CaseView{Note: "звонила Фёдорова"}).Redact(); c.Note != Redacted {
		t.Fatalf("note %q", c.Note)
	}
}
