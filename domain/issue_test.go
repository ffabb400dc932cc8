package domain

import (
	"errors"
	"testing"
	"time"
)

func rep() Receiver {
	return Receiver{Kind: ReceiverRepresentative, Name: " Петрова  Анна Сергеевна", DocType: DocPassportRU, DocNumber: "2510654321",
		POA: &PowerOfAttorney{Number: " 38 АА  1234567", Date: "30.11.2026", IssuedBy: "нотариус Сидорова Е. В.", Notarised: true}}
}

func TestReceiverCheck(t *testing.T) {
	t.Parallel()
	r, err := rep().Check("2026-12-03")
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "Петрова Анна Сергеевна" || r.DocNumber != "2510 654321" || r.POA.Number != "38 АА 1234567" || r.POA.Date != "2026-11-30" {
		t.Errorf("not canonical: %+v %+v", r, r.POA)
	}
	for _, c := range []struct {
		name          string
		change        func(*Receiver)
		field, reason string
	}{
		{"no kind", func(r *Receiver) { r.Kind = "" }, "kind", ProblemEmpty},
		{"odd kind", func(r *Receiver) { r.Kind = "neighbour" }, "kind", ProblemUnknown},
		{"representative without a PoA", func(r *Receiver) { r.POA = nil }, "poa", ProblemEmpty},
		{"applicant with a PoA", func(r *Receiver) { r.Kind = ReceiverApplicant }, "poa", ProblemConflict},
		{"no name", func(r *Receiver) { r.Name = " " }, "full_name", ProblemEmpty},
		{"bad document", func(r *Receiver) { r.DocNumber = "2510 65432" }, "doc_number", ProblemLength},
		{"no PoA number", func(r *Receiver) { r.POA.Number = "" }, "poa.number", ProblemEmpty},
		{"no issuer", func(r *Receiver) { r.POA.IssuedBy = "  " }, "poa.issued_by", ProblemEmpty},
		{"no PoA date", func(r *Receiver) { r.POA.Date = "" }, "poa.date", ProblemEmpty},
		{"PoA date in words", func(r *Receiver) { r.POA.Date = "вчера" }, "poa.date", ProblemFormat},
		{"PoA made tomorrow", func(r *Receiver) { r.POA.Date = "2026-12-04" }, "poa.date", ProblemRange},
		{"PoA expired", func(r *Receiver) { r.POA.ValidUntil = "02.12.2026" }, "poa.valid_until", ProblemRange},
		{"PoA ends before it begins", func(r *Receiver) { r.POA.ValidUntil = "2026-11-01" }, "poa.valid_until", ProblemConflict},
	} {
		r := rep()
		p := *r.POA
		r.POA = &p
		c.change(&r)
		_, err := r.Check("2026-12-03")
		var ie *InvalidError
		if !errors.As(err, &ie) || ie.Field != c.field || ie.Problem != c.reason {
			t.Errorf("%s: %v, want %s %s", c.name, err, c.field, c.reason)
		}
	}
	if _, err := (Receiver{Kind: ReceiverApplicant, Name: "Фёдоров Пётр Ильич", DocType: DocPassportRU, DocNumber: "2504 123456"}).Check("2026-12-03"); err != nil {
		t.Errorf("the applicant: %v", err)
	}
}

// An issue recorded before receivers (only a note) still decodes and
// folds; one with a receiver keeps it on the case; a malformed receiver
// is refused with the payload's field named.
func TestIssuePayloadCompatible(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	c := &CaseView{ID: "c1", State: CaseReady}
	old := Event{Kind: EvResultIssued, CaseID: "c1", At: at, Payload: []byte(`{"note":"old"}`)}
	if err := c.Apply(&old); err != nil || c.State != CaseIssued || c.Note != "old" || c.Receiver != nil {
		t.Fatalf("old payload: %v %+v", err, c)
	}
	r := rep()
	c = &CaseView{ID: "c1", State: CaseRefused, Refused: true}
	ev := Event{Kind: EvResultIssued, CaseID: "c1", At: at, Payload: MustPayload(IssuePayload{Receiver: &r})}
	if err := c.Apply(&ev); err != nil || c.Receiver == nil || c.Receiver.POA.IssuedBy != "нотариус Сидорова Е. В." {
		t.Fatalf("with a receiver: %v %+v", err, c)
	}
	r.POA.Number = ""
	bad := Event{Kind: EvResultIssued, CaseID: "c1", At: at, Payload: MustPayload(IssuePayload{Receiver: &r})}
	_, err := bad.DecodePayload()
	var ie *InvalidError
	if !errors.As(err, &ie) || ie.Field != "payload.receiver.poa.number" {
		t.Errorf("a receiver without the PoA's number: %v", err)
	}
	unknown := Event{Kind: EvResultIssued, CaseID: "c1", At: at, Payload: []byte(`{"receiver":{"kind":"applicant","nme":"x"}}`)}
	if _, err := unknown.DecodePayload(); err == nil {
		t.Error("an unknown field in the receiver is taken")
	}
}
