package localdb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

func TestFileIsPrivate(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	mustRegister(t, s, visitor("Фёдоров Пётр", "2504 123456"))
	for _, p := range []string{s.Path(), s.Path() + "-wal"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), st.Mode().Perm())
		}
	}
}

func TestInitRefusesAnotherIdentity(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	if err := s.Init(ctx, "IRK", 3); err != nil {
		t.Fatalf("same identity again: %v", err)
	}
	if err := s.Init(ctx, "IRK", 4); err == nil {
		t.Fatal("a store changed its window")
	}
	fresh, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"), Options{Catalog: testCatalog()})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.RegisterVisitor(ctx, "c", visitor("Иванов Иван", "2504 123456")); !errors.Is(err, domain.ErrNotInitialised) {
		t.Fatalf("write before Init: %v, want domain.ErrNotInitialised", err)
	}
	for _, bad := range []struct {
		office string
		window int
	}{{"irk!", 1}, {"IRK", 0}, {"", 1}} {
		if err := fresh.Init(ctx, bad.office, bad.window); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("Init(%q, %d) = %v, want an invalid-input error", bad.office, bad.window, err)
		}
	}
}

// Every intent writes its event, its projection and its outbox row together,
// and the events form a hash chain.
func TestIntentWritesEventProjectionAndOutbox(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	v := mustRegister(t, s, visitor("Фёдоров Пётр Ильич", "25 04 123456"))
	if v.DocNumber != "2504 123456" {
		t.Errorf("document not normalised: %q", v.DocNumber)
	}
	if _, err := s.IssueTicket(ctx, "clerk1", "replanning", "", ""); err != nil {
		t.Fatal(err)
	}
	st, err := s.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 2 {
		t.Fatalf("outbox pending = %d, want 2", st.Pending)
	}
	evs, err := s.LocalEvents(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Kind != domain.EvVisitorRegistered || evs[1].Kind != domain.EvTicketIssued {
		t.Fatalf("events = %+v", evs)
	}
	prev := ""
	for i, ev := range evs {
		if ev.Seq != int64(i+1) || ev.PrevHash != prev || ev.Hash != ev.ComputeHash() {
			t.Fatalf("event %d breaks the chain: seq %d prev %q hash ok %v", i, ev.Seq, ev.PrevHash, ev.Hash == ev.ComputeHash())
		}
		if err := ev.Check(); err != nil {
			t.Fatalf("event %d does not check: %v", i, err)
		}
		prev = ev.Hash
	}
	got, err := s.Visitor(ctx, v.ID)
	if err != nil || got.FullName != "Фёдоров Пётр Ильич" {
		t.Fatalf("visitor projection: %+v %v", got, err)
	}
}

// A refused intent leaves nothing behind: no event, no projection, no outbox row.
func TestRefusedIntentLeavesNothing(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	bad := []domain.Visitor{
		{FullName: "R2D2", DocType: domain.DocPassportRU, DocNumber: "2504 123456"},
		{FullName: "Иванов Иван", DocType: domain.DocPassportRU, DocNumber: "2504 12345"},
		{FullName: "Иванов Иван", DocType: domain.DocPassportRU, DocNumber: "2504 123456", SNILS: "112-233-445 96"},
	}
	for _, v := range bad {
		if _, err := s.RegisterVisitor(ctx, "c", v); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("RegisterVisitor(%+v) = %v, want an invalid-input error", v, err)
		}
	}
	v := mustRegister(t, s, visitor("Иванов Иван", "2504 123456"))
	c, err := s.OpenCase(ctx, "c", v.ID, "replanning", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.IssueResult(ctx, "c", c.ID, domain.IssuePayload{Note: "", Receiver: &domain.Receiver{Kind: domain.ReceiverApplicant, Name: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456"}}); err == nil {
		t.Fatal("issued the result of a draft case")
	}
	evs, _ := s.LocalEvents(ctx, 0, 100)
	st, _ := s.Outbox(ctx)
	if len(evs) != 2 || st.Pending != 2 {
		t.Fatalf("after refusals: %d events, %d pending; want 2 and 2", len(evs), st.Pending)
	}
}

func TestMarkAnswered(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	for _, n := range []string{"Иванов Иван", "Петров Пётр", "Сидоров Сидор"} {
		mustRegister(t, s, visitor(n, "2504 123456"))
	}
	evs, _ := s.Pending(ctx, 10)
	if len(evs) != 3 {
		t.Fatalf("pending %d", len(evs))
	}
	counts, err := s.MarkAnswered(ctx, []api.IngestResult{
		{ID: evs[0].ID, Status: api.IngestAccepted},
		{ID: evs[1].ID, Status: api.IngestRejected, Reason: "broken rule"},
		{ID: evs[2].ID, Status: "retry", Reason: "gap"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts[api.IngestAccepted] != 1 || counts[api.IngestRejected] != 1 {
		t.Fatalf("counts %v", counts)
	}
	left, _ := s.Pending(ctx, 10)
	if len(left) != 1 || left[0].ID != evs[2].ID {
		t.Fatalf("pending after answers: %+v", left)
	}
	rej, _ := s.RejectedEvents(ctx, 10)
	if len(rej) != 1 || rej[0].Reason != "broken rule" || rej[0].Event.ID != evs[1].ID {
		t.Fatalf("rejected: %+v", rej)
	}
	// A second answer for an answered event changes nothing.
	counts, _ = s.MarkAnswered(ctx, []api.IngestResult{{ID: evs[0].ID, Status: api.IngestDuplicate}})
	if counts[api.IngestDuplicate] != 0 {
		t.Fatal("an answered event was answered again")
	}
	st, _ := s.Outbox(ctx)
	if st.Pending != 1 || st.Rejected != 1 || st.Sent != 1 || st.LastPush.IsZero() {
		t.Fatalf("outbox stats %+v", st)
	}
	// The low-water mark stops at the event still pending; answers that
	// come out of order (the newest first) are stored all the same.
	mustRegister(t, s, visitor("Кузнецова Анна", "2504 654321"))
	mustRegister(t, s, visitor("Морозов Олег", "2504 111111"))
	if low, _ := s.Meta(ctx, "outbox_low"); low != "2" {
		t.Fatalf("outbox_low = %s, want 2 (seq 3 is pending)", low)
	}
	all, _ := s.Pending(ctx, 10)
	if len(all) != 3 || all[0].Seq != 3 || all[2].Seq != 5 {
		t.Fatalf("pending: %+v", all)
	}
	if _, err := s.MarkAnswered(ctx, []api.IngestResult{{ID: all[2].ID, Status: api.IngestAccepted}}); err != nil {
		t.Fatal(err)
	}
	if low, _ := s.Meta(ctx, "outbox_low"); low != "2" {
		t.Fatalf("outbox_low = %s after seq 5 was answered, want 2", low)
	}
	if _, err := s.MarkAnswered(ctx, []api.IngestResult{{ID: all[0].ID, Status: api.IngestAccepted}, {ID: all[1].ID, Status: api.IngestAccepted}}); err != nil {
		t.Fatal(err)
	}
	if low, _ := s.Meta(ctx, "outbox_low"); low != "5" {
		t.Fatalf("outbox_low = %s with everything answered, want 5", low)
	}
	st, _ = s.Outbox(ctx)
	if left, _ := s.Pending(ctx, 10); len(left) != 0 || st.Pending != 0 || st.Sent != 4 || st.Rejected != 1 {
		t.Fatalf("after all answers: pending %d, stats %+v", len(left), st)
	}
}

func TestOfflineSignIn(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	ctx := context.Background()
	if _, err := s.SignInOffline(ctx, "ivanova", "secret-pass"); !errors.Is(err, domain.ErrUnknownOffline) {
		t.Fatalf("unknown operator: %v", err)
	}
	op := domain.Operator{Login: "ivanova", Name: "Иванова А.", Role: domain.RoleClerk, Office: "IRK"}
	if err := s.RememberOperator(ctx, op, "secret-pass", fastHash); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignInOffline(ctx, "ivanova", "wrong"); !errors.Is(err, domain.ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	got, err := s.SignInOffline(ctx, "ivanova", "secret-pass")
	if err != nil || got.Role != domain.RoleClerk || got.Window != 3 || !strings.HasPrefix(got.Name, "Иванова") {
		t.Fatalf("sign in: %+v %v", got, err)
	}
}
