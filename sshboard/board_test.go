package sshboard_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/sshboard"
)

// slow bounds the waits whose length is not what a test checks: generous,
// for -race on a loaded machine.
const slow = 30 * time.Second

// board is a central with the SSH board in front of it.
type board struct {
	srv  *centraltest.Server
	ssh  *sshboard.Server
	addr string
	host gossh.PublicKey
	log  *syncBuffer
}

type options struct {
	idle     time.Duration
	keyCheck time.Duration
	max      int
	live     *link.LiveConfig
	shake    time.Duration // HandshakeTimeout
}

func startBoard(t testing.TB, o options, opts ...centraltest.Option) *board {
	t.Helper()
	srv := centraltest.Start(t, opts...)
	signer, created, err := sshboard.LoadOrCreateHostKey(filepath.Join(t.TempDir(), "ssh_host.key"))
	if err != nil || !created {
		t.Fatalf("host key: %v (made %v)", err, created)
	}
	logs := &syncBuffer{}
	live := link.LiveConfig{DayEvery: 50 * time.Millisecond, AttentionEvery: time.Second}
	if o.live != nil {
		live = *o.live
	}
	b, err := sshboard.New(sshboard.Config{
		Store: srv.Store, API: srv.API, HostKey: signer,
		Logger:      slog.New(slog.NewTextHandler(logs, nil)),
		IdleTimeout: o.idle, KeyCheckEvery: o.keyCheck, MaxSessions: o.max,
		Live: live, HandshakeTimeout: o.shake,
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- b.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), slow)
		defer cancel()
		if err := b.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, sshboard.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return &board{srv: srv, ssh: b, addr: ln.Addr().String(), host: signer.PublicKey(), log: logs}
}

// person adds a person with a fresh key registered and returns the key.
func (b *board) person(t testing.TB, login string, role domain.Role, office string) gossh.Signer {
	t.Helper()
	b.srv.AddUser(t, login, role, office)
	return b.key(t, login)
}

// key registers a fresh key for login.
func (b *board) key(t testing.TB, login string) gossh.Signer {
	t.Helper()
	signer := newKey(t)
	k, err := store.ParseUserKey(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.srv.Store.AddUserKey(context.Background(), login, k); err != nil {
		t.Fatal(err)
	}
	return signer
}

func newKey(t testing.TB) gossh.Signer {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (b *board) dial(login string, key gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", b.addr, &gossh.ClientConfig{
		User:            login,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.FixedHostKey(b.host),
		Timeout:         10 * time.Second,
	})
}

// terminal is a client's session with a terminal: what the server drew,
// and the keys to type.
type terminal struct {
	c    *gossh.Client
	sess *gossh.Session
	in   io.WriteCloser
	out  *syncBuffer
	done chan error
}

