package domain

import (
	"errors"
	"strings"
)

// DocType is the kind of identity document a visitor shows.
type DocType string

// Identity documents the window knows how to check.
const (
	DocPassportRU DocType = "passport_ru" // Russian internal passport: series 4 digits + number 6 digits
	DocIDCardUA   DocType = "id_card_ua"  // Ukrainian ID card: 9 digits
	DocPassportUA DocType = "passport_ua" // Ukrainian booklet passport: 2 Cyrillic capitals + 6 digits
	DocOther      DocType = "other"       // anything else (foreign passport, residence permit …), free text
)

// DocTypes lists the document types in the order a form offers them.
var DocTypes = []DocType{DocPassportRU, DocIDCardUA, DocPassportUA, DocOther}

// Representative is the person who acts for the applicant.
type Representative struct {
	FullName  string  `json:"full_name"`
	DocType   DocType `json:"doc_type"`
	DocNumber string  `json:"doc_number"`
	Basis     string  `json:"basis"` // e.g. a power of attorney's number and date
}

// Visitor is an applicant as registered at a window.
type Visitor struct {
	ID             string          `json:"id"`
	FullName       string          `json:"full_name"`
	BirthDate      string          `json:"birth_date,omitempty"` // YYYY-MM-DD
	Phone          string          `json:"phone,omitempty"`
	Email          string          `json:"email,omitempty"`
	DocType        DocType         `json:"doc_type"`
	DocNumber      string          `json:"doc_number"`
	SNILS          string          `json:"snils,omitempty"`
	INN            string          `json:"inn,omitempty"`
	RNOKPP         string          `json:"rnokpp,omitempty"`
	Representative *Representative `json:"representative,omitempty"`
	// Notices is the visitor's consent to notices about their cases; nil
	// when they gave none or withdrew it (a visitor.updated without it).
	Notices *NoticeConsent `json:"notices,omitempty"`
}

// NoticeChannel is how a visitor is told of their cases.
type NoticeChannel string

// Notice channels.
const (
	NoticeEmail NoticeChannel = "email" // to Visitor.Email
	NoticeSMS   NoticeChannel = "sms"   // to Visitor.Phone
)

// NoticeConsent is a visitor's consent to be told by e-mail or SMS when a
// case's result is ready, its deadline moves or documents are asked for
// (152-FZ art. 9: consent to the processing of the address for this
// purpose, recorded with its date and revocable).
type NoticeConsent struct {
	Channel NoticeChannel `json:"channel"`
	Lang    string        `json:"lang"` // the notices' language: ru, uk or en
	Date    string        `json:"date"` // YYYY-MM-DD, the day it was given
}

// check says what is wrong with a consent for visitor v.
func (c *NoticeConsent) check(v *Visitor) error {
	switch c.Channel {
	case NoticeEmail:
		if v.Email == "" {
			return invalidf("notices.channel", ProblemEmpty, "notices by e-mail need the visitor's e-mail address")
		}
	case NoticeSMS:
		if v.Phone == "" {
			return invalidf("notices.channel", ProblemEmpty, "notices by SMS need the visitor's phone number")
		}
	default:
		return invalidf("notices.channel", ProblemUnknown, "must be email or sms")
	}
	switch c.Lang {
	case "ru", "uk", "en":
	default:
		return invalidf("notices.lang", ProblemUnknown, "must be ru, uk or en")
	}
	if _, err := ParseDate(c.Date); err != nil {
		return withField(err, "notices.date")
	}
	return nil
}

// Normalize checks every field of v and rewrites identifiers into their
// canonical spelling (digits only, or the printed form for SNILS). It returns
// the first problem found, as an *InvalidError naming the field.
func (v *Visitor) Normalize() error {
	var err error
	if v.FullName, err = ValidateName(v.FullName); err != nil {
		return err
	}
	if v.BirthDate != "" {
		if v.BirthDate, err = ValidateBirthDate(v.BirthDate); err != nil {
			return err
		}
	}
	if v.Phone != "" {
		if v.Phone, err = ValidatePhone(v.Phone); err != nil {
			return err
		}
	}
	if v.Email != "" {
		if v.Email, err = ValidateEmail(v.Email); err != nil {
			return err
		}
	}
	if v.DocNumber, err = ValidateDocument(v.DocType, v.DocNumber); err != nil {
		return err
	}
	if v.SNILS != "" {
		if v.SNILS, err = ValidateSNILS(v.SNILS); err != nil {
			return err
		}
	}
	if v.INN != "" {
		if v.INN, err = ValidateINN(v.INN); err != nil {
			return err
		}
	}
	if v.RNOKPP != "" {
		if v.RNOKPP, err = ValidateRNOKPP(v.RNOKPP); err != nil {
			return err
		}
	}
	if v.Notices != nil {
		if err := v.Notices.check(v); err != nil {
			return err
		}
	}
	if r := v.Representative; r != nil {
		if r.FullName, err = ValidateName(r.FullName); err != nil {
			return withField(err, "representative.full_name")
		}
		if r.DocNumber, err = ValidateDocument(r.DocType, r.DocNumber); err != nil {
			return withField(err, "representative.doc_number")
		}
		r.Basis = strings.TrimSpace(r.Basis)
		if r.Basis == "" {
			return invalidf("representative.basis", ProblemEmpty, "the document that lets the representative act (e.g. a power of attorney) is missing")
		}
	}
	return nil
}

func withField(err error, field string) error {
	var ie *InvalidError
	if errors.As(err, &ie) {
		c := *ie
		c.Field = field
		return &c
	}
	return err
}
