package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Identifier checks. Each Validate… accepts the spellings people type
// (spaces, dashes, non-breaking spaces, surrounding blanks), returns the
// canonical form, and refuses with an *InvalidError naming the field. Error
// messages never repeat the whole identifier: it is personal data.

// isSep reports whether r may separate groups of digits in a typed number.
func isSep(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '−', '№':
		return true
	}
	return unicode.IsSpace(r)
}

// digitsOf strips separators from s and returns its ASCII digits, refusing
// an empty value and any other character.
func digitsOf(field, what, s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case isSep(r):
		default:
			return "", invalidf(field, ProblemChars, "%s holds %q: only digits, spaces and dashes may stand there", what, r)
		}
	}
	if b.Len() == 0 {
		return "", invalidf(field, ProblemEmpty, "%s is missing", what)
	}
	return b.String(), nil
}

func allSame(d string) bool { return strings.Count(d, d[:1]) == len(d) }

func digit(d string, i int) int { return int(d[i] - '0') }

func weighted(d string, w []int) int {
	sum := 0
	for i, k := range w {
		sum += k * digit(d, i)
	}
	return sum
}

// snilsCheck returns the check number of the 9 number digits of a SNILS.
func snilsCheck(d string) int {
	sum := 0
	for i := range 9 {
		sum += (9 - i) * digit(d, i)
	}
	switch {
	case sum < 100:
		return sum
	case sum == 100 || sum == 101:
		return 0
	}
	return sum % 101 % 100
}

// snilsChecked is the largest SNILS number without a check: 001-001-998.
const snilsChecked = 1001998

// ValidateSNILS checks a SNILS (Russian individual insurance account number)
// and returns its printed form "112-233-445 95". The check number is checked
// for numbers above 001-001-998, as the Pension Fund does. A number part of
// nine equal digits (000-000-000, 111-111-111 …) is refused with ProblemSame
// whatever the check says: it is what a clerk types as a placeholder, the
// Fund never issues a digit three times in a row, and 111-111-111 45 would
// pass the check.
func ValidateSNILS(s string) (string, error) {
	d, err := digitsOf("snils", "SNILS", s)
	if err != nil {
		return "", err
	}
	if len(d) != 11 {
		return "", invalidf("snils", ProblemLength, "SNILS has 11 digits (e.g. 112-233-445 95), this has %d", len(d))
	}
	if allSame(d[:9]) {
		return "", invalidf("snils", ProblemSame, "SNILS number of nine equal digits is a placeholder, not a real number")
	}
	if n, _ := strconv.Atoi(d[:9]); n > snilsChecked {
		got, _ := strconv.Atoi(d[9:])
		if want := snilsCheck(d); got != want {
			return "", invalidf("snils", ProblemCheck, "SNILS check number is %02d but the digits give %02d: a typo?", got, want)
		}
	}
	return d[0:3] + "-" + d[3:6] + "-" + d[6:9] + " " + d[9:], nil
}

// MakeSNILS returns the printed SNILS of number n (1001999…999999999) with
// its check number, for synthetic data. It panics outside that range.
func MakeSNILS(n int) string {
	if n <= snilsChecked || n > 999999999 {
		panic(fmt.Sprintf("domain.MakeSNILS: %d outside 1001999..999999999", n))
	}
	d := fmt.Sprintf("%09d", n)
	return fmt.Sprintf("%s-%s-%s %02d", d[0:3], d[3:6], d[6:9], snilsCheck(d))
}