func (b *board) open(t testing.TB, login string, key gossh.Signer, w, h int, lang string) *terminal {
	t.Helper()
	c, err := b.dial(login, key)
	if err != nil {
		t.Fatalf("%s: %v", login, err)
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if lang != "" {
		if err := sess.Setenv("LANG", lang); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{c: c, sess: sess, in: in, out: &syncBuffer{}, done: make(chan error, 1)}
	sess.Stdout = term.out
	sess.Stderr = term.out
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { term.done <- sess.Wait() }()
	t.Cleanup(func() { c.Close() })
	return term
}

// screen is what the server drew, without the escape sequences.
func (tm *terminal) screen() string { return ansi.Strip(tm.out.String()) }

// waitFor waits until the drawn text holds s; how long it took.
func (tm *terminal) waitFor(t testing.TB, s string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for !strings.Contains(tm.screen(), s) {
		if time.Since(start) > within {
			t.Fatalf("%q not drawn within %s; the screen:\n%s", s, within, lastLines(tm.screen(), 30))
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

// ended waits for the session to end.
func (tm *terminal) ended(t testing.TB, within time.Duration) {
	t.Helper()
	select {
	case <-tm.done:
	case <-time.After(within):
		t.Fatalf("the session did not end within %s; the screen:\n%s", within, lastLines(tm.screen(), 30))
	}
}

func lastLines(s string, n int) string {
	ls := strings.Split(s, "\n")
	return strings.Join(ls[max(0, len(ls)-n):], "\n")
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// window pushes events of one window of the office.
type window struct {
	t      testing.TB
	client interface {
		PushEvents(context.Context, []domain.Event) (api.IngestResponse, error)
	}
	ch *centraltest.Chain
}

func (b *board) window(t testing.TB, office string, n int) *window {
	ws := b.srv.Enrol(t, office, n)
	return &window{t: t, client: b.srv.Client(t, ws.Token), ch: centraltest.NewChain(office, n)}
}

func (w *window) push(evs ...domain.Event) {
	w.t.Helper()
	res, err := w.client.PushEvents(context.Background(), evs)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, r := range res.Results {
		if r.Status != api.IngestAccepted {
			w.t.Fatalf("push: %+v", r)
		}
	}
}

// issue gives a ticket; its id and number.
func (w *window) issue() (id, number string) {
	w.t.Helper()
	e, id := w.ch.Issue("advertising_permit", "")
	var p domain.TicketIssuedPayload
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		w.t.Fatal(err)
	}
	w.push(e)
	return id, p.Number
}

// TestSupervisorSeesACall: a supervisor's registered key opens the board
// over SSH in 80×24; a ticket called at a window shows within a second;
// a resize redraws in the new size; q ends the session, which is logged
// with who, from where and how long, and without the person's name.
func TestSupervisorSeesACall(t *testing.T) {
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			b := startBoard(t, options{}, centraltest.Kind(t, kind))
			key := b.person(t, "boss", domain.RoleSupervisor, "IRK")
			win := b.window(t, "IRK", 1)
			ticket, number := win.issue()

			tm := b.open(t, "boss", key, 80, 24, "en_US.UTF-8")
			tm.waitFor(t, "Supervisor · IRK", slow)
			tm.waitFor(t, "● live", slow)
			if strings.Contains(tm.screen(), number) {
				t.Fatalf("%s is drawn before it was called", number)
			}
			win.push(win.ch.Move(domain.EvTicketCalled, ticket))
			took := tm.waitFor(t, number, time.Second)
			t.Logf("%s: a call pushed → drawn over SSH in %s", kind, took)

			// A second ticket waits: at 80×24 the Windows tab shows, not
			// the queue; at 140×40 every section does.
			_, waiting := win.issue()
			if err := tm.sess.WindowChange(40, 140); err != nil {
				t.Fatal(err)
			}
			tm.waitFor(t, waiting, slow)
			tm.waitFor(t, "Rejected by the central", time.Second)

			if _, err := tm.in.Write([]byte("q")); err != nil {
				t.Fatal(err)
			}
			tm.ended(t, slow)
			tm.waitFor(t, "Session ended.", time.Second)
			waitLog(t, b.log, "ssh board: session closed")
			line := logLine(b.log.String(), "session closed")
			for _, want := range []string{"login=boss", "role=supervisor", "office=IRK", "from=127.0.0.1:", "seconds=", "ended=quit", "key=SHA256:"} {
				if !strings.Contains(line, want) {
					t.Errorf("the log line lacks %s: %s", want, line)
				}
			}
			for start := time.Now(); b.ssh.Sessions() != 0; time.Sleep(5 * time.Millisecond) {
				if time.Since(start) > slow {
					t.Fatalf("%d sessions open after the end", b.ssh.Sessions())
				}
			}
		})
	}
}

func waitLog(t testing.TB, logs *syncBuffer, s string) {
	t.Helper()
	for start := time.Now(); !strings.Contains(logs.String(), s); time.Sleep(5 * time.Millisecond) {
		if time.Since(start) > slow {
			t.Fatalf("%q not logged; the log:\n%s", s, logs.String())
		}
	}
}

func logLine(logs, s string) string {
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// TestRefused: an unknown key, a clerk's key, a department's key and a
// supervisor's key given under another login are refused in the
// handshake, before any session; each refusal is logged with its reason.
func TestRefused(t *testing.T) {
	t.Parallel()
	b := startBoard(t, options{})
	b.person(t, "boss", domain.RoleSupervisor, "IRK")
	clerk := b.person(t, "anna", domain.RoleClerk, "IRK")
	dept := b.person(t, "dept", domain.RoleDepartment, "*")
	boss := b.key(t, "boss")
	for _, c := range []struct {
		name, login string
		key         gossh.Signer
		reason      string
	}{
		{"unknown key", "boss", newKey(t), "unknown key"},
		{"clerk", "anna", clerk, "the role may not watch the queue"},
		{"department", "dept", dept, "the role may not watch the queue"},
		{"another login", "anna", boss, "the key belongs to another login"},
	} {
		c2, err := b.dial(c.login, c.key)
		if err == nil {
			c2.Close()
			t.Errorf("%s: connected", c.name)
			continue
		}
		if !strings.Contains(err.Error(), "unable to authenticate") {
			t.Errorf("%s: %v", c.name, err)
		}
		waitLog(t, b.log, "reason=\""+c.reason+"\"")
	}
	if strings.Contains(b.log.String(), "session opened") {
		t.Fatalf("a refused key opened a session:\n%s", b.log.String())
	}
	// Passwords are not taken at all.
	_, err := gossh.Dial("tcp", b.addr, &gossh.ClientConfig{User: "boss", Auth: []gossh.AuthMethod{gossh.Password(centraltest.Password("boss"))},
		HostKeyCallback: gossh.FixedHostKey(b.host), Timeout: 5 * time.Second})
	if err == nil {
		t.Fatal("a password opened the board")
	}
}

// TestOfficeScope: a supervisor of one office sees that office and cannot
// switch; an administrator of every office picks one.
func TestOfficeScope(t *testing.T) {
	t.Parallel()
	b := startBoard(t, options{})
	sup := b.person(t, "irk", domain.RoleSupervisor, "IRK")
	admin := b.person(t, "root", domain.RoleAdmin, "*")
	b.window(t, "IRK", 1).issue()
	b.window(t, "MSK", 2).issue()

	tm := b.open(t, "irk", sup, 80, 24, "en_US.UTF-8")
	tm.waitFor(t, "● live", slow)
	tm.in.Write([]byte("o"))
	time.Sleep(300 * time.Millisecond)
	if s := tm.screen(); strings.Contains(s, "MSK") {
		t.Fatalf("a supervisor of IRK was shown MSK:\n%s", lastLines(s, 30))
	}

	ta := b.open(t, "root", admin, 80, 24, "en_US.UTF-8")
	ta.waitFor(t, "MSK", slow)      // the office list opens: two offices
	ta.in.Write([]byte("\x1b[B\r")) // the second: MSK
	ta.waitFor(t, "Supervisor · MSK", slow)
	ta.waitFor(t, "● live", slow)
}

// TestIdleAndRevoked: a session without a key pressed ends after the idle
// time, live updates notwithstanding; a session whose key is removed ends
// at the next check; a terminal too small is asked to grow; the language
// follows the client's LANG.
func TestIdleAndRevoked(t *testing.T) {
	t.Parallel()
	b := startBoard(t, options{idle: 1500 * time.Millisecond, keyCheck: 100 * time.Millisecond})
	key := b.person(t, "boss", domain.RoleSupervisor, "IRK")
	win := b.window(t, "IRK", 1)

	tm := b.open(t, "boss", key, 80, 24, "ru_RU.UTF-8")
	tm.waitFor(t, "Руководитель · IRK", slow)
	for range 3 { // updates keep coming, keys do not
		win.issue()
		time.Sleep(200 * time.Millisecond)
	}
	tm.ended(t, slow)
	tm.waitFor(t, "без нажатий клавиш", time.Second)
	waitLog(t, b.log, "ended=idle")

	b = startBoard(t, options{keyCheck: 100 * time.Millisecond})
	key = b.person(t, "boss", domain.RoleSupervisor, "IRK")
	small := b.open(t, "boss", key, 30, 8, "")
	small.waitFor(t, "(30×8)", slow)
	small.sess.WindowChange(24, 80)
	small.waitFor(t, "Supervisor · IRK", slow)
	k, _ := store.ParseUserKey(string(gossh.MarshalAuthorizedKey(key.PublicKey())))
	if err := b.srv.Store.RemoveUserKey(context.Background(), "boss", k.Fingerprint); err != nil {
		t.Fatal(err)
	}
	small.ended(t, slow)
	small.waitFor(t, "the key was removed", time.Second)
	waitLog(t, b.log, "ended=key_revoked")
}

// TestNoTerminal: a session without a terminal (ssh host command) is told
// how to connect.
func TestNoTerminal(t *testing.T) {
	t.Parallel()
	b := startBoard(t, options{})
	key := b.person(t, "boss", domain.RoleSupervisor, "IRK")
	c, err := b.dial("boss", key)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("ls")
	if err == nil || !strings.Contains(string(out), "ssh -t") {
		t.Fatalf("without a terminal: %v %q", err, out)
	}
}

// TestHostKey: the host key is made once, mode 0600, in OpenSSH's form,
// and the same key comes back; one that others may read is refused.
func TestHostKey(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "host.key")
	a, created, err := sshboard.LoadOrCreateHostKey(path)
	if err != nil || !created {
		t.Fatal(err, created)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode(), err)
	}
	if data, _ := os.ReadFile(path); !bytes.HasPrefix(data, []byte("-----BEGIN OPENSSH PRIVATE KEY-----")) {
		t.Fatalf("not in OpenSSH's form: %.40q", data)
	}
	b, created, err := sshboard.LoadOrCreateHostKey(path)
	if err != nil || created || sshboard.Fingerprint(a) != sshboard.Fingerprint(b) || !strings.HasPrefix(sshboard.Fingerprint(a), "SHA256:") {
		t.Fatalf("again: %v %v %s %s", err, created, sshboard.Fingerprint(a), sshboard.Fingerprint(b))
	}
	os.Chmod(path, 0o644)
	if _, _, err := sshboard.LoadOrCreateHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a readable key: %v", err)
	}
	os.WriteFile(filepath.Join(filepath.Dir(path), "junk.key"), []byte("junk"), 0o600)
	if _, _, err := sshboard.LoadOrCreateHostKey(filepath.Join(filepath.Dir(path), "junk.key")); err == nil || !strings.Contains(err.Error(), "move the file away") {
		t.Fatalf("junk: %v", err)
	}
}

