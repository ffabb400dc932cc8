package hallboard_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/hallboard"
)

// TestBoardFollowsTheCentral: the terminal board reads a real central's
// board stream, shows a call made through the API with the newest first,
// and says "no connection" when it has heard nothing for OfflineAfter.
func TestBoardFollowsTheCentral(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t)
	ctx := context.Background()
	if err := srv.Store.PutOffice(ctx, domain.Office{Code: "IRK", Name: "МФЦ Иркутск", Lang: "ru", AlwaysOpen: true}); err != nil {
		t.Fatal(err)
	}
	ws := srv.Enrol(t, "IRK", 3)
	cl := srv.Client(t, ws.Token)
	ch := centraltest.NewChain("IRK", 3)
	iss, id := ch.Issue("advertising_permit", "")
	if _, err := cl.PushEvents(ctx, []domain.Event{iss, ch.Move(domain.EvTicketCalled, id)}); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	clock := time.Now()
	m := tea.Model(hallboard.New("IRK", func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }))
	m, _ = m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	msgs := make(chan tea.Msg, 16)
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go hallboard.Follow(fctx, srv.HTTP.Client(), srv.URL, "IRK", func(msg tea.Msg) { msgs <- msg })
	deadline := time.After(10 * time.Second)
	for {
		select {
		case msg := <-msgs:
			m, _ = m.Update(msg)
		case <-deadline:
			t.Fatalf("the board never showed the call:\n%s", ansi.Strip(m.View()))
		}
		view := ansi.Strip(m.View())
		if strings.Contains(view, "МФЦ Иркутск") && strings.Contains(view, "A-") && strings.Contains(view, "→    3") {
			if strings.Contains(view, "Нет связи") {
				t.Errorf("offline while the stream answers:\n%s", view)
			}
			break
		}
	}
	cancel()
	mu.Lock()
	clock = clock.Add(hallboard.OfflineAfter)
	mu.Unlock()
	if view := ansi.Strip(m.View()); !strings.Contains(view, "Нет связи с сервером") {
		t.Errorf("silent for %v and no word of it:\n%s", hallboard.OfflineAfter, view)
	}
}