var (
	inn10w = []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn11w = []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12w = []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

func innCheck(d string, w []int) int { return weighted(d, w) % 11 % 10 }

// ValidateINN checks a Russian taxpayer number: 10 digits for an
// organisation, 12 for a person, with their check digits. It returns the
// digits only.
func ValidateINN(s string) (string, error) {
	d, err := digitsOf("inn", "INN", s)
	if err != nil {
		return "", err
	}
	if len(d) != 10 && len(d) != 12 {
		return "", invalidf("inn", ProblemLength, "INN has 10 digits (organisation) or 12 digits (person), this has %d", len(d))
	}
	if strings.Trim(d, "0") == "" {
		return "", invalidf("inn", ProblemSame, "INN of zeros is a placeholder, not a real number")
	}
	if len(d) == 10 {
		if got, want := digit(d, 9), innCheck(d, inn10w); got != want {
			return "", invalidf("inn", ProblemCheck, "INN check digit is %d but the digits give %d: a typo?", got, want)
		}
		return d, nil
	}
	if got, want := digit(d, 10), innCheck(d, inn11w); got != want {
		return "", invalidf("inn", ProblemCheck, "INN 11th digit (first check digit) is %d but the digits give %d: a typo?", got, want)
	}
	if got, want := digit(d, 11), innCheck(d, inn12w); got != want {
		return "", invalidf("inn", ProblemCheck, "INN 12th digit (second check digit) is %d but the digits give %d: a typo?", got, want)
	}
	return d, nil
}

// MakeINN12 appends both check digits to the first 10 digits of a person's
// INN, for synthetic data. It panics unless first10 is 10 ASCII digits.
func MakeINN12(first10 string) string {
	if len(first10) != 10 || strings.Trim(first10, "0123456789") != "" {
		panic(fmt.Sprintf("domain.MakeINN12: %q is not 10 digits", first10))
	}
	d := first10 + strconv.Itoa(innCheck(first10, inn11w))
	return d + strconv.Itoa(innCheck(d, inn12w))
}

// ValidatePassportRU checks a Russian internal passport: a series of 4
// digits and a number of 6 ("25 04 123456", "2504 № 123456"). It returns
// "2504 123456".
func ValidatePassportRU(s string) (string, error) {
	d, err := digitsOf("doc_number", "passport", s)
	if err != nil {
		return "", err
	}
	if len(d) != 10 {
		return "", invalidf("doc_number", ProblemLength, "a Russian passport has a 4-digit series and a 6-digit number (e.g. 25 04 123456), this has %d digits", len(d))
	}
	if d[:4] == "0000" {
		return "", invalidf("doc_number", ProblemSame, "passport series 0000 is never issued")
	}
	if d[4:] == "000000" {
		return "", invalidf("doc_number", ProblemSame, "passport number 000000 is never issued")
	}
	return d[:4] + " " + d[4:], nil
}

var rnokppW = []int{-1, 5, 7, 9, 4, 6, 10, 5, 7}

func rnokppCheck(d string) int { return (weighted(d, rnokppW)%11 + 11) % 11 % 10 }

// ValidateRNOKPP checks a Ukrainian taxpayer number (РНОКПП, 10 digits)
// and returns its digits.
func ValidateRNOKPP(s string) (string, error) {
	d, err := digitsOf("rnokpp", "RNOKPP", s)
	if err != nil {
		return "", err
	}
	if len(d) != 10 {
		return "", invalidf("rnokpp", ProblemLength, "RNOKPP has 10 digits, this has %d", len(d))
	}
	if allSame(d) {
		return "", invalidf("rnokpp", ProblemSame, "RNOKPP of ten equal digits is not a real number")
	}
	if got, want := digit(d, 9), rnokppCheck(d); got != want {
		return "", invalidf("rnokpp", ProblemCheck, "RNOKPP check digit is %d but the digits give %d: a typo?", got, want)
	}
	return d, nil
}

// rnokppEpoch is day 0 of the birth date held in an RNOKPP.
var rnokppEpoch = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)

func rnokppDigits(s string) (string, bool) {
	d, err := digitsOf("rnokpp", "RNOKPP", s)
	return d, err == nil && len(d) == 10
}

// RNOKPPBirthDate returns the birth date an RNOKPP encodes (its first 5
// digits count days since 1899-12-31), as a UTC date. ok is false when s is
// not 10 digits or encodes day 0. The check digit is not checked.
func RNOKPPBirthDate(s string) (time.Time, bool) {
	d, ok := rnokppDigits(s)
	if !ok {
		return time.Time{}, false
	}
	days, _ := strconv.Atoi(d[:5])
	if days == 0 {
		return time.Time{}, false
	}
	return rnokppEpoch.AddDate(0, 0, days), true
}

