package localdb

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/statuscode"
)

func TestCaseIntake(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	v := mustRegister(t, s, visitor("Фёдоров Пётр", "2504 123456"))
	c, err := s.OpenCase(ctx, "c", v.ID, "replanning", "")
	if err != nil {
		t.Fatal(err)
	}
	n, err := domain.ParseCaseNumber(c.Number)
	if err != nil || n.Office != "IRK" || n.Window != 3 || n.Seq != 1 {
		t.Fatalf("case number %q: %+v %v", c.Number, n, err)
	}
	if c.State != domain.CaseDraft || c.Deadline != "2027-01-11" { // 45 calendar days from 2026-11-23 end on Jan 7, a holiday (Civil Code art. 193)
		t.Fatalf("case %+v", c)
	}
	if rep, _ := s.RepeatRequests(ctx, v.ID, "replanning"); len(rep) != 1 {
		t.Fatalf("repeat requests %+v", rep)
	}
	if err := s.CheckDocument(ctx, "c", c.ID, domain.DocumentPayload{Doc: "extract", Presented: true}); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("a document outside the regulation: %v", err)
	}
	if err := s.CheckDocument(ctx, "c", c.ID, domain.DocumentPayload{Doc: "passport", Presented: true, Barcode: "passport"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.HandOff(ctx, "c", c.ID, "")
	var missing *domain.MissingDocumentsError
	if !errors.As(err, &missing) || len(missing.Docs) != 1 || missing.Docs[0] != "floor_plan" {
		t.Fatalf("hand-off with a required document missing: %v", err)
	}
	rows, _ := s.Checklist(ctx, c.ID)
	if len(rows) != 3 || !rows[0].Presented || rows[0].Form != domain.FormOriginal || rows[0].Count != 1 || rows[1].Presented {
		t.Fatalf("checklist %+v", rows)
	}
	c, err = s.HandOff(ctx, "c", c.ID, "the applicant brings the plan tomorrow")
	if err != nil || c.State != domain.CaseSubmitted || len(c.Missing) != 1 {
		t.Fatalf("hand-off with a reason: %+v %v", c, err)
	}
	if err := s.CheckDocument(ctx, "c", c.ID, domain.DocumentPayload{Doc: "floor_plan", Presented: true}); err == nil {
		t.Fatal("changed the checklist of a handed-off case")
	}
	got, err := s.CaseByNumber(ctx, c.Number)
	if err != nil || got.ID != c.ID {
		t.Fatalf("by number: %v", err)
	}
	typo := []byte(c.Number)
	typo[len(typo)-1] = '0' + (typo[len(typo)-1]-'0'+1)%10
	if _, err := s.CaseByNumber(ctx, string(typo)); !errors.Is(err, domain.ErrCaseNumberTypo) {
		t.Fatalf("typo: %v", err)
	}
	other := domain.NewCaseNumber("IRK", 3, s.Now(), 99).String()
	if _, err := s.CaseByNumber(ctx, other); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown number: %v", err)
	}
	hist, _ := s.EventsOf(ctx, c.ID)
	if len(hist) != 3 {
		t.Fatalf("history has %d events, want 3 (opened, document, handed off)", len(hist))
	}
}

