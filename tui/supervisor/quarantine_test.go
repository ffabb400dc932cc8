package supervisor

import (
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/i18n"
)

// quarantinedUpdate is the fixture with events the central kept out of
// window 2's chain: five forged ones pushed by anna over six minutes, and
// one whose seq was taken.
func quarantinedUpdate() link.LiveUpdate {
	u := fullUpdate()
	a := *u.Attention
	a.Quarantined = []api.QuarantineGroup{
		{Window: 2, Problem: "signature", SentBy: "anna", Count: 5, Reason: "the signature does not verify with window 2's key",
			First: at(9, 20).UTC(), Last: at(9, 26).UTC()},
		{Window: 4, Problem: "seq_taken", SentBy: "ws-IRK-4", Count: 1, Reason: "seq 93 of window 4 is taken",
			First: at(8, 2).UTC(), Last: at(8, 2).UTC()},
	}
	a.QuarantinedTotal = 6
	u.Attention = &a
	return u
}

// The attention section lists the quarantined events: window, how many,
// the problem, who pushed them, when, the reason; the tab counts them.
func TestGoldenQuarantined80x24(t *testing.T) {
	runGolden(t, i18n.EN, 80, 24, []link.LiveUpdate{quarantinedUpdate()}, "A-014", keyRunes("5"))
}

func TestGoldenQuarantinedRussian100x30(t *testing.T) {
	runGolden(t, i18n.RU, 100, 30, []link.LiveUpdate{quarantinedUpdate()}, "A-014", keyRunes("5"))
}

// TestQuarantineRows: the rows in every language, and none at all when
// the central kept nothing apart.
func TestQuarantineRows(t *testing.T) {
	for lang, want := range map[i18n.Lang][]string{
		i18n.EN: {"Kept out of the windows' chains (quarantine), last 7 days: 6",
			"window 2 · 5 events · bad signature · sent by anna · 09:20–09:26 · the signature does not verify",
			"window 4 · 1 event · seq taken · sent by ws-IRK-4 · 08:02 · seq 93"},
		i18n.RU: {"Не приняты в цепочки окон (карантин) за 7 дн.: 6",
			"окно 2 · 5 событий · подпись не проверяется · отправил anna · 09:20–09:26",
			"окно 4 · 1 событие · номер уже занят"},
		i18n.UK: {"Не прийняті до ланцюжків вікон (карантин) за 7 дн.: 6",
			"вікно 2 · 5 подій · підпис не перевіряється · надіслав anna · 09:20–09:26",
			"вікно 4 · 1 подія · номер уже зайнятий"},
	} {
		m := New(testCommon(t, lang, "IRK"), newFakeFeed("IRK"), Options{})
		u := quarantinedUpdate()
		rows := strings.Join(m.quarantineRows(u.Attention, 200), "\n")
		for _, w := range want {
			if !strings.Contains(rows, w) {
				t.Errorf("%s: no %q in\n%s", lang, w, rows)
			}
		}
		m.attention = u.Attention
		if got := m.count(secCases); got != 2+1+1+6 {
			t.Errorf("%s: the tab counts %d", lang, got)
		}
		u.Attention.Quarantined, u.Attention.QuarantinedTotal = nil, 0
		if rows := m.quarantineRows(u.Attention, 200); len(rows) != 0 {
			t.Errorf("%s: nothing quarantined shows as %q", lang, rows)
		}
	}
}
