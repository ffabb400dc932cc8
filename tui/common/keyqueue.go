package common

import tea "github.com/charmbracelet/bubbletea"

// KeyQueue keeps the keys that arrive while a screen waits for a write to
// finish (a barcode scanner types faster than a write commits), so they are
// acted on in order afterwards instead of being lost.
type KeyQueue struct {
	keys []tea.KeyMsg
}

// Push keeps a key for later.
func (q *KeyQueue) Push(k tea.KeyMsg) { q.keys = append(q.keys, k) }

// Len is how many keys wait.
func (q *KeyQueue) Len() int { return len(q.keys) }

// Replay hands the kept keys to handle, in order, while busy reports false;
// a key that starts another write stops the replay until the next call.
func (q *KeyQueue) Replay(busy func() bool, handle func(tea.KeyMsg) tea.Cmd) tea.Cmd {
	var cmds []tea.Cmd
	for len(q.keys) > 0 && !busy() {
		k := q.keys[0]
		q.keys = q.keys[1:]
		cmds = append(cmds, handle(k))
	}
	return tea.Batch(cmds...)
}
