// Command e2echeck checks, after scripts/e2e.sh has driven the TUI, that
// the workstation's SQLite file holds what the clerk did: the visitor with
// the SNILS typed, the case with its number, handed off, with its events in
// order, and the outbox holding them for the central. It prints what it
// checked and exits 1 at the first thing that is wrong.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
)

func main() {
	db := flag.String("db", "", "the workstation's okno.db")
	number := flag.String("case", "", "the case number on the receipt")
	snils := flag.String("snils", "", "the visitor's SNILS, as printed")
	missing := flag.String("missing", "", "the document code handed off as missing")
	reason := flag.String("reason", "", "a file holding the reason typed for the missing document, compared byte for byte")
	cancelled := flag.String("cancelled", "", "a draft case cancelled on the cases screen")
	why := flag.String("cancel-reason", "", "the reason typed for the cancelled draft")
	refuse := flag.String("refuse", "", "instead of checking: the department refuses this case, with -ground (its status change arrives as the central's feed brings it)")
	ground := flag.String("ground", "", "the legal ground of -refuse")
	issued := flag.String("issued", "", "instead of checking: this case was issued to a representative (-receiver, -poa)")
	receiver := flag.String("receiver", "", "the representative's name -issued expects")
	poa := flag.String("poa", "", "the power of attorney's number -issued expects")
	flag.Parse()
	var err error
	switch {
	case *refuse != "":
		err = refuseCase(*db, *refuse, *ground)
	case *issued != "":
		err = checkIssued(*db, *issued, *receiver, *poa)
	default:
		err = check(*db, *number, *snils, *missing, *reason)
	}
	if err == nil && *cancelled != "" {
		err = checkCancelled(*db, *cancelled, *why)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2echeck: FAIL:", err)
		os.Exit(1)
	}
}