// RNOKPPMale reports whether an RNOKPP belongs to a man (its 9th digit is
// odd). It is false for anything that is not 10 digits.
func RNOKPPMale(s string) bool {
	d, ok := rnokppDigits(s)
	return ok && digit(d, 8)%2 == 1
}

// MakeRNOKPP builds a valid RNOKPP for synthetic data: the birth date (its
// calendar date, read in its own location), a serial 0…999 for digits 6–8,
// a 9th digit odd for men and even for women, and the check digit. It panics
// when birth is outside 1900-01-01…2173-10-13 or serial outside 0…999.
func MakeRNOKPP(birth time.Time, serial int, male bool) string {
	y, m, dd := birth.Date()
	days := int(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Sub(rnokppEpoch).Hours() / 24)
	if days < 1 || days > 99999 || serial < 0 || serial > 999 {
		panic(fmt.Sprintf("domain.MakeRNOKPP: birth %s or serial %d out of range", birth.Format(time.DateOnly), serial))
	}
	ninth := serial % 5 * 2
	if male {
		ninth++
	}
	for {
		d := fmt.Sprintf("%05d%03d%d", days, serial, ninth)
		d += strconv.Itoa(rnokppCheck(d))
		if !allSame(d) {
			return d
		}
		ninth = (ninth + 2) % 10
	}
}

// ValidateIDCardUA checks the number of a Ukrainian ID card (9 digits).
func ValidateIDCardUA(s string) (string, error) {
	d, err := digitsOf("doc_number", "ID card number", s)
	if err != nil {
		return "", err
	}
	if len(d) != 9 {
		return "", invalidf("doc_number", ProblemLength, "a Ukrainian ID card number has 9 digits, this has %d", len(d))
	}
	if d == "000000000" {
		return "", invalidf("doc_number", ProblemSame, "ID card number 000000000 is never issued")
	}
	return d, nil
}

// ValidatePassportUA checks a Ukrainian booklet passport: 2 Cyrillic
// letters and 6 digits ("кв 123456" → "КВ123456"). Latin letters are refused,
// not folded: they mean the keyboard was in the wrong layout, and the clerk
// should look again.
func ValidatePassportUA(s string) (string, error) {
	const shape = "a Ukrainian passport number is 2 Cyrillic letters and 6 digits (e.g. КВ123456)"
	var letters, digits []rune
	for _, r := range s {
		switch {
		case isSep(r):
		case r >= '0' && r <= '9':
			digits = append(digits, r)
		case unicode.Is(unicode.Latin, r):
			return "", invalidf("doc_number", ProblemChars, "the series holds the Latin letter %q: %s; switch the keyboard to Cyrillic", r, shape)
		case unicode.Is(unicode.Cyrillic, r) && unicode.IsLetter(r):
			if len(digits) > 0 {
				return "", invalidf("doc_number", ProblemFormat, "%s: the letters come first", shape)
			}
			letters = append(letters, unicode.ToUpper(r))
		default:
			return "", invalidf("doc_number", ProblemChars, "%q may not stand there: %s", r, shape)
		}
	}
	if len(letters) == 0 && len(digits) == 0 {
		return "", invalidf("doc_number", ProblemEmpty, "passport number is missing")
	}
	if len(letters) != 2 || len(digits) != 6 {
		return "", invalidf("doc_number", ProblemFormat, "%s, this has %d letters and %d digits", shape, len(letters), len(digits))
	}
	if string(digits) == "000000" {
		return "", invalidf("doc_number", ProblemSame, "passport number 000000 is never issued")
	}
	return string(letters) + string(digits), nil
}

