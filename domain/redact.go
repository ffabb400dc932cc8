package domain

import (
	"strings"
	"unicode"
)

// Redaction: what an export or a report shows of a person when the reader's
// role does not need the data itself (152-FZ: access only for those who
// need it). Names become initials; identifiers keep only their last digits,
// enough to tell two records apart and to match a paper in hand; free text
// is withheld, since a clerk may have typed anything into it.

// Redacted is the text that stands for withheld free text.
const Redacted = "[redacted]"

// Initials reduces a full name to its initials: "Фёдорова Мар'яна Ивановна"
// → "Ф. М. И."; a hyphenated part keeps both halves' ("Анна-Мария" → "А.-М.").
func Initials(name string) string {
	var parts []string
	for _, w := range strings.Fields(name) {
		var b strings.Builder
		for i, h := range strings.Split(w, "-") {
			if i > 0 {
				b.WriteString("-")
			}
			for _, r := range h {
				if unicode.IsLetter(r) {
					b.WriteRune(unicode.ToUpper(r))
					b.WriteString(".")
					break
				}
			}
		}
		if b.Len() > 0 {
			parts = append(parts, b.String())
		}
	}
	return strings.Join(parts, " ")
}

// MaskDigits hides every letter and digit of an identifier but its last
// keep digits, keeping the separators so the shape stays readable:
// MaskDigits("112-233-445 95", 2) = "***-***-*** 95",
// MaskDigits("КМ 123456", 4) = "** **3456".
func MaskDigits(s string, keep int) string {
	rs := []rune(s)
	kept := 0
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i]
		switch {
		case unicode.IsDigit(r) && kept < keep:
			kept++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			rs[i] = '*'
		}
	}
	return string(rs)
}

// maskEmail keeps an address's first letter and its domain.
func maskEmail(s string) string {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" {
		return MaskDigits(s, 0)
	}
	first := []rune(local)[0]
	return string(first) + "***@" + domain
}

// How many trailing digits each identifier keeps when redacted.
const (
	keepDocDigits   = 4
	keepPhoneDigits = 2
	keepSNILSDigits = 2
	keepTaxDigits   = 4
)

// Redact returns the visitor with personal data reduced: initials, masked
// document numbers, phone, SNILS, INN and RNOKPP, the e-mail's first letter
// and domain, the birth year only; the representative likewise, the basis
// withheld. The id stays, so redacted records still join.
func (v Visitor) Redact() Visitor {
	out := v
	out.FullName = Initials(v.FullName)
	out.DocNumber = MaskDigits(v.DocNumber, keepDocDigits)
	out.Phone = MaskDigits(v.Phone, keepPhoneDigits)
	out.SNILS = MaskDigits(v.SNILS, keepSNILSDigits)
	out.INN = MaskDigits(v.INN, keepTaxDigits)
	out.RNOKPP = MaskDigits(v.RNOKPP, keepTaxDigits)
	if v.Email != "" {
		out.Email = maskEmail(v.Email)
	}
	if len(v.BirthDate) >= 4 {
		out.BirthDate = v.BirthDate[:4]
	}
	if v.Representative != nil {
		r := *v.Representative
		r.FullName = Initials(r.FullName)
		r.DocNumber = MaskDigits(r.DocNumber, keepDocDigits)
		if r.Basis != "" {
			r.Basis = Redacted
		}
		out.Representative = &r
	}
	return out
}

// Redact returns the case with its free-text note withheld.
func (c CaseView) Redact() CaseView {
	if c.Note != "" {
		c.Note = Redacted
	}
	return c
}