// TestOfficeCalendar: the office's settings pick the calendar deadlines are
// counted on, and a deadline on a day off moves to the next working day.
func TestOfficeCalendar(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "KYV", 1)
	ctx := context.Background()
	svc := &domain.Service{Deadline: 30, DeadlineKind: domain.CalendarDays}
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) // + 30 days = Fri Jan 1, 2027
	if got := s.Deadline(svc, start).Format(time.DateOnly); got != "2027-01-11" {
		t.Errorf("Russian calendar (the default): %s, want 2027-01-11", got)
	}
	if err := s.UpdateOfficeSettings(ctx, OfficeSettings{Country: "ua", Name: "ЦНАП Київ"}); err != nil {
		t.Fatal(err)
	}
	if got := s.Deadline(svc, start).Format(time.DateOnly); got != "2027-01-04" {
		t.Errorf("Ukrainian calendar: %s, want 2027-01-04", got)
	}
	if err := s.UpdateOfficeSettings(ctx, OfficeSettings{Calendar: "ua-martial"}); err != nil {
		t.Fatal(err)
	}
	if got := s.Deadline(svc, start).Format(time.DateOnly); got != "2027-01-01" {
		t.Errorf("martial-law calendar: %s, want 2027-01-01", got)
	}
	o, err := s.OfficeSettings(ctx)
	if err != nil || o.Country != "UA" || o.Name != "ЦНАП Київ" || o.CalendarName() != "ua-martial" || o.Lang() != "uk" {
		t.Errorf("settings %+v %v", o, err)
	}
	var ie *domain.InvalidError
	for _, bad := range []OfficeSettings{{Country: "DE"}, {Calendar: "xx"}, {ReceiptLang: "de"}} {
		if err := s.UpdateOfficeSettings(ctx, bad); !errors.As(err, &ie) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	// Kept in the file: a reopened store counts on the same calendar.
	s2, err := Open(ctx, s.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := s2.Deadline(svc, start).Format(time.DateOnly); got != "2027-01-01" {
		t.Errorf("reopened: %s", got)
	}
}

// A draft is cancelled with a reason, as a withdrawal event; the drafts of
// a ticket are listed until then.
func TestCancelDraftNeedsReason(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	v := mustRegister(t, s, visitor("Фёдоров Пётр", "2504 123456"))
	tk, err := s.IssueTicket(ctx, "c", "replanning", "", "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.OpenCase(ctx, "c", v.ID, "replanning", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenCase(ctx, "c", v.ID, "replanning", ""); err != nil {
		t.Fatal(err)
	}
	if d, err := s.DraftsOfTicket(ctx, tk.ID); err != nil || len(d) != 1 || d[0].ID != c.ID {
		t.Fatalf("drafts of the ticket: %+v %v", d, err)
	}
	if _, err := s.Withdraw(ctx, "c", c.ID, "  "); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a cancel without a reason: %v", err)
	}
	got, err := s.Withdraw(ctx, "c", c.ID, "the applicant left")
	if err != nil || got.State != domain.CaseWithdrawn || got.Note != "the applicant left" {
		t.Fatalf("cancel: %+v %v", got, err)
	}
	if d, err := s.DraftsOfTicket(ctx, tk.ID); err != nil || len(d) != 0 {
		t.Fatalf("drafts after the cancel: %+v %v", d, err)
	}
	var tre *domain.TransitionError
	if _, err := s.Withdraw(ctx, "c", c.ID, "again"); !errors.As(err, &tre) {
		t.Fatalf("a second cancel: %v", err)
	}
	events, err := s.EventsOf(ctx, c.ID)
	if err != nil || events[len(events)-1].Kind != domain.EvCaseWithdrawn {
		t.Fatalf("the last event: %+v %v", events, err)
	}
}

func TestHandOffMakesStatusCode(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	v := mustRegister(t, s, visitor("Фёдоров Пётр", "2504 123456"))
	c, err := s.OpenCase(ctx, "c", v.ID, "replanning", "")
	if err != nil {
		t.Fatal(err)
	}
	if code, err := s.StatusCode(ctx, c.ID); err != nil || code != "" {
		t.Fatalf("a draft has code %q (%v)", code, err)
	}
	if _, err := s.HandOff(ctx, "c", c.ID, "the plan comes later"); err != nil {
		t.Fatal(err)
	}
	code, err := s.StatusCode(ctx, c.ID)
	if err != nil || !statuscode.Valid(code) {
		t.Fatalf("code %q, %v", code, err)
	}
	evs, err := s.EventsOf(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var hash string
	for _, e := range evs {
		if e.Kind == domain.EvCaseHandedOff {
			p, err := e.DecodePayload()
			if err != nil {
				t.Fatal(err)
			}
			hash = p.(*domain.HandOffPayload).StatusCodeHash
			if strings.Contains(string(e.Payload), code) {
				t.Errorf("the event holds the code itself: %s", e.Payload)
			}
		}
	}
	if !statuscode.Verify(hash, c.Number, code) {
		t.Fatalf("the event's hash %q does not verify the kept code", hash)
	}
}
