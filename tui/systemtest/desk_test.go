package systemtest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/i18n"
)

const deskDept = "Управление архитектуры и градостроительства администрации"

// TestDeskEndToEnd: window 3 takes a request in with a scan and hands it
// off; the architecture department's officer signs in to the TUI at
// another workstation, finds the case in the inbox, saves the scan, asks
// for a document (the window sees what was asked), takes it back into
// work, and makes the result ready; window 3 pulls it and issues the
// result. Everything through a real central (HTTP on 127.0.0.1, SQLite,
// and PostgreSQL with OKNO_TEST_POSTGRES).
func TestDeskEndToEnd(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			deskEndToEnd(t, centraltest.Start(t, centraltest.Kind(t, kind)))
		})
	}
}

func deskEndToEnd(t *testing.T, srv *centraltest.Server) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	win, deskWS := enrolled(t, srv, 3), enrolled(t, srv, 9)

	// The window: a visitor, a case of the architecture department, its
	// checklist with a scan, the hand-off.
	v, err := win.st.RegisterVisitor(ctx, "anna", domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := win.st.OpenCase(ctx, "anna", v.ID, "advertising_permit", "")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := win.st.Checklist(ctx, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := win.st.CheckDocument(ctx, "anna", cs.ID, domain.DocumentPayload{Doc: r.Code, Presented: true, Form: r.Form, Count: 1}); err != nil {
			t.Fatal(err)
		}
	}
	scan := []byte("%PDF-1.4\n% the application, scanned at window 3\n")
	scanFile := filepath.Join(t.TempDir(), "zayavlenie.pdf")
	if err := os.WriteFile(scanFile, scan, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := win.st.AttachFile(ctx, "anna", cs.ID, rows[0].Code, scanFile); err != nil {
		t.Fatal(err)
	}
	if _, err := win.st.HandOff(ctx, "anna", cs.ID, ""); err != nil {
		t.Fatal(err)
	}
	win.sync(t)

	// The desk: the officer signs in online at workstation 9.
	srv.AddOfficer(t, "arch", "*", deskDept)
	op, online, err := deskWS.link.SignIn(ctx, "arch", centraltest.Password("arch"), 0)
	if err != nil || !online || op.Department != deskDept {
		t.Fatalf("the officer's sign-in: %+v online %v: %v", op, online, err)
	}
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		_ = deskWS.link.Run(ctx)
	}()
	defer func() { cancel(); <-ran }()
	c := common.New(ctx, common.Options{Lang: i18n.EN, Place: deskWS.st, Link: deskWS.link, DataDir: deskWS.dir})
	tm := teatest.NewTestModel(t, tui.New(c, deskWS.st), teatest.WithInitialTermSize(80, 24))
	tm.Send(common.SignedIn{Operator: op, Online: true})
	out := tm.Output()
	waitOut(t, out, "Department: inbox", cs.Number, "submitted")
	send := func(keys ...tea.Msg) {
		for _, k := range keys {
			tm.Send(k)
		}
	}
	text := func(s string) tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

	send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut(t, out, "[Checklist]", "original, 1 sh.")
	send(tea.KeyMsg{Type: tea.KeyTab})
	waitOut(t, out, "[Attachments (1)]", "zayavlenie.pdf")
	folder := t.TempDir()
	send(text("s"))
	waitOut(t, out, "Save the attachment")
	send(tea.KeyMsg{Type: tea.KeyCtrlU}, text(folder), tea.KeyMsg{Type: tea.KeyEnter})
	waitOut(t, out, "Saved: ")
	if got, err := os.ReadFile(filepath.Join(folder, "zayavlenie.pdf")); err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("the saved scan: %q %v", got, err)
	}

	send(text("w"))
	waitOut(t, out, ": in work")
	send(text("d"))
	waitOut(t, out, "Request documents")
	send(text("Выписка ЕГРН"), tea.KeyMsg{Type: tea.KeyEnter})
	waitOut(t, out, ": more documents", "Выписка ЕГРН")

	// The window sees what was asked for, when the visitor comes back.
	win.sync(t)
	at, err := win.st.Case(ctx, cs.ID)
	if err != nil || at.State != domain.CaseMoreDocs || len(at.Requested) != 1 || at.Requested[0] != "Выписка ЕГРН" || at.RequestedDue == "" {
		t.Fatalf("the window's case after the request: %+v %v", at, err)
	}

	send(text("w")) // the documents came
	waitOut(t, out, ": in work")
	send(text("r"))
	waitOut(t, out, "Ready: the result's form")
	send(tea.KeyMsg{Type: tea.KeyRight}, tea.KeyMsg{Type: tea.KeyEnter}) // an electronic answer
	waitOut(t, out, ": ready", "an electronic answer")

	// Back at the window: the result is ready, and issued.
	win.sync(t)
	at, err = win.st.Case(ctx, cs.ID)
	if err != nil || at.State != domain.CaseReady || at.Result != domain.ResultElectronic {
		t.Fatalf("the window's case: %+v %v", at, err)
	}
	if _, err := win.st.IssueResult(ctx, "anna", cs.ID, domain.IssuePayload{Note: "sent by e-mail", Receiver: &domain.Receiver{Kind: domain.ReceiverApplicant, Name: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456"}}); err != nil {
		t.Fatal(err)
	}
	win.sync(t)
	d, err := srv.Client(t, srv.AdminToken).Case(ctx, cs.ID)
	if err != nil || d.Case.State != domain.CaseIssued || d.Case.Department != deskDept {
		t.Fatalf("the central's case: %+v %v", d.Case, err)
	}
	var kinds []domain.EventKind
	for _, e := range d.History {
		kinds = append(kinds, e.Kind)
	}
	statuses := 0
	for _, k := range kinds {
		if k == domain.EvCaseStatusChanged {
			statuses++
		}
	}
	if statuses != 5 { // accepted, in work, more docs, in work, ready
		t.Fatalf("the case's history: %v", kinds)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}