// ValidateDocument checks a document number by its type and returns its
// canonical form. DocOther takes free text: blanks collapsed, 1…40
// printable characters.
func ValidateDocument(t DocType, s string) (string, error) {
	switch t {
	case DocPassportRU:
		return ValidatePassportRU(s)
	case DocIDCardUA:
		return ValidateIDCardUA(s)
	case DocPassportUA:
		return ValidatePassportUA(s)
	case DocOther:
		v := strings.Join(strings.Fields(s), " ")
		if v == "" {
			return "", invalidf("doc_number", ProblemEmpty, "document number is missing")
		}
		if n := len([]rune(v)); n > 40 {
			return "", invalidf("doc_number", ProblemLength, "document number is at most 40 characters, this has %d", n)
		}
		for _, r := range v {
			if !unicode.IsPrint(r) {
				return "", invalidf("doc_number", ProblemChars, "document number holds the invisible character %U", r)
			}
		}
		return v, nil
	case "":
		return "", invalidf("doc_type", ProblemEmpty, "document type is missing: choose one of %v", DocTypes)
	}
	return "", invalidf("doc_type", ProblemUnknown, "document type %q is unknown: expected one of %v", string(t), DocTypes)
}

// cyrillicCompose joins a Cyrillic letter and a combining mark typed (or
// pasted) as two characters into the one letter: и + ◌̆ → й, е + ◌̈ → ё,
// і + ◌̈ → ї.
var cyrillicCompose = map[[2]rune]rune{
	{'и', '\u0306'}: 'й', {'И', '\u0306'}: 'Й',
	{'е', '\u0308'}: 'ё', {'Е', '\u0308'}: 'Ё',
	{'і', '\u0308'}: 'ї', {'І', '\u0308'}: 'Ї',
	{'у', '\u0306'}: 'ў', {'У', '\u0306'}: 'Ў',
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', '`', '‘', 'ʻ', '′':
		return true
	}
	return false
}

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

func isNameLetter(r rune) bool {
	return unicode.IsLetter(r) && (unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Latin, r))
}

// ValidateName checks a person's full name: Cyrillic (with Ukrainian і ї є ґ
// and ё) or Latin letters, spaces, hyphens and an apostrophe. It collapses
// blanks, drops blanks around hyphens and apostrophes, spells every
// apostrophe as ', joins a letter typed with a separate combining mark
// (й, ё, ї) and drops stress marks pasted with a Cyrillic name. A word that
// mixes Latin and Cyrillic letters is refused: it is a letter typed in the
// wrong keyboard layout, and it would never be found by search; so is a
// name whose words are in different scripts (Ivanov Иван), which no
// document spells so. The case of the letters is kept as typed (see
// TitleName).
func ValidateName(s string) (string, error) {
	const field = "full_name"
	var out []rune
	space := false
	for _, r := range s {
		n := len(out)
		switch {
		case unicode.IsSpace(r):
			space = n > 0
			continue
		case isApostrophe(r):
			r = '\''
		case isHyphen(r):
			r = '-'
		case unicode.Is(unicode.Mn, r):
			if n > 0 {
				if c, ok := cyrillicCompose[[2]rune{out[n-1], r}]; ok {
					out[n-1] = c
					continue
				}
				if (r == '\u0301' || r == '\u0300') && unicode.Is(unicode.Cyrillic, out[n-1]) {
					continue // stress mark
				}
				if isNameLetter(out[n-1]) || unicode.Is(unicode.Mn, out[n-1]) {
					out = append(out, r)
					space = false
					continue
				}
			}
			return "", invalidf(field, ProblemChars, "a name holds the combining mark %U with no letter before it", r)
		case r >= '0' && r <= '9' || unicode.IsDigit(r):
			return "", invalidf(field, ProblemChars, "a name holds no digits")
		case !isNameLetter(r):
			return "", invalidf(field, ProblemChars, "a name holds %q: only Cyrillic or Latin letters, spaces, hyphens and apostrophes may stand there", r)
		}
		mark := r == '\'' || r == '-'
		if space && !mark && (n == 0 || (out[n-1] != '\'' && out[n-1] != '-')) {
			out = append(out, ' ')
		}
		if mark && n > 0 && out[n-1] == ' ' {
			out = out[:n-1]
		}
		space = false
		out = append(out, r)
	}
	if len(out) == 0 {
		return "", invalidf(field, ProblemEmpty, "name is missing")
	}
	if n := len(out); n < 2 || n > 200 {
		return "", invalidf(field, ProblemLength, "a full name is 2 to 200 characters long, this has %d", n)
	}
	var cyr, lat, letters, anyCyr, anyLat bool
	for i, r := range append(out, ' ') {
		switch {
		case r == ' ' || r == '-' || r == '\'':
			if r != ' ' && (i == 0 || i >= len(out)-1 || !isNameLetter(out[i-1]) && !unicode.Is(unicode.Mn, out[i-1]) || !isNameLetter(out[i+1])) {
				return "", invalidf(field, ProblemFormat, "a hyphen or an apostrophe stands between two letters (Анна-Мария, Мар'яна)")
			}
			if cyr && lat {
				return "", invalidf(field, ProblemChars, "a word mixes Latin and Cyrillic letters: a letter typed in the wrong keyboard layout?")
			}
			cyr, lat = false, false
		case unicode.Is(unicode.Cyrillic, r):
			cyr, letters, anyCyr = true, true, true
		case unicode.Is(unicode.Latin, r):
			lat, letters, anyLat = true, true, true
		}
	}
	if anyCyr && anyLat {
		return "", invalidf(field, ProblemChars, "a name mixes Latin and Cyrillic words: type the whole name in the script of the document")
	}
	if !letters {
		return "", invalidf(field, ProblemFormat, "a name has at least one letter")
	}
	return string(out), nil
}

// ValidatePhone checks a phone number and returns it as "+" and digits.
// Russian spellings 8 912 …, 7 912 … and a bare 10-digit 912 … become
// +7 912 …; Ukrainian 067 … and 380 67 … become +380 67 …; 00 before a
// country code is read as +. Spaces, dashes, dots and parentheses are
// dropped. A number needs 10 to 15 digits with its country code; +7 numbers
// have exactly 11 and +380 numbers exactly 12.
func ValidatePhone(s string) (string, error) {
	const field = "phone"
	s = strings.TrimSpace(s)
	plus := strings.HasPrefix(s, "+")
	if plus {
		s = s[1:]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case isSep(r) && r != '№', r == '(', r == ')', r == '.':
		default:
			return "", invalidf(field, ProblemChars, "a phone number holds %q: only digits, a leading +, spaces, dashes and parentheses may stand there", r)
		}
	}
	d := b.String()
	if d == "" {
		return "", invalidf(field, ProblemEmpty, "phone number is missing")
	}
	if !plus {
		switch {
		case strings.HasPrefix(d, "00"):
			d = d[2:]
		case len(d) == 11 && (d[0] == '8' || d[0] == '7'):
			d = "7" + d[1:]
		case len(d) == 10 && strings.ContainsRune("3489", rune(d[0])):
			d = "7" + d
		case len(d) == 10 && d[0] == '0':
			d = "38" + d
		case len(d) == 12 && strings.HasPrefix(d, "380"):
		default:
			return "", invalidf(field, ProblemFormat, "write the number with its country code, e.g. +7 912 345-67-89 or +380 67 123 4567")
		}
	}
	switch {
	case len(d) < 10 || len(d) > 15:
		return "", invalidf(field, ProblemLength, "a phone number has 10 to 15 digits with its country code, this has %d", len(d))
	case d[0] == '0':
		return "", invalidf(field, ProblemFormat, "a country code does not start with 0")
	case d[0] == '7' && len(d) != 11:
		return "", invalidf(field, ProblemLength, "a +7 number has 11 digits (+7 912 345-67-89), this has %d", len(d))
	case strings.HasPrefix(d, "380") && len(d) != 12:
		return "", invalidf(field, ProblemLength, "a +380 number has 12 digits (+380 67 123 4567), this has %d", len(d))
	}
	return "+" + d, nil
}

// ValidateEmail makes a simple, sane check of an e-mail address (one @,
// no blanks, a dotted domain of letters, digits and hyphens) and returns it
// with the domain in lower case.
func ValidateEmail(s string) (string, error) {
	const field = "email"
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalidf(field, ProblemEmpty, "e-mail address is missing")
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || strings.Contains(domain, "@") {
		return "", invalidf(field, ProblemFormat, "an e-mail address has exactly one @ (name@example.ru)")
	}
	if local == "" || len(local) > 64 {
		return "", invalidf(field, ProblemFormat, "the part before @ is 1 to 64 characters")
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return "", invalidf(field, ProblemFormat, "the part before @ may not start or end with a dot or hold two dots in a row")
	}
	for _, r := range local {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("!#$%&'*+/=?^_`{|}~.-", r) {
			return "", invalidf(field, ProblemChars, "an e-mail address holds %q, which may not stand there", r)
		}
	}
	domain = strings.ToLower(domain)
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "", invalidf(field, ProblemFormat, "the domain after @ has a dot (name@example.ru)")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", invalidf(field, ProblemFormat, "the domain after @ is words of letters, digits and hyphens joined by single dots")
		}
		for _, r := range l {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
				return "", invalidf(field, ProblemChars, "the domain holds %q, which may not stand there", r)
			}
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return "", invalidf(field, ProblemFormat, "the domain after @ ends in a name such as .ru, not a number")
	}
	if v := local + "@" + domain; len(v) <= 254 {
		return v, nil
	}
	return "", invalidf(field, ProblemLength, "an e-mail address is at most 254 characters")
}

