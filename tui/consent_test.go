package tui

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// TestConsentGivenAndWithdrawn: the registration form records the
// visitor's consent to notices with its date (152-FZ); f8 on the search
// withdraws it, as an event, after asking.
func TestConsentGivenAndWithdrawn(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	ctx := context.Background()
	a := start(t, e, i18n.RU, true)
	a.send(common.StartIntake{})
	a.keys("Фёдоров", tea.KeyCtrlN)
	a.wait("Новый заявитель")
	// name, birth, document type, number, SNILS, INN, RNOKPP, phone, e-mail, notices
	a.keys(" Пётр Ильич", tea.KeyTab, tea.KeyTab, tea.KeyTab, "2504 123456", tea.KeyTab, tea.KeyTab, tea.KeyTab, tea.KeyTab, tea.KeyTab,
		tea.KeyTab, tea.KeyRight, tea.KeyRight)
	a.wait("по SMS, согласие дано")
	a.keys(tea.KeyCtrlS) // SMS without a phone: refused beside the field
	a.wait("для уведомлений по SMS нужен телефон")
	a.keys(tea.KeyLeft)
	a.wait("на эл. почту, согласие дано")
	a.keys(tea.KeyShiftTab, "petr@example.org", tea.KeyCtrlS)
	a.wait("Услуга")
	hits, err := e.Store.FindVisitors(ctx, "Фёдоров", 5)
	if err != nil || len(hits) != 1 {
		t.Fatalf("hits %v %v", hits, err)
	}
	v, err := e.Store.Visitor(ctx, hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	today := e.Clock.Now().Format(time.DateOnly)
	if v.Notices == nil || v.Notices.Channel != domain.NoticeEmail || v.Notices.Date != today || v.Notices.Lang != "ru" || v.Email != "petr@example.org" {
		t.Fatalf("consent %+v", v.Notices)
	}

	a.send(common.StartIntake{})
	a.keys("Фёдоров")
	a.wait("Фёдоров Пётр Ильич")
	a.keys(tea.KeyF8)
	a.wait("Отозвать согласие Фёдоров Пётр Ильич на уведомления?")
	a.keys("y")
	a.wait("Согласие на уведомления отозвано")
	v, _ = e.Store.Visitor(ctx, v.ID)
	if v.Notices != nil {
		t.Fatalf("still consents: %+v", v.Notices)
	}
	evs, err := e.Store.LocalEvents(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Kind != domain.EvVisitorUpdated || last.VisitorID != v.ID {
		t.Fatalf("the withdrawal is %s, want a visitor.updated event of the visitor", last.Kind)
	}
	a.keys(tea.KeyF8)
	a.wait("не давал(а) согласия")
}
