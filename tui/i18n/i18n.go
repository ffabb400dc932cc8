// Package i18n is the clerk's message catalogue: every string a screen shows,
// in Russian, Ukrainian and English, looked up by a stable id; plus the
// formats a clerk reads (dates, money, plural forms) and the translation of
// the errors the store and the domain return.
package i18n

import (
	"fmt"
	"strings"
	"time"
)

// Lang is a language of the catalogue.
type Lang string

// The languages.
const (
	RU Lang = "ru"
	UK Lang = "uk"
	EN Lang = "en"
)

// Langs lists the languages in the order the catalogue holds them.
var Langs = []Lang{RU, UK, EN}

// Parse reads a language name ("ru", "uk", "ua", "en", or a locale such as
// "uk_UA.UTF-8"). ok is false for anything else.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "_.@-"); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "ru":
		return RU, true
	case "uk", "ua":
		return UK, true
	case "en":
		return EN, true
	}
	return "", false
}

// FromEnv picks the language from the locale variables (LC_ALL, LC_MESSAGES,
// LANG, in that order of precedence): Russian and Ukrainian locales give
// their language, anything else English.
func FromEnv(getenv func(string) string) Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		if l, ok := Parse(v); ok {
			return l
		}
		return EN
	}
	return EN
}

// T translates for one language.
type T struct {
	Lang Lang
}

// New returns the translator for lang (English for an unknown one).
func New(lang Lang) T {
	if _, ok := Parse(string(lang)); !ok {
		lang = EN
	}
	return T{Lang: lang}
}

func (t T) index() int {
	switch t.Lang {
	case RU:
		return 0
	case UK:
		return 1
	default:
		return 2
	}
}

// S returns the message id in the translator's language, formatted with
// args (fmt verbs) when there are any. An unknown id comes back as itself,
// so a missing message shows, and the catalogue test catches it.
func (t T) S(id string, args ...any) string {
	m, ok := messages[id]
	if !ok {
		return id
	}
	s := m[t.index()]
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether the catalogue holds id.
func (t T) Has(id string) bool { _, ok := messages[id]; return ok }

// N returns the plural form of message id for n: the message holds the
// forms separated by "|" (ru and uk: one|few|many; en: one|many), and the
// result is formatted with n and args.
func (t T) N(id string, n int, args ...any) string {
	forms := strings.Split(t.S(id), "|")
	var f string
	switch {
	case len(forms) == 3:
		f = forms[slavic(n)]
	case len(forms) == 2 && n == 1:
		f = forms[0]
	default:
		f = forms[len(forms)-1]
	}
	return fmt.Sprintf(f, append([]any{n}, args...)...)
}

// slavic is the plural form of n in Russian and Ukrainian: 0 one (1, 21 …),
// 1 few (2–4, 22–24 …), 2 many (0, 5–20, 25 …).
func slavic(n int) int {
	if n < 0 {
		n = -n
	}
	switch {
	case n%10 == 1 && n%100 != 11:
		return 0
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 10 || n%100 >= 20):
		return 1
	}
	return 2
}

// Date prints a calendar date the way the clerk's country writes it.
func (t T) Date(d time.Time) string {
	if t.Lang == EN {
		return d.Format("2006-01-02")
	}
	return d.Format("02.01.2006")
}

// DateTime prints a date and a time of day.
func (t T) DateTime(d time.Time) string { return t.Date(d) + " " + d.Format("15:04") }

// Money prints an amount in minor units (kopecks) with its currency: 500000
// RUB is "5 000,00 ₽" (ru, uk) or "5,000.00 RUB" (en). A currency of "" is
// roubles for ru and en, hryvnias for uk.
func (t T) Money(minor int64, currency string) string {
	if currency == "" {
		currency = "RUB"
		if t.Lang == UK {
			currency = "UAH"
		}
	}
	neg := minor < 0
	if neg {
		minor = -minor
	}
	whole, frac := minor/100, minor%100
	sep, dec := " ", ","
	if t.Lang == EN {
		sep, dec = ",", "."
	}
	digits := fmt.Sprint(whole)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	amount := fmt.Sprintf("%s%s%02d", b.String(), dec, frac)
	if t.Lang == EN {
		return amount + " " + currency
	}
	sym := map[string]string{"RUB": "₽", "UAH": "грн"}[currency]
	if sym == "" {
		sym = currency
	}
	return amount + " " + sym
}
