package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// TestIssueReceiverKept: a window's case.result_issued with a
// representative and a power of attorney is accepted and kept as pushed;
// the department's desk reads who received the refusal letter on the case
// and in its history. A receiver missing its power of attorney's number
// is rejected, naming the field; an issue recorded before receivers (a
// note only) is still accepted.
func TestIssueReceiverKept(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain(ws.Office, ws.Window)
		reg, vid := ch.Register()
		open, cid := ch.Open(vid, "advertising_permit")
		open2, cid2 := ch.Open(vid, "advertising_permit")
		for _, r := range push(t, srv, ws.Token, reg, open, ch.HandOff(cid), open2, ch.HandOff(cid2)) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("%+v", r)
			}
		}
		dep := srv.Client(t, srv.Session(t, "dep", domain.RoleDepartment, "*", 0))
		for _, c := range []string{cid, cid2} {
			for _, s := range []api.StatusRequest{{Status: domain.CaseAccepted}, {Status: domain.CaseRefused, Ground: "ч. 1 ст. 27 ЖК РФ"}} {
				if _, err := dep.SetStatus(ctx, c, s); err != nil {
					t.Fatal(err)
				}
			}
		}
		rc := &domain.Receiver{Kind: domain.ReceiverRepresentative, Name: "Петрова Анна Сергеевна", DocType: domain.DocPassportRU,
			DocNumber: "2510 654321", POA: &domain.PowerOfAttorney{Number: "38 АА 1234567", Date: "2026-11-20",
				IssuedBy: "нотариус Сидорова Е. В.", Notarised: true, ValidUntil: "2027-11-20"}}
		bad := *rc
		bad.POA = &domain.PowerOfAttorney{Date: "2026-11-20", IssuedBy: "нотариус"}
		rejected := ch.Next(domain.EvResultIssued, domain.IssuePayload{Receiver: &bad}, centraltest.CaseOf(cid))
		issued := ch.Next(domain.EvResultIssued, domain.IssuePayload{Note: "письмо об отказе", Receiver: rc}, centraltest.CaseOf(cid))
		old := ch.Next(domain.EvResultIssued, domain.NotePayload{Note: "до получателей"}, centraltest.CaseOf(cid2))
		res := push(t, srv, ws.Token, rejected, issued, old)
		if res[0].Status != api.IngestRejected || !strings.Contains(res[0].Reason, "payload.receiver.poa.number") {
			t.Errorf("a power of attorney without its number: %+v", res[0])
		}
		if res[1].Status != api.IngestAccepted || res[2].Status != api.IngestAccepted {
			t.Fatalf("issues: %+v", res)
		}
		d, err := dep.Case(ctx, cid)
		if err != nil {
			t.Fatal(err)
		}
		if d.Case.State != domain.CaseIssued || d.Case.Receiver == nil || d.Case.Receiver.POA == nil ||
			*d.Case.Receiver.POA != *rc.POA || d.Case.Receiver.Name != rc.Name || d.Case.Ground != "ч. 1 ст. 27 ЖК РФ" {
			t.Fatalf("the desk's case: %+v receiver %+v", d.Case, d.Case.Receiver)
		}
		last := d.History[len(d.History)-1]
		if last.Kind != domain.EvResultIssued || last.Hash != issued.Hash {
			t.Fatalf("the history's last event: %+v", last)
		}
		var p domain.IssuePayload
		if err := json.Unmarshal(last.Payload, &p); err != nil || p.Receiver == nil || p.Receiver.POA.Number != "38 АА 1234567" {
			t.Fatalf("the history's payload: %s %v", last.Payload, err)
		}
		d2, err := dep.Case(ctx, cid2)
		if err != nil || d2.Case.State != domain.CaseIssued || d2.Case.Receiver != nil || d2.Case.Note != "до получателей" {
			t.Fatalf("an issue without a receiver: %+v %v", d2.Case, err)
		}
	})
}