func check(path, number, snils, missing, reasonFile string) error {
	ctx := context.Background()
	st, err := localdb.Open(ctx, path, localdb.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	cs, err := st.CaseByNumber(ctx, number)
	if err != nil {
		return fmt.Errorf("case %s: %w", number, err)
	}
	fmt.Printf("ok   case %s is in the store, state %s\n", cs.Number, cs.State)
	if cs.State != domain.CaseSubmitted {
		return fmt.Errorf("case %s is %s, want %s", cs.Number, cs.State, domain.CaseSubmitted)
	}
	if len(cs.Missing) != 1 || cs.Missing[0] != missing {
		return fmt.Errorf("case %s lists missing %v, want [%s]", cs.Number, cs.Missing, missing)
	}
	fmt.Printf("ok   handed off with %s missing\n", missing)
	v, err := st.Visitor(ctx, cs.VisitorID)
	if err != nil {
		return err
	}
	if v.SNILS != snils {
		return fmt.Errorf("the case's visitor has SNILS %q, want %q", v.SNILS, snils)
	}
	fmt.Printf("ok   the visitor %s has SNILS %s\n", v.FullName, v.SNILS)
	events, err := st.EventsOf(ctx, cs.ID)
	if err != nil {
		return err
	}
	var kinds []string
	scanned := 0
	for _, ev := range events {
		kinds = append(kinds, string(ev.Kind))
		if ev.Kind == domain.EvDocumentChecked {
			p, err := ev.DecodePayload()
			if err != nil {
				return err
			}
			if d := p.(*domain.DocumentPayload); d.Presented && d.Barcode != "" {
				scanned++
			}
		}
		if ev.Kind == domain.EvCaseHandedOff && reasonFile != "" {
			if err := sameReason(ev, reasonFile); err != nil {
				return err
			}
		}
	}
	got := strings.Join(kinds, " ")
	want := "case.opened case.document case.document case.handed_off"
	if got != want {
		return fmt.Errorf("the case's events are %q, want %q", got, want)
	}
	fmt.Printf("ok   events: %s\n", got)
	if scanned != 2 {
		return fmt.Errorf("%d documents were ticked by a scanned code, want 2", scanned)
	}
	fmt.Println("ok   both documents carry the scanned code")
	ob, err := st.Outbox(ctx)
	if err != nil {
		return err
	}
	if ob.Pending < len(events) {
		return fmt.Errorf("the outbox holds %d events for the central, fewer than the case's %d", ob.Pending, len(events))
	}
	fmt.Printf("ok   the outbox holds %d events for the central\n", ob.Pending)
	return nil
}

// sameReason compares the hand-off's stored reason with the text typed.
func sameReason(ev domain.Event, file string) error {
	want, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	p, err := ev.DecodePayload()
	if err != nil {
		return err
	}
	got := []byte(p.(*domain.HandOffPayload).MissingReason)
	if string(got) != string(want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		return fmt.Errorf("the stored reason (%d bytes, %d characters) differs from the %d bytes typed at byte %d: stored …%q…, typed …%q…",
			len(got), utf8.RuneCount(got), len(want), i, got[max(0, i-20):min(len(got), i+20)], want[max(0, i-20):min(len(want), i+20)])
	}
	fmt.Printf("ok   the reason typed fast (%d characters, %d bytes) is stored byte for byte\n", utf8.RuneCount(got), len(got))
	return nil
}

// checkCancelled checks that a draft was cancelled as an event with its
// reason: opened, then withdrawn, nothing handed off.
func checkCancelled(path, number, reason string) error {
	ctx := context.Background()
	st, err := localdb.Open(ctx, path, localdb.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	cs, err := st.CaseByNumber(ctx, number)
	if err != nil {
		return fmt.Errorf("case %s: %w", number, err)
	}
	if cs.State != domain.CaseWithdrawn || cs.Note != reason {
		return fmt.Errorf("the cancelled draft %s is %s with note %q, want %s with %q", number, cs.State, cs.Note, domain.CaseWithdrawn, reason)
	}
	events, err := st.EventsOf(ctx, cs.ID)
	if err != nil {
		return err
	}
	var kinds []string
	for _, ev := range events {
		kinds = append(kinds, string(ev.Kind))
	}
	if got, want := strings.Join(kinds, " "), "case.opened case.withdrawn"; got != want {
		return fmt.Errorf("the cancelled draft's events are %q, want %q", got, want)
	}
	fmt.Printf("ok   draft %s cancelled with its reason as a case.withdrawn event\n", number)
	return nil
}

// refuseCase delivers the department's refusal of a case to the
// workstation as its feed would (window 0 of the office, chained).
func refuseCase(path, number, ground string) error {
	ctx := context.Background()
	st, err := localdb.Open(ctx, path, localdb.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	cs, err := st.CaseByNumber(ctx, number)
	if err != nil {
		return fmt.Errorf("case %s: %w", number, err)
	}
	cursor, err := st.FeedCursor(ctx)
	if err != nil {
		return err
	}
	ev := domain.Event{ID: uuid.Must(uuid.NewV7()).String(), Office: cs.Office, Window: 0, Seq: 1, At: time.Now().UTC(),
		Kind: domain.EvCaseStatusChanged, Actor: "dept", CaseID: cs.ID,
		Payload: domain.MustPayload(domain.StatusPayload{Status: domain.CaseRefused, Ground: ground})}
	ev.Seal("")
	res, err := st.ApplyFeed(ctx, api.FeedPage{Events: []api.FeedEvent{{Event: ev, Pos: cursor + 1}}, Cursor: cursor + 1})
	if err != nil {
		return err
	}
	if len(res.Failed) > 0 {
		return fmt.Errorf("the refusal did not apply: %v", res.Failed)
	}
	fmt.Printf("ok   the department refused %s (%s)\n", number, ground)
	return nil
}

// checkIssued checks that a case was issued to a representative with a
// power of attorney, in its last event and in the outbox.
func checkIssued(path, number, name, poa string) error {
	ctx := context.Background()
	st, err := localdb.Open(ctx, path, localdb.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	cs, err := st.CaseByNumber(ctx, number)
	if err != nil {
		return fmt.Errorf("case %s: %w", number, err)
	}
	if cs.State != domain.CaseIssued {
		return fmt.Errorf("case %s is %s, want %s", number, cs.State, domain.CaseIssued)
	}
	events, err := st.EventsOf(ctx, cs.ID)
	if err != nil {
		return err
	}
	last := events[len(events)-1]
	if last.Kind != domain.EvResultIssued {
		return fmt.Errorf("case %s's last event is %s", number, last.Kind)
	}
	p, err := last.DecodePayload()
	if err != nil {
		return err
	}
	r := p.(*domain.IssuePayload).Receiver
	if r == nil || r.Kind != domain.ReceiverRepresentative || r.Name != name || r.POA == nil || r.POA.Number != poa || !r.POA.Notarised {
		return fmt.Errorf("case %s was issued to %+v, want representative %s with notarised power of attorney %s", number, r, name, poa)
	}
	fmt.Printf("ok   %s issued to representative %s (%s %s), power of attorney %s of %s by %s\n", number, r.Name, r.DocType, r.DocNumber, r.POA.Number, r.POA.Date, r.POA.IssuedBy)
	pending, err := st.Pending(ctx, 1000)
	if err != nil {
		return err
	}
	for _, ev := range pending {
		if ev.ID == last.ID {
			fmt.Println("ok   the issue waits in the outbox for the central")
			return nil
		}
	}
	return fmt.Errorf("the issue event %s is not in the outbox", last.ID)
}
