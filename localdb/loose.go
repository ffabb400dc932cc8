package localdb

import (
	"strings"
	"unicode"
)

// The search's second tier forgives what the exact tier does not: a name
// typed on a Russian keyboard (и for і and ї, г for ґ, е for є: гудзь finds
// Ґудзь), Latin letters that look like Cyrillic ones inside a Cyrillic name,
// a name transliterated into Latin (romanov finds Романов, ivanenko
// Іваненко, hudz Ґудзь) and the part of a name after an apostrophe (коннор
// finds О'Коннор). Both the indexed names and the query are reduced to one
// Latin skeleton: Cyrillic letters are transliterated, the letters that the
// usual transliterations or a Russian keyboard confuse are merged (і ї и й ы
// y j → i; г ґ h → g; е є э ye yo → e; ц ts tz c → c; х kh → x), and a
// doubled letter counts once.

// looseTerms is the second tier's terms of a visitor's name (and its
// representative's): the skeleton of every word and of every part of a
// word after an apostrophe, space-separated, without repeats.
func looseTerms(name string) string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, w := range rawWords(name) {
		add(skeleton(w))
		parts := strings.FieldsFunc(w, isApostrophe)
		for i := 1; i < len(parts); i++ {
			add(skeleton(parts[i]))
		}
	}
	return strings.Join(out, " ")
}

// looseQuery is the skeleton of each name word of a query, in order.
func looseQuery(q string) []string {
	var out []string
	for _, w := range rawWords(q) {
		if strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			continue // numbers are keys, matched in the key column as in the exact tier
		}
		if s := skeleton(w); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' || r == '`' }

// rawWords splits text where words() splits it, keeping case and
// apostrophes, so that look-alike letters can be read by their case.
func rawWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || isApostrophe(r))
	})
}

// lookalike maps the Latin letters that look like Cyrillic ones to those.
var lookalike = map[rune]rune{
	'a': 'а', 'c': 'с', 'e': 'е', 'i': 'і', 'o': 'о', 'p': 'р', 'x': 'х', 'y': 'у',
	'A': 'А', 'B': 'В', 'C': 'С', 'E': 'Е', 'H': 'Н', 'I': 'І', 'K': 'К', 'M': 'М',
	'O': 'О', 'P': 'Р', 'T': 'Т', 'X': 'Х', 'Y': 'У',
}

// cyrLatin is the skeleton of each Cyrillic letter (lower case, ё already
// е): one transliteration, merged where transliterations differ.
var cyrLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'ґ': "g", 'д': "d", 'е': "e", 'є': "e", 'э': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'і': "i", 'ї': "i", 'й': "i", 'ы': "i", 'к': "k", 'л': "l",
	'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "x", 'ц': "c", 'ч': "ch", 'ш': "sh", 'щ': "sch", 'ъ': "", 'ь': "", 'ю': "iu", 'я': "ia",
}

// latinRules rewrite Latin spellings to the skeleton, longest first.
var latinRules = []struct{ from, to string }{
	{"shch", "sch"}, {"zh", "zh"}, {"kh", "x"}, {"ts", "c"}, {"tz", "c"}, {"ch", "ch"}, {"sh", "sh"},
	{"ya", "ia"}, {"yu", "iu"}, {"yo", "e"}, {"ye", "e"}, {"yi", "i"}, {"ck", "k"},
	{"x", "ks"}, {"w", "v"}, {"q", "k"}, {"j", "i"}, {"y", "i"}, {"h", "g"},
}

// skeleton reduces one word (as typed or stored, any case) to its Latin
// skeleton.
func skeleton(w string) string {
	hasCyr := strings.IndexFunc(w, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0
	var b strings.Builder
	rs := []rune(w)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if isApostrophe(r) {
			continue
		}
		if hasCyr {
			if c, ok := lookalike[r]; ok {
				r = c
			}
		}
		r = unicode.ToLower(r)
		if r == 'ё' {
			r = 'е'
		}
		if s, ok := cyrLatin[r]; ok {
			b.WriteString(s)
			continue
		}
		if r >= 'a' && r <= 'z' {
			rest := strings.ToLower(string(rs[i:]))
			matched := false
			for _, rule := range latinRules {
				if strings.HasPrefix(rest, rule.from) {
					b.WriteString(rule.to)
					i += len(rule.from) - 1
					matched = true
					break
				}
			}
			if !matched {
				b.WriteRune(r)
			}
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	// A doubled letter counts once (Коннор, Anna, Юрий → iuri).
	var out []rune
	for _, r := range b.String() {
		if len(out) == 0 || out[len(out)-1] != r {
			out = append(out, r)
		}
	}
	return string(out)
}
