package public

import (
	"io/fs"
	"regexp"
	"slices"
	"testing"
)

func TestNumberInWords(t *testing.T) {
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{"ru", 101, "сто один"}, {"ru", 3, "три"}, {"ru", 0, "ноль"}, {"ru", 12, "двенадцать"}, {"ru", 240, "двести сорок"},
		{"ru", 999, "девятьсот девяносто девять"}, {"ru", 17, "семнадцать"}, {"ru", 70, "семьдесят"},
		{"uk", 101, "сто один"}, {"uk", 205, "двісті п'ять"}, {"uk", 0, "нуль"}, {"uk", 19, "дев'ятнадцять"},
		{"en", 101, "one hundred one"}, {"en", 42, "forty two"}, {"en", 13, "thirteen"},
		{"xx", 5, "five"}, {"ru", 1000000, "1000000"}, {"ru", -3, "-3"},
		// a window's thousand (domain.IssuerNumber)
		{"ru", 3017, "три тысячи семнадцать"}, {"ru", 1001, "одна тысяча один"}, {"ru", 12001, "двенадцать тысяч один"},
		{"ru", 21005, "двадцать одна тысяча пять"}, {"ru", 2000, "две тысячи"}, {"ru", 999999, "девятьсот девяносто девять тысяч девятьсот девяносто девять"},
		{"ru", 111001, "сто одиннадцать тысяч один"}, {"ru", 5001, "пять тысяч один"},
		{"uk", 2101, "дві тисячі сто один"}, {"uk", 4001, "чотири тисячі один"}, {"uk", 11001, "одинадцять тисяч один"},
		{"en", 3017, "three thousand seventeen"}, {"en", 12000, "twelve thousand"},
	}
	for _, c := range cases {
		if got := numberInWords(c.lang, c.n); got != c.want {
			t.Errorf("numberInWords(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

func TestSpokenCall(t *testing.T) {
	cases := []struct {
		lang, number string
		window       int
		want         string
	}{
		{"ru", "А-101", 3, "Талон А сто один, окно три"},
		{"ru", "A-101", 3, "Талон А сто один, окно три"}, // a Latin A reads the same
		{"ru", "G-007", 12, "Талон Гэ семь, окно двенадцать"},
		{"uk", "B-215", 4, "Талон Бе двісті п'ятнадцять, вікно чотири"},
		{"en", "A-017", 2, "Ticket A seventeen, window two"},
		{"ru", "А-3017", 3, "Талон А три тысячи семнадцать, окно три"},
	}
	for _, c := range cases {
		if got := spokenCall(c.lang, c.number, c.window); got != c.want {
			t.Errorf("spokenCall(%s, %s, %d) = %q, want %q", c.lang, c.number, c.window, got, c.want)
		}
	}
}

// TestTextsComplete: every key is in every language, and no text is empty.
func TestTextsComplete(t *testing.T) {
	langs := []string{"ru", "uk", "en"}
	var keys []string
	for _, l := range langs {
		for k := range texts[l] {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	if len(texts) != len(langs) {
		t.Errorf("texts has %d languages, want %v", len(texts), langs)
	}
	for _, l := range langs {
		for _, k := range keys {
			if texts[l][k] == "" {
				t.Errorf("text %q missing or empty in %s", k, l)
			}
		}
	}
}

// TestTemplateKeys: every {{.T "key"}} of the pages has a text.
func TestTemplateKeys(t *testing.T) {
	names, err := fs.Glob(pageFiles, "pages/*.html")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\.TF? "([a-z_.]+)"`)
	for _, n := range names {
		b, _ := pageFiles.ReadFile(n)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if _, ok := texts["en"][m[1]]; !ok {
				t.Errorf("%s: no text %q", n, m[1])
			}
		}
	}
}
