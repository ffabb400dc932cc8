//go:build unix

package ttyin

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// collector takes in the typed characters until Enter.
type collector struct{ got strings.Builder }

func (c *collector) Init() tea.Cmd { return nil }

func (c *collector) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch k.Type {
		case tea.KeyRunes, tea.KeySpace:
			c.got.WriteString(string(k.Runes))
		case tea.KeyEnter:
			return c, tea.Quit
		default: // other keys are not text
		}
	}
	return c, nil
}

func (c *collector) View() string { return "" }

// typeThrough runs a bubbletea program on input and returns what it read
// as typed text.
func typeThrough(t *testing.T, in io.Reader, pw *os.File, text string) string {
	t.Helper()
	// All of it is in the pipe before the program reads: its reads come
	// back full, as with a scanner or a paste.
	go pw.Write([]byte(text + "\r"))
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := &collector{}
	p := tea.NewProgram(c, tea.WithInput(in), tea.WithOutput(io.Discard),
		tea.WithContext(ctx), tea.WithoutSignalHandler())
	if _, err := p.Run(); err != nil {
		t.Fatalf("the program: %v", err)
	}
	return c.got.String()
}

// fastText is 2,000 characters of Russian and Ukrainian text with
// apostrophes, after one ASCII byte so that 256-byte reads end inside
// two-byte characters.
func fastText() string {
	words := []string{"Ёлкин", "ёж", "Мар'яна", "Ґудзь", "їжак", "єдність", "Іваненко", "О’Коннор", "слово19", "щёлк", "ʼятниця"}
	var b strings.Builder
	b.WriteString("x")
	for i := 0; len([]rune(b.String())) < 2000; i++ {
		b.WriteString(words[i%len(words)])
		b.WriteString(" ")
	}
	return string([]rune(b.String())[:2000])
}

// TestBubbleteaLosesCharactersWithoutReader documents the cause: bubbletea
// v1 itself, reading a pipe with all the text waiting, drops a character at
// 256-byte read boundaries. If this test fails after an upgrade, bubbletea
// has fixed it and Reader may go.
func TestBubbleteaLosesCharactersWithoutReader(t *testing.T) {
	t.Parallel()
	pr, pw := pipe(t)
	text := fastText()
	if got := typeThrough(t, pr, pw, text); got == text {
		t.Fatalf("bubbletea read %d characters without loss: the upstream bug is gone", len([]rune(got)))
	} else {
		t.Logf("bubbletea alone: %d of %d characters", len([]rune(got)), len([]rune(text)))
	}
}

// TestBubbleteaWithReaderKeepsEveryCharacter: the same text through Reader
// comes out whole.
func TestBubbleteaWithReaderKeepsEveryCharacter(t *testing.T) {
	t.Parallel()
	pr, pw := pipe(t)
	text := fastText()
	if got := typeThrough(t, New(pr), pw, text); got != text {
		t.Fatalf("read %d of %d characters:\n got %q\nwant %q", len([]rune(got)), len([]rune(text)), got, text)
	}
}
