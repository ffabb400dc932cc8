package localdb

import (
	"testing"

	"github.com/okno-mfc/okno/domain"
)

func TestSkeleton(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ a, b string }{
		{"Ґудзь", "гудзь"},
		{"Ґудзь", "Hudz"},
		{"Іваненко", "иваненко"},
		{"Іваненко", "ivanenko"},
		{"Іваненко", "Ivaнeнко"}, // Latin I, v, a, e inside Cyrillic
		{"Романов", "romanov"},
		{"Романов", "Poмaнoв"}, // Latin P, o, a look alike
		{"Смирнова", "Cмиpнова"},
		{"Шевченко", "shevchenko"},
		{"Щербаков", "shcherbakov"},
		{"Харків", "kharkiv"},
		{"Юрий", "yuriy"},
		{"Фёдоров", "fyodorov"},
		{"Євген", "yevhen"},
		{"Максим", "maxim"},
		{"Марʼяна", "maryana"},
		{"Їжак", "yizhak"},
		{"Цой", "tsoi"},
	} {
		if sa, sb := skeleton(tc.a), skeleton(tc.b); sa != sb {
			t.Errorf("skeleton(%q) = %q, skeleton(%q) = %q", tc.a, sa, tc.b, sb)
		}
	}
	if got := looseTerms("О'Коннор Джон-Пол Д’Артаньян"); got != "okonor konor dzhon pol dartanian artanian" {
		t.Errorf("looseTerms = %q", got)
	}
	if got := looseQuery("иваненко 2504 мар'"); len(got) != 2 || got[0] != "ivanenko" || got[1] != "mar" {
		t.Errorf("looseQuery = %q", got)
	}
}

func TestComboTerms(t *testing.T) {
	t.Parallel()
	v := &domain.Visitor{FullName: "Кузнецова Пётр Олегович"}
	if got := comboOf(v); got != "0кузолепет 1kuzolepet" {
		t.Errorf("comboOf = %q", got)
	}
	v = &domain.Visitor{FullName: "Петровук Олег Петрович Петров"}
	if got := comboOf(v); got != "0олепетпет 0петпетпет 1olepetpet 1petpetpet" {
		t.Errorf("comboOf = %q", got)
	}
	for _, tc := range []struct {
		q    []string
		want string
	}{
		{[]string{"олегович", "кузнецова", "петр"}, "0кузолепет"},
		{[]string{"кузнецова", "петр"}, ""},        // two words: no combination
		{[]string{"кузнецова", "пе"}, ""},          // a short word has no combination
		{[]string{"иван", "иванович"}, ""},         // the same first letters: one word may match both
		{[]string{"иван", "иванович", "петр"}, ""}, // иван is implied by иванович: two words
		{[]string{"петровук", "олег", "петрович"}, "0олепетпет"},
		{[]string{"петров", "олег", "петрович"}, ""},                // петров may match Петрович
		{[]string{"петрович", "олег", "петрович"}, ""},              // the same word twice is one
		{[]string{"ким", "анна", "ивановна", "петр"}, "0анниваким"}, // the first three
	} {
		if got := queryCombo("0", tc.q); got != tc.want {
			t.Errorf("queryCombo(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}
