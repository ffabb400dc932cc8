package domain

// Catalog is the list of services a centre offers, with their regulations'
// checklists, deadlines and fees. It is data, loaded from a file; the built-in
// default is only a starting point a real centre replaces.
type Catalog struct {
	Version    string     `json:"version" yaml:"version"`
	Categories []Category `json:"categories" yaml:"categories"` // privileged queue categories
	Services   []Service  `json:"services" yaml:"services"`
	Norms      Norms      `json:"norms" yaml:"norms"`
	Holidays   []string   `json:"holidays,omitempty" yaml:"holidays,omitempty"` // YYYY-MM-DD, added to the built-in calendar
	Workdays   []string   `json:"workdays,omitempty" yaml:"workdays,omitempty"` // weekend days made working days
}

// Norms are the waiting norms of the centre, in minutes.
type Norms struct {
	WaitMinutes      int `json:"wait_minutes" yaml:"wait_minutes"`           // default 15 (RF Decree 1376, p. 18(б))
	PrebookedMinutes int `json:"prebooked_minutes" yaml:"prebooked_minutes"` // default 5
	ReceptionMinutes int `json:"reception_minutes" yaml:"reception_minutes"` // a reception should last at most this
	StorageDays      int `json:"storage_days" yaml:"storage_days"`           // a ready result waits this many days, then it is unclaimed
}

// DeadlineKind says how a service's deadline is counted.
type DeadlineKind string

// Deadline kinds.
const (
	WorkingDays  DeadlineKind = "working"
	CalendarDays DeadlineKind = "calendar"
)

// Service is one municipal service of the catalogue.
type Service struct {
	Code         string            `json:"code" yaml:"code"`
	Names        map[string]string `json:"names" yaml:"names"` // ru, uk, en
	Department   string            `json:"department" yaml:"department"`
	Deadline     int               `json:"deadline" yaml:"deadline"`           // days until the result is due
	DeadlineKind DeadlineKind      `json:"deadline_kind" yaml:"deadline_kind"` // working (default) or calendar
	Fee          int64             `json:"fee" yaml:"fee"`                     // in kopecks (or kopiyky), 0 = free
	Currency     string            `json:"currency,omitempty" yaml:"currency,omitempty"`
	Prefix       string            `json:"prefix" yaml:"prefix"`                           // ticket prefix, e.g. A
	Equipment    []string          `json:"equipment,omitempty" yaml:"equipment,omitempty"` // e.g. biometric
	WaitMinutes  int               `json:"wait_minutes,omitempty" yaml:"wait_minutes,omitempty"`
	Basis        string            `json:"basis,omitempty" yaml:"basis,omitempty"` // the regulation
	Documents    []Requirement     `json:"documents" yaml:"documents"`
}

// Need says whether a document of a checklist must be there.
type Need string

// Needs of a requirement.
const (
	Required    Need = "required"
	Optional    Need = "optional"
	IfAvailable Need = "if_available" // only when it applies to the applicant
)

// Requirement is one row of a service's checklist.
type Requirement struct {
	Code        string            `json:"code" yaml:"code"` // document-type code; a scanned barcode with it ticks the row
	Names       map[string]string `json:"names" yaml:"names"`
	Need        Need              `json:"need" yaml:"need"`
	Form        DocForm           `json:"form" yaml:"form"` // original or copy
	Count       int               `json:"count" yaml:"count"`
	Interagency bool              `json:"interagency,omitempty" yaml:"interagency,omitempty"` // the department can obtain it itself
}

// Name returns the name in lang, falling back to ru, then en, then the code.
func localName(names map[string]string, lang, code string) string {
	for _, l := range []string{lang, "ru", "en"} {
		if n := names[l]; n != "" {
			return n
		}
	}
	return code
}

// Name returns the service's name in lang.
func (s *Service) Name(lang string) string { return localName(s.Names, lang, s.Code) }

// Name returns the document's name in lang.
func (r *Requirement) Name(lang string) string { return localName(r.Names, lang, r.Code) }

// Name returns the category's name in lang.
func (c *Category) Name(lang string) string { return localName(c.Names, lang, c.Code) }

// Service finds a service by code.
func (c *Catalog) Service(code string) (*Service, bool) {
	for i := range c.Services {
		if c.Services[i].Code == code {
			return &c.Services[i], true
		}
	}
	return nil, false
}

// Category finds a privileged category by code.
func (c *Catalog) Category(code string) (*Category, bool) {
	for i := range c.Categories {
		if c.Categories[i].Code == code {
			return &c.Categories[i], true
		}
	}
	return nil, false
}

// WaitNorm is the waiting norm for a service, in minutes.
func (c *Catalog) WaitNorm(service string) int {
	if s, ok := c.Service(service); ok && s.WaitMinutes > 0 {
		return s.WaitMinutes
	}
	if c.Norms.WaitMinutes > 0 {
		return c.Norms.WaitMinutes
	}
	return 15
}

// Requirement finds a checklist row of a service by document code.
func (s *Service) Requirement(code string) (*Requirement, bool) {
	for i := range s.Documents {
		if s.Documents[i].Code == code {
			return &s.Documents[i], true
		}
	}
	return nil, false
}