// ValidateBirthDate reads a birth date written YYYY-MM-DD or DD.MM.YYYY (the
// day and month may have one digit) and returns YYYY-MM-DD. It refuses
// impossible dates and years before 1900; it does not look at today's date
// (a caller that knows the clock refuses dates in the future).
func ValidateBirthDate(s string) (string, error) {
	const field = "birth_date"
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalidf(field, ProblemEmpty, "birth date is missing")
	}
	var parts []string
	if p := strings.Split(s, "-"); len(p) == 3 && len(p[0]) == 4 && len(p[1]) == 2 && len(p[2]) == 2 {
		parts = []string{p[0], p[1], p[2]}
	} else if p := strings.Split(s, "."); len(p) == 3 && len(p[2]) == 4 && len(p[0]) >= 1 && len(p[0]) <= 2 && len(p[1]) >= 1 && len(p[1]) <= 2 {
		parts = []string{p[2], p[1], p[0]}
	} else {
		return "", invalidf(field, ProblemFormat, "write the birth date as DD.MM.YYYY or YYYY-MM-DD")
	}
	return checkDate(field, parts, 1900)
}

// checkDate turns year, month and day strings into YYYY-MM-DD.
func checkDate(field string, p []string, minYear int) (string, error) {
	var n [3]int
	for i, v := range p {
		if strings.Trim(v, "0123456789") != "" {
			return "", invalidf(field, ProblemFormat, "a date is written with digits: YYYY-MM-DD")
		}
		n[i], _ = strconv.Atoi(v)
	}
	y, m, d := n[0], n[1], n[2]
	if y < minYear {
		return "", invalidf(field, ProblemRange, "year %d is before %d", y, minYear)
	}
	if m < 1 || m > 12 {
		return "", invalidf(field, ProblemRange, "month %d does not exist: months are 1 to 12", m)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d {
		return "", invalidf(field, ProblemRange, "%s %d has no day %d", time.Month(m), y, d)
	}
	return t.Format(time.DateOnly), nil
}

// ParseDate reads a date written YYYY-MM-DD and returns its midnight UTC.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, invalidf("date", ProblemEmpty, "date is missing")
	}
	p := strings.Split(s, "-")
	if len(p) != 3 || len(p[0]) != 4 || len(p[1]) != 2 || len(p[2]) != 2 {
		return time.Time{}, invalidf("date", ProblemFormat, "write the date as YYYY-MM-DD (e.g. 2026-11-22)")
	}
	v, err := checkDate("date", p, 0)
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.DateOnly, v)
}

// TitleName is a name typed all in lower case with a capital at the start
// of each word and after each hyphen (иванов иван-петро → Иванов
// Иван-Петро); not after an apostrophe, where a Ukrainian name goes on in
// lower case (мар'яна → Мар'яна). A name with any capital letter is
// returned as typed: its case is the document's.
func TitleName(s string) string {
	for _, r := range s {
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			return s
		}
	}
	out := []rune(s)
	start := true
	for i, r := range out {
		switch {
		case r == ' ' || r == '-':
			start = true
		case unicode.IsLetter(r):
			if start {
				out[i] = unicode.ToTitle(r)
			}
			start = false
		}
	}
	return string(out)
}
