package domain

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Languages every name of the catalogue is given in.
var catalogLangs = []string{"ru", "uk", "en"}

// Default norms, used where a catalogue leaves them at 0.
const (
	DefaultWaitMinutes      = 15 // RF Government Decree No. 1376, p. 18(б)
	DefaultPrebookedMinutes = 5
	DefaultReceptionMinutes = 15
	DefaultStorageDays      = 30
)

var (
	catalogCodeRe   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	catalogPrefixRe = regexp.MustCompile(`^[A-Z]{1,2}$`)
	currencyRe      = regexp.MustCompile(`^[A-Z]{3}$`)
	langCodeRe      = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// Validate fills the defaults (deadline kind working, the norms) and checks
// the catalogue: the same checks as ParseCatalog, for a catalogue that came
// some other way, such as JSON over the wire. The *CatalogError it returns
// names fields but no lines.
func (c *Catalog) Validate() error {
	c.applyDefaults()
	if ps := c.problems(); len(ps) > 0 {
		return &CatalogError{Problems: ps}
	}
	return nil
}

// JSON is the catalogue's stable encoding: the same catalogue always gives
// the same bytes, whichever file format it came from (maps are written with
// sorted keys), so it can be hashed and compared.
func (c *Catalog) JSON() []byte {
	cp := *c
	if cp.Categories == nil {
		cp.Categories = []Category{}
	}
	if cp.Services == nil {
		cp.Services = []Service{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&cp); err != nil {
		panic("domain: encoding a catalogue: " + err.Error()) // strings, ints and bools only: cannot happen
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Hash is the hex SHA-256 of JSON(): it tells whether two offices run the
// same catalogue.
func (c *Catalog) Hash() string {
	sum := sha256.Sum256(c.JSON())
	return hex.EncodeToString(sum[:])
}

// applyDefaults fills what a catalogue may leave out.
func (c *Catalog) applyDefaults() {
	if c.Categories == nil {
		c.Categories = []Category{}
	}
	if c.Services == nil {
		c.Services = []Service{}
	}
	for i := range c.Services {
		if c.Services[i].DeadlineKind == "" {
			c.Services[i].DeadlineKind = WorkingDays
		}
	}
	n := &c.Norms
	for _, d := range []struct {
		v   *int
		def int
	}{
		{&n.WaitMinutes, DefaultWaitMinutes},
		{&n.PrebookedMinutes, DefaultPrebookedMinutes},
		{&n.ReceptionMinutes, DefaultReceptionMinutes},
		{&n.StorageDays, DefaultStorageDays},
	} {
		if *d.v == 0 {
			*d.v = d.def
		}
	}
}

// checker collects problems by field path.
type checker struct{ ps []CatalogProblem }

func (k *checker) add(field, format string, args ...any) {
	k.ps = append(k.ps, CatalogProblem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// code checks a code: present and snake_case.
func (k *checker) code(field, v, example string) {
	switch {
	case blank(v):
		k.add(field, "is empty; give a code such as %s", example)
	case !catalogCodeRe.MatchString(v):
		k.add(field, "%q must be lower-case Latin letters, digits and _, starting with a letter (such as %s)", v, example)
	}
}

// names checks a names map: ru, uk and en present, no empty names.
func (k *checker) names(field string, names map[string]string) {
	if len(names) == 0 {
		k.add(field, "is missing; give the name in ru, uk and en")
		return
	}
	for _, l := range catalogLangs {
		if _, ok := names[l]; !ok {
			k.add(field+"."+l, "is missing; names are needed in ru, uk and en")
		}
	}
	for _, l := range slices.Sorted(maps.Keys(names)) {
		switch {
		case !langCodeRe.MatchString(l):
			k.add(field+"."+l, "%q is not a language code such as ru, uk or en (a comma in an unquoted name splits it; put the name in quotes)", l)
		case blank(names[l]):
			k.add(field+"."+l, "is empty")
		}
	}
}

func (k *checker) text(field, v, what string) {
	if blank(v) {
		k.add(field, "is empty; %s", what)
	}
}

func (k *checker) notNegative(field string, v int) {
	if v < 0 {
		k.add(field, "must not be negative, not %d", v)
	}
}

// problems runs every check of the catalogue. Fields are paths with
// indexes from 0, as in the file: services[3].documents[1].need.
func (c *Catalog) problems() []CatalogProblem {
	k := &checker{}
	k.text("version", c.Version, "give the catalogue a version such as 2026.11.1")
	if len(c.Services) == 0 {
		k.add("services", "no services; a catalogue needs at least one")
	}
	codes := map[string]int{}
	for i := range c.Services {
		s := &c.Services[i]
		p := fmt.Sprintf("services[%d]", i)
		k.code(p+".code", s.Code, "advertising_permit")
		if j, dup := codes[s.Code]; dup && s.Code != "" {
			k.add(p+".code", "%q is already the code of services[%d]", s.Code, j)
		} else {
			codes[s.Code] = i
		}
		k.service(p, s)
	}
	cats := map[string]int{}
	for i := range c.Categories {
		g := &c.Categories[i]
		p := fmt.Sprintf("categories[%d]", i)
		k.code(p+".code", g.Code, "wwii_veteran")
		if j, dup := cats[g.Code]; dup && g.Code != "" {
			k.add(p+".code", "%q is already the code of categories[%d]", g.Code, j)
		} else {
			cats[g.Code] = i
		}
		k.names(p+".names", g.Names)
		k.text(p+".basis", g.Basis, "give the legal basis of the privilege")
		k.text(p+".proof", g.Proof, "name the document that proves the right")
		if g.Rank < 1 {
			k.add(p+".rank", "must be 1 or more (1 is served first), not %d", g.Rank)
		}
	}
	k.notNegative("norms.wait_minutes", c.Norms.WaitMinutes)
	k.notNegative("norms.prebooked_minutes", c.Norms.PrebookedMinutes)
	k.notNegative("norms.reception_minutes", c.Norms.ReceptionMinutes)
	k.notNegative("norms.storage_days", c.Norms.StorageDays)
	holidays := k.dates("holidays", c.Holidays)
	workdays := k.dates("workdays", c.Workdays)
	for i, d := range c.Workdays {
		if _, both := holidays[d]; both && workdays[d] == i {
			k.add(fmt.Sprintf("workdays[%d]", i), "%q is also listed in holidays", d)
		}
	}
	return k.ps
}

func (k *checker) service(p string, s *Service) {
	k.names(p+".names", s.Names)
	k.text(p+".department", s.Department, "name the department that decides")
	if s.Deadline <= 0 {
		k.add(p+".deadline", "must be a positive number of days, not %d", s.Deadline)
	}
	switch s.DeadlineKind {
	case WorkingDays, CalendarDays, "":
	default:
		k.add(p+".deadline_kind", "%q is not one of working, calendar", s.DeadlineKind)
	}
	if s.Fee < 0 {
		k.add(p+".fee", "must not be negative, not %d; give the fee in kopecks, 0 if free", s.Fee)
	}
	if s.Currency != "" && !currencyRe.MatchString(s.Currency) {
		k.add(p+".currency", "%q must be a three-letter code such as RUB or UAH", s.Currency)
	}
	switch {
	case s.Prefix == "":
		k.add(p+".prefix", "is empty; give one or two capital Latin letters, such as A")
	case !catalogPrefixRe.MatchString(s.Prefix):
		hint := ""
		if strings.ContainsFunc(s.Prefix, func(r rune) bool {
			return r >= 'А' && r <= 'я' || r == 'Ё' || r == 'ё' || r == 'І' || r == 'Ї' || r == 'Є' || r == 'Ґ'
		}) {
			hint = " (it has a Cyrillic letter that looks like a Latin one)"
		}
		k.add(p+".prefix", "%q must be one or two capital Latin letters%s", s.Prefix, hint)
	}
	for i, eq := range s.Equipment {
		k.code(fmt.Sprintf("%s.equipment[%d]", p, i), eq, "biometric")
	}
	k.notNegative(p+".wait_minutes", s.WaitMinutes)
	if len(s.Documents) == 0 {
		k.add(p+".documents", "the checklist is empty; list at least one document")
	}
	docs := map[string]int{}
	for i := range s.Documents {
		r := &s.Documents[i]
		dp := fmt.Sprintf("%s.documents[%d]", p, i)
		k.code(dp+".code", r.Code, "passport")
		if j, dup := docs[r.Code]; dup && r.Code != "" {
			k.add(dp+".code", "%q is already listed as documents[%d] of this service", r.Code, j)
		} else {
			docs[r.Code] = i
		}
		k.names(dp+".names", r.Names)
		switch r.Need {
		case Required, Optional, IfAvailable:
		case "":
			k.add(dp+".need", "is missing; give one of required, optional, if_available")
		default:
			k.add(dp+".need", "%q is not one of required, optional, if_available", r.Need)
		}
		switch r.Form {
		case FormOriginal, FormCopy:
		case "":
			k.add(dp+".form", "is missing; give one of original, copy")
		default:
			k.add(dp+".form", "%q is not one of original, copy", r.Form)
		}
		if r.Count < 1 {
			k.add(dp+".count", "must be at least 1, not %d", r.Count)
		}
	}
}

// dates checks a list of YYYY-MM-DD dates and returns the good ones with
// their index.
func (k *checker) dates(field string, list []string) map[string]int {
	good := map[string]int{}
	for i, d := range list {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			k.add(fmt.Sprintf("%s[%d]", field, i), "%q is not a date in the form YYYY-MM-DD", d)
			continue
		}
		good[d] = i
	}
	return good
}
