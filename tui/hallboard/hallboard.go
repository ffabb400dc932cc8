// Package hallboard is the hall board as a full-screen terminal program
// (`okno board --central URL --office IRK`), for a hall screen driven by a
// small computer with no browser: the same data as the web board
// (GET /hall/{office}/events: the latest calls, the newest highlighted,
// waiting per service group, the office's name and the time), in the
// office's language. It needs no session and shows no personal data.
// After OfflineAfter without a word from the central it says so, and
// connects again by itself.
package hallboard

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// OfflineAfter is how long the board may hear nothing before it says so.
const OfflineAfter = 10 * time.Second

// Board is the data of one "board" event (central/public's view).
type Board struct {
	Office   string    `json:"office"`
	Name     string    `json:"name"`
	Lang     string    `json:"lang"`
	TimeZone string    `json:"timezone"`
	At       time.Time `json:"at"`
	Open     bool      `json:"open"`
	Waiting  int       `json:"waiting"`
	Calls    []struct {
		Number  string `json:"number"`
		Window  int    `json:"window"`
		Key     string `json:"key"`
		Current bool   `json:"current"`
	} `json:"calls"`
	Groups []struct {
		Name    string `json:"name"`
		Waiting int    `json:"waiting"`
	} `json:"groups"`
}

// BoardMsg is a new board; HeardMsg says the link is alive (a ping).
type (
	BoardMsg Board
	HeardMsg struct{}
	tickMsg  time.Time
)

// Model is the board screen.
type Model struct {
	board  *Board
	heard  time.Time
	now    func() time.Time
	width  int
	height int
	office string
}

// New makes the board of office; now is the clock (time.Now).
func New(office string, now func() time.Time) Model {
	if now == nil {
		now = time.Now
	}
	return Model{office: office, now: now, heard: now()}
}

func (m Model) Init() tea.Cmd { return tick() }

func tick() tea.Cmd { return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) }) }

func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch msg.String() {
		case "q", "ctrl+c", "esc":
			return m, tea.Quit
		}
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case BoardMsg:
		b := Board(msg)
		m.board, m.heard = &b, m.now()
	case HeardMsg:
		m.heard = m.now()
	case tickMsg:
		return m, tick()
	}
	return m, nil
}

// Offline reports whether the board has heard nothing for OfflineAfter.
func (m Model) Offline() bool { return m.now().Sub(m.heard) >= OfflineAfter }

var texts = map[string][5]string{ // calls, ticket/window, waiting, offline, closed
	"ru": {"Приглашаются", "Талон → Окно", "Ожидают", "Нет связи с сервером. Переподключаемся…", "Отделение закрыто"},
	"uk": {"Запрошуються", "Талон → Вікно", "Очікують", "Немає зв'язку з сервером. Перепідключаємося…", "Відділення зачинене"},
	"en": {"Now serving", "Ticket → Window", "Waiting", "No connection to the server. Reconnecting…", "The office is closed"},
}

var (
	title   = lipgloss.NewStyle().Bold(true)
	dim     = lipgloss.NewStyle().Foreground(lipgloss.Color("250"))
	newest  = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(lipgloss.Color("11"))
	current = lipgloss.NewStyle().Bold(true)
	warn    = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("15")).Background(lipgloss.Color("1"))
)

func (m Model) View() string {
	lang := "ru"
	name := m.office
	clock := m.now()
	if m.board != nil {
		lang, name = m.board.Lang, m.board.Name
		if loc, err := time.LoadLocation(m.board.TimeZone); err == nil && m.board.TimeZone != "" {
			clock = clock.In(loc)
		}
	}
	tx, ok := texts[lang]
	if !ok {
		tx = texts["en"]
	}
	width := max(m.width, 40)
	var b strings.Builder
	head := title.Render(name)
	tm := title.Render(clock.Format("15:04"))
	gap := max(1, width-lipgloss.Width(head)-lipgloss.Width(tm))
	b.WriteString(head + strings.Repeat(" ", gap) + tm + "\n")
	b.WriteString(dim.Render(strings.Repeat("─", width)) + "\n")
	if m.Offline() {
		b.WriteString(warn.Render(" "+tx[3]+" ") + "\n")
	}
	if m.board != nil && !m.board.Open {
		b.WriteString(warn.Render(" "+tx[4]+" ") + "\n")
	}
	left := []string{title.Render(tx[0]), dim.Render(tx[1])}
	right := []string{title.Render(tx[2])}
	if m.board != nil {
		for i, c := range m.board.Calls {
			line := fmt.Sprintf(" %-8s →  %3d ", c.Number, c.Window)
			switch {
			case i == 0:
				line = newest.Render(line)
			case c.Current:
				line = current.Render(line)
			default:
				line = dim.Render(line)
			}
			left = append(left, line)
		}
		for _, g := range m.board.Groups {
			right = append(right, fmt.Sprintf("%-*s %4d", max(10, width/2-8), clip(g.Name, max(10, width/2-8)), g.Waiting))
		}
	}
	lw := width / 2
	for i := 0; i < max(len(left), len(right)); i++ {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		b.WriteString(l + strings.Repeat(" ", max(1, lw-lipgloss.Width(l))) + r + "\n")
	}
	return b.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Follow reads the office's board stream at base (http(s)://host:port)
// until ctx ends, sending each board and ping to send, and connects again
// (every 2 s) when the stream breaks or stays silent for OfflineAfter.
func Follow(ctx context.Context, hc *http.Client, base, office string, send func(tea.Msg)) {
	for ctx.Err() == nil {
		followOnce(ctx, hc, strings.TrimRight(base, "/")+"/hall/"+office+"/events", send)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}

func followOnce(ctx context.Context, hc *http.Client, url string, send func(tea.Msg)) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return
	}
	resp, err := hc.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return
	}
	// A silent link is a broken one: end the read after OfflineAfter without a line.
	alive := make(chan struct{}, 1)
	go func() {
		t := time.NewTimer(OfflineAfter)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-alive:
				t.Reset(OfflineAfter)
			case <-t.C:
				cancel()
				return
			}
		}
	}()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	event := ""
	for sc.Scan() {
		select {
		case alive <- struct{}{}:
		default:
		}
		line := sc.Bytes()
		switch {
		case bytes.HasPrefix(line, []byte("event: ")):
			event = string(line[len("event: "):])
		case bytes.HasPrefix(line, []byte("data: ")):
			data := line[len("data: "):]
			switch event {
			case "board":
				var b Board
				if json.Unmarshal(data, &b) == nil {
					send(BoardMsg(b))
				}
			case "ping":
				send(HeardMsg{})
			}
		case len(line) == 0:
			event = ""
		}
	}
}
