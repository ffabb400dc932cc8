package domain

import (
	"strings"
	"unicode"
)

// ReceiverKind is who collected a case's result: the applicant themself or
// a representative acting under a power of attorney.
type ReceiverKind string

// Receiver kinds.
const (
	ReceiverApplicant      ReceiverKind = "applicant"
	ReceiverRepresentative ReceiverKind = "representative"
)

// Receiver is who collected a result at the window, as the clerk checked
// them: their name and identity document and, for a representative, the
// power of attorney they acted under. It goes in the case.result_issued
// event (IssuePayload) and on the issue record (расписка о выдаче).
type Receiver struct {
	Kind      ReceiverKind     `json:"kind"`
	Name      string           `json:"name"`       // the full name as on the document
	DocType   DocType          `json:"doc_type"`   // the identity document shown
	DocNumber string           `json:"doc_number"` // its number, canonical
	POA       *PowerOfAttorney `json:"poa,omitempty"`
}

// PowerOfAttorney is a representative's authority (доверенность): its
// number, the day it was made, who made or certified it (a notary, an
// organisation), whether it is notarised, and the last day it is valid
// when it says one.
type PowerOfAttorney struct {
	Number     string `json:"number"`
	Date       string `json:"date"`                  // YYYY-MM-DD, the day it was made
	IssuedBy   string `json:"issued_by"`             // the notary or the organisation that certified it
	Notarised  bool   `json:"notarised,omitempty"`   // certified by a notary
	ValidUntil string `json:"valid_until,omitempty"` // YYYY-MM-DD, when it states a term
}

// maxReceiverText is the longest free text of a receiver's fields.
const maxReceiverText = 200

// Check says what is wrong with a receiver of a result issued on day today
// (YYYY-MM-DD), and returns it in its canonical form (the name's blanks
// collapsed, the document number as the document type writes it). Errors
// are *InvalidError with the fields kind, full_name, doc_type, doc_number,
// poa, poa.number, poa.date, poa.issued_by and poa.valid_until.
func (r Receiver) Check(today string) (Receiver, error) {
	switch r.Kind {
	case ReceiverApplicant:
		if r.POA != nil {
			return r, invalidf("poa", ProblemConflict, "a power of attorney goes with a representative, not the applicant")
		}
	case ReceiverRepresentative:
		if r.POA == nil {
			return r, invalidf("poa", ProblemEmpty, "a representative needs a power of attorney")
		}
	case "":
		return r, invalidf("kind", ProblemEmpty, "say who receives the result: applicant or representative")
	default:
		return r, invalidf("kind", ProblemUnknown, "receiver kind %q is unknown: applicant or representative", r.Kind)
	}
	var err error
	if r.Name, err = ValidateName(r.Name); err != nil {
		return r, err
	}
	if r.DocNumber, err = ValidateDocument(r.DocType, r.DocNumber); err != nil {
		return r, err
	}
	if r.POA == nil {
		return r, nil
	}
	p := *r.POA
	r.POA = &p
	p.Number = strings.Join(strings.Fields(p.Number), " ")
	p.IssuedBy = strings.Join(strings.Fields(p.IssuedBy), " ")
	// In the order the form asks them: the number, the date, the issuer.
	if err := checkText("poa.number", p.Number); err != nil {
		return r, err
	}
	made, err := ReadDate("poa.date", p.Date)
	if err != nil {
		return r, err
	}
	p.Date = made
	if today != "" && made > today {
		return r, invalidf("poa.date", ProblemRange, "the power of attorney is dated %s, after today %s", made, today)
	}
	if err := checkText("poa.issued_by", p.IssuedBy); err != nil {
		return r, err
	}
	if strings.TrimSpace(p.ValidUntil) != "" {
		until, err := ReadDate("poa.valid_until", p.ValidUntil)
		if err != nil {
			return r, err
		}
		p.ValidUntil = until
		switch {
		case until < made:
			return r, invalidf("poa.valid_until", ProblemConflict, "the power of attorney ends %s, before it was made (%s)", until, made)
		case today != "" && until < today:
			return r, invalidf("poa.valid_until", ProblemRange, "the power of attorney expired on %s", until)
		}
	}
	*r.POA = p
	return r, nil
}

// checkText checks a required line of free text.
func checkText(field, v string) error {
	switch {
	case v == "":
		return invalidf(field, ProblemEmpty, "is missing")
	case len([]rune(v)) > maxReceiverText:
		return invalidf(field, ProblemLength, "is at most %d characters", maxReceiverText)
	case strings.IndexFunc(v, func(c rune) bool { return !unicode.IsPrint(c) }) >= 0:
		return invalidf(field, ProblemChars, "holds an invisible character")
	}
	return nil
}

// ReadDate reads a date typed DD.MM.YYYY or YYYY-MM-DD (the day and month
// may have one digit) and returns YYYY-MM-DD; errors name field.
func ReadDate(field, s string) (string, error) {
	v, err := ValidateBirthDate(s)
	if err != nil {
		return "", withField(err, field)
	}
	return v, nil
}

// IssuePayload goes with case.result_issued: the clerk's note and who
// received the result. Receiver is absent in events recorded before it
// existed (and from workstations older than it); a workstation records it
// with every issue.
type IssuePayload struct {
	Note     string    `json:"note,omitempty"`
	Receiver *Receiver `json:"receiver,omitempty"`
}

// ApplicantReceives is the receiver of a result collected by the applicant
// v themself, with the document the clerk checked.
func ApplicantReceives(v Visitor) *Receiver {
	return &Receiver{Kind: ReceiverApplicant, Name: v.FullName, DocType: v.DocType, DocNumber: v.DocNumber}
}
