package supervisor

import (
	"strings"
	"testing"

	"github.com/okno-mfc/okno/tui/i18n"
)

// TestLongTicketNumbers: a window's numbers are in its thousand
// (domain.IssuerNumber: window 12's "АБ-12001"); both the windows' and
// the waiting list's columns show them whole at 80 columns.
func TestLongTicketNumbers(t *testing.T) {
	m := New(testCommon(t, i18n.EN, "IRK"), newFakeFeed("IRK"), Options{})
	u := fullUpdate()
	u.Snapshot.Waiting[0].Number = "АБ-12001"
	u.Snapshot.Windows[0].Ticket = "A-123001"
	m.snap = u.Snapshot
	for sec, want := range map[int]string{secWaiting: "АБ-12001 ", secWindows: "A-123001 "} {
		b := m.render(sec, 80)
		if got := strings.Join(b.rows, "\n"); !strings.Contains(got, want) {
			t.Errorf("section %d does not show %q whole:\n%s", sec, want, got)
		}
	}
}