// TestFiftySessions: 50 supervisors watch one office over SSH at once
// (the most MaxSessions lets in, then one more is told the server is
// busy); a call reaches every screen. How long each took is logged.
func TestFiftySessions(t *testing.T) {
	t.Parallel()
	const n = 50
	b := startBoard(t, options{max: n, live: &link.LiveConfig{}})
	win := b.window(t, "IRK", 1)
	ticket, number := win.issue()
	terms := make([]*terminal, n)
	keys := make([]gossh.Signer, n)
	for i := range keys {
		keys[i] = b.person(t, fmt.Sprintf("sup%02d", i), domain.RoleSupervisor, "IRK")
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i := range terms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			terms[i] = b.open(t, fmt.Sprintf("sup%02d", i), keys[i], 80, 24, "")
		}()
	}
	wg.Wait()
	for _, tm := range terms {
		tm.waitFor(t, "● live", 2*slow)
	}
	t.Logf("%d sessions open and live in %s", n, time.Since(start).Round(time.Millisecond))
	if b.ssh.Sessions() != n {
		t.Fatalf("%d sessions open, want %d", b.ssh.Sessions(), n)
	}
	busy := b.open(t, "sup00", keys[0], 80, 24, "en_US.UTF-8")
	busy.ended(t, slow)
	busy.waitFor(t, "The server is busy: 50 board sessions are open", time.Second)

	win.push(win.ch.Move(domain.EvTicketCalled, ticket))
	pushed := time.Now()
	took := make([]time.Duration, n)
	for i, tm := range terms {
		tm.waitFor(t, number, slow)
		took[i] = time.Since(pushed)
	}
	slices.Sort(took)
	t.Logf("a call pushed → drawn on all %d screens: p50 %s, max %s", n, took[n/2].Round(time.Millisecond), took[n-1].Round(time.Millisecond))
}

