package common

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWidthMatchesANSI(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", "abc", "Фёдоров Пётр Ильич", "Іваненко Мар'яна Ґудзь", "› [x] ★ ⚙ ✓ ✗ ◀ ▶ • … ○ ● ◐ ◑ ↑ ↓ ← → ─ ╭ │ ₽ № «»—–’ʼ",
		"\x1b[1mbold\x1b[0m", "📎 файл", "й", "и\u0306", "soft\u00adhyphen", "tab\there", "中文", "⚡", "✅",
	} {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, ansi says %d", s, got, want)
		}
	}
}

func TestFitAndFrame(t *testing.T) {
	t.Parallel()
	if got := Fit("Фёдоров", 10); got != "Фёдоров   " {
		t.Errorf("Fit pads to %q", got)
	}
	if got := Fit("Согласование перепланировки", 10); got != "Согласова…" {
		t.Errorf("Fit cuts to %q", got)
	}
	if got := Frame("a\nФёдоров Пётр\nb\nc", 7, 3); got != "a\nФёдоров\nb" {
		t.Errorf("Frame gives %q", got)
	}
	if got := Frame("a", 5, 3); got != "a\n\n" {
		t.Errorf("Frame pads to %q", got)
	}
}
