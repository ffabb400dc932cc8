package supervisor

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// testProgram runs a model in a real bubbletea program, as
// charmbracelet/x/exp/teatest does (not in go.mod yet): the same calls —
// a terminal size, WaitFor text in the output, Send, Quit, FinalModel.
type testProgram struct {
	p     *tea.Program
	out   *safeBuffer
	final chan tea.Model
}

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newTestProgram(t *testing.T, m tea.Model, w, h int) *testProgram {
	t.Helper()
	tp := &testProgram{out: &safeBuffer{}, final: make(chan tea.Model, 1)}
	tp.p = tea.NewProgram(m, tea.WithInput(bytes.NewBuffer(nil)), tea.WithOutput(tp.out), tea.WithoutSignals())
	go func() {
		fm, err := tp.p.Run()
		if err != nil {
			t.Errorf("program: %v", err)
		}
		tp.final <- fm
	}()
	tp.p.Send(tea.WindowSizeMsg{Width: w, Height: h})
	return tp
}

// waitFor waits until the output holds text.
func (tp *testProgram) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(tp.out.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("%q did not appear; the output:\n%s", text, tp.out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (tp *testProgram) send(msg tea.Msg) { tp.p.Send(msg) }

// finalModel quits and returns the model the program ended with.
func (tp *testProgram) finalModel(t *testing.T) tea.Model {
	t.Helper()
	tp.p.Quit()
	select {
	case m := <-tp.final:
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("the program did not quit")
		return nil
	}
}