// TestHands: the supervisor's hands work over SSH as in the TUI: a
// waiting ticket moved to a window is recorded at the central as its own
// event with the supervisor as the actor, and the board shows it.
func TestHands(t *testing.T) {
	t.Parallel()
	b := startBoard(t, options{})
	key := b.person(t, "boss", domain.RoleSupervisor, "IRK")
	win := b.window(t, "IRK", 1)
	ws2 := b.srv.Enrol(t, "IRK", 2)
	if err := b.srv.Client(t, ws2.Token).Heartbeat(context.Background(), "IRK", 2); err != nil {
		t.Fatal(err)
	}
	_, number := win.issue()

	tm := b.open(t, "boss", key, 80, 24, "en_US.UTF-8")
	tm.waitFor(t, "● live", slow)
	tm.waitFor(t, "  2   ", slow) // window 2 in the Windows section
	tm.in.Write([]byte("2"))      // the Waiting section
	tm.waitFor(t, number, slow)
	tm.in.Write([]byte("m"))
	tm.waitFor(t, "Ticket "+number, slow) // the prompt names the ticket
	tm.in.Write([]byte("2\r"))
	tm.waitFor(t, "→ window 2: why?", slow) // then the reason
	tm.in.Write([]byte("speaks only Chinese\r"))
	tm.waitFor(t, "Ticket "+number+" sent to window 2", slow)
	if n := b.srv.Count(t, "SELECT COUNT(*) FROM events WHERE office = 'IRK' AND win = 0 AND actor = 'boss'"); n != 1 {
		t.Fatalf("%d events of the central by boss, want 1", n)
	}
	if n := b.srv.Count(t, "SELECT COUNT(*) FROM events WHERE office = 'IRK' AND win = 0 AND actor = 'boss' AND kind = 'ticket.redirected' AND payload LIKE '%speaks only Chinese%'"); n != 1 {
		t.Fatalf("the move's event does not keep the reason (%d)", n)
	}
}
