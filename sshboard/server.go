// Package sshboard serves the supervisor's live-queue screen over SSH
// (okno serve --ssh-addr): a regional head office watches any office's
// queue from any terminal, with nothing installed. It is the TUI's own
// screen (tui/supervisor) run by charmbracelet/wish on bubbletea v1, one
// program per session, fed in-process from the central's store and change
// hub (httpapi.Board through link.Live): no HTTP to itself, the same
// shared snapshots as the REST queue stream.
//
// Only public keys registered to a person (okno user key add) open it, and
// only a supervisor's or an administrator's, for their office (office *:
// every office), as in the REST API. Anything else is refused during the
// SSH handshake, before any screen. The screen's actions (a ticket moved
// or re-ranked, a window closed) go through the same store transactions
// as the REST routes, recorded as the central's events with the person as
// their actor.
package sshboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/i18n"
	"github.com/okno-mfc/okno/tui/supervisor"
)

// Config configures a Server. Store, API and HostKey are required; the
// zero values of the rest are the production settings.
type Config struct {
	Store   *store.Store
	API     *httpapi.Server
	HostKey gossh.Signer // LoadOrCreateHostKey
	Logger  *slog.Logger // default: discard

	// IdleTimeout ends a session after so long without a key pressed
	// (live updates do not count); default 30 minutes.
	IdleTimeout time.Duration
	// KeyCheckEvery is how often an open session checks that its key is
	// still registered and its person's role and office unchanged
	// (otherwise it ends); default 30 s.
	KeyCheckEvery time.Duration
	// MaxSessions bounds the open sessions; more are told the server is
	// busy. Default 200.
	MaxSessions int
	// Lang is the screen's language when the client sends no LANG (or
	// LC_ALL, LC_MESSAGES) of Russian or Ukrainian; default English.
	Lang i18n.Lang
	// Live tunes the screen's feed (today's figures, the attention list).
	Live link.LiveConfig
	// Now is the screen's clock; default time.Now.
	Now func() time.Time
	// HandshakeTimeout drops a connection whose SSH handshake (key
	// exchange and authentication) is not over within it, as OpenSSH's
	// LoginGraceTime: a client that connects and says nothing holds no
	// connection for long. Default 20 s.
	HandshakeTimeout time.Duration
}

// Server is the board's SSH server.
type Server struct {
	cfg  Config
	srv  *ssh.Server
	log  *slog.Logger
	fp   string
	open atomic.Int64
	m    *metrics

	pending sync.Map // remote address → *timedConn, until the connection ends

	ctx    context.Context // ended by Shutdown: the sessions end
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New makes the server; Serve runs it.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.API == nil || cfg.HostKey == nil {
		return nil, errors.New("sshboard: a store, the API server and a host key are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.KeyCheckEvery <= 0 {
		cfg.KeyCheckEvery = 30 * time.Second
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 200
	}
	if cfg.Lang == "" {
		cfg.Lang = i18n.EN
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = 20 * time.Second
	}
	m, err := newMetrics(cfg.API.Metrics())
	if err != nil {
		return nil, fmt.Errorf("sshboard: metrics: %w", err)
	}
	// The screens' styles use lipgloss's default renderer, which would
	// take the server's own terminal (often none: no colours). A terminal
	// that connects over SSH nearly always shows 256 colours on a dark
	// background.
	lipgloss.SetColorProfile(termenv.ANSI256)
	lipgloss.SetHasDarkBackground(true)

	s := &Server{cfg: cfg, log: cfg.Logger, fp: Fingerprint(cfg.HostKey), m: m}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	srv, err := wish.NewServer(
		// The host key first: without one wish would make a file of its own.
		func(srv *ssh.Server) error { srv.AddHostKey(cfg.HostKey); return nil },
		wish.WithVersion("SSH-2.0-okno"),
		wish.WithPublicKeyAuth(s.authorize),
		// Connections that neither authenticate nor show anything end
		// after this long; a session ends earlier by its own idle timer.
		wish.WithIdleTimeout(cfg.IdleTimeout+time.Minute),
		wish.WithMiddleware(s.run, s.guard),
	)
	if err != nil {
		return nil, err
	}
	srv.ServerConfigCallback = func(ssh.Context) *gossh.ServerConfig {
		return &gossh.ServerConfig{MaxAuthTries: 6}
	}
	srv.ConnCallback = s.handshakeTimer
	srv.ConnectionFailedCallback = s.handshakeFailed
	s.srv = srv
	return s, nil
}

// HostKeyFingerprint is the host key's SHA256 fingerprint, as a client's
// ssh prints it on the first connection.
func (s *Server) HostKeyFingerprint() string { return s.fp }

// Sessions is the number of open sessions.
func (s *Server) Sessions() int { return int(s.open.Load()) }

// Serve accepts connections on ln until Shutdown or Close; it returns
// ssh.ErrServerClosed then.
func (s *Server) Serve(ln net.Listener) error { return s.srv.Serve(ln) }

// ErrServerClosed is what Serve returns after Shutdown or Close.
var ErrServerClosed = ssh.ErrServerClosed

// Shutdown stops taking connections, ends every session (each is told
// the server is stopping) and waits for them until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	return err
}

// Close closes the listener and every connection at once.
func (s *Server) Close() error {
	s.cancel()
	return s.srv.Close()
}

// person is who a session's key names.
type person struct {
	store.User
	Fingerprint string
}

// refusal is why a key does not open the board; logged, never told to
// the client (which sees "Permission denied (publickey)").
type refusal string

const (
	refusedUnknown refusal = "unknown key"
	refusedLogin   refusal = "the key belongs to another login"
	refusedRole    refusal = "the role may not watch the queue"
	refusedStore   refusal = "the key could not be looked up"
)

// lookup finds the person of key and checks they may open the board as
// login (the SSH user name: a key opens its own person's board only).
func (s *Server) lookup(ctx context.Context, login string, key ssh.PublicKey) (person, refusal) {
	fp := gossh.FingerprintSHA256(key)
	u, err := s.cfg.Store.UserByKey(ctx, fp)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return person{Fingerprint: fp}, refusedUnknown
	case err != nil:
		s.log.Warn("ssh board: looking a key up failed", "err", err)
		return person{Fingerprint: fp}, refusedStore
	}
	p := person{User: u, Fingerprint: fp}
	if u.Login != login {
		return p, refusedLogin
	}
	if u.Role != domain.RoleSupervisor && u.Role != domain.RoleAdmin {
		return p, refusedRole
	}
	return p, ""
}

// authorize is the public key check of the handshake: a key registered
// to the login, of a supervisor or an administrator.
func (s *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	p, why := s.lookup(ctx, ctx.User(), key)
	if why == "" {
		return true
	}
	// A client offers its keys one by one: each refusal is logged once
	// per connection.
	ctx.Lock()
	seen, _ := ctx.Value(refusedKey{}).([]string)
	first := !slices.Contains(seen, p.Fingerprint)
	if first {
		ctx.SetValue(refusedKey{}, append(seen, p.Fingerprint))
	}
	ctx.Unlock()
	// The handshake's end counts the connection as refused for its key,
	// however the client then hangs up (a clean EOF or a reset).
	if v, ok := s.pending.Load(ctx.RemoteAddr().String()); ok {
		if tc, ok := v.(*timedConn); ok {
			tc.keyRefused.Store(true)
		}
	}
	if first {
		attrs := []any{"from", ctx.RemoteAddr().String(), "key", p.Fingerprint, "reason", string(why)}
		if p.Login != "" {
			attrs = append(attrs, "login", p.Login, "role", string(p.Role))
		}
		s.log.Info("ssh board: key refused", attrs...)
	}
	return false
}

type refusedKey struct{}

// handshakeTimer closes a new connection whose handshake is not over
// within HandshakeTimeout: the library sets the connection in the
// context (ssh.ContextKeyConn) once the handshake is, which the timer
// checks when it fires.
func (s *Server) handshakeTimer(ctx ssh.Context, conn net.Conn) net.Conn {
	tc := &timedConn{Conn: conn, s: s, key: conn.RemoteAddr().String()}
	s.pending.Store(tc.key, tc)
	tc.timer = time.AfterFunc(s.cfg.HandshakeTimeout, func() {
		if ctx.Value(ssh.ContextKeyConn) != nil {
			return
		}
		tc.timedOut.Store(true)
		conn.Close()
	})
	return tc
}

// timedConn is a connection with its handshake timer.
type timedConn struct {
	net.Conn
	s        *Server
	key      string // the remote address, its key in Server.pending
	timer    *time.Timer
	timedOut atomic.Bool
	// keyRefused: a key offered on this connection was refused.
	keyRefused atomic.Bool
}

// Close stops the timer. A connection the timer closed stays in
// Server.pending for handshakeFailed (the library closes it first).
func (c *timedConn) Close() error {
	c.timer.Stop()
	if !c.timedOut.Load() {
		c.s.pending.CompareAndDelete(c.key, c)
	}
	return c.Conn.Close()
}

// handshakeFailed counts and logs a connection that did not get through
// the handshake (no name: the keys refused are logged by authorize).
func (s *Server) handshakeFailed(conn net.Conn, err error) {
	reason := refuseHandshake

	// The library hands its own wrapper of the connection: the timed one
	// is found by the remote address.
	v, _ := s.pending.Load(conn.RemoteAddr().String())
	tc, _ := v.(*timedConn)
	if tc != nil {
		s.pending.CompareAndDelete(tc.key, tc)
	}
	var auth *gossh.ServerAuthError
	switch {
	case tc != nil && tc.timedOut.Load():
		reason = refuseTimeout
		s.log.Info("ssh board: handshake not over in time, connection dropped", "from", conn.RemoteAddr().String(), "timeout", s.cfg.HandshakeTimeout.String())
	case errors.As(err, &auth), tc != nil && tc.keyRefused.Load():
		reason = refuseAuth
	}
	s.m.refused.WithLabelValues(reason).Inc()
}

// sessionKey holds a session's person in its context, for the program.
type sessionKey struct{}

// guard runs first: it finds the session's person again (the key the
// handshake accepted), turns away a session without a terminal or beyond
// MaxSessions, and logs each session when it ends: who, from where, how
// long, how it ended. Never a name.
func (s *Server) guard(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		start := time.Now()
		t := i18n.New(langOf(sess.Environ(), s.cfg.Lang))
		if sess.PublicKey() == nil {
			s.m.refused.WithLabelValues(refuseAuth).Inc()
			wish.Fatalln(sess, "okno: no key")
			return
		}
		p, why := s.lookup(sess.Context(), sess.User(), sess.PublicKey())
		if why != "" {
			s.m.refused.WithLabelValues(refuseAuth).Inc()
			wish.Fatalln(sess, "okno: refused")
			return
		}
		if _, _, ok := sess.Pty(); !ok {
			s.m.refused.WithLabelValues(refuseNoPty).Inc()
			wish.Fatalln(sess, t.S("ssh.no_pty"))
			return
		}
		if n := s.open.Add(1); n > int64(s.cfg.MaxSessions) {
			s.open.Add(-1)
			s.m.refused.WithLabelValues(refuseBusy).Inc()
			s.log.Warn("ssh board: busy, session refused", "login", p.Login, "from", sess.RemoteAddr().String(), "open", n-1)
			wish.Fatalln(sess, t.S("ssh.busy", n-1))
			return
		}
		s.wg.Add(1)
		defer s.wg.Done()
		defer s.open.Add(-1)
		s.m.sessions.Inc()
		defer s.m.sessions.Dec()
		end := &ending{}
		ctx, cancel := context.WithCancel(sess.Context())
		defer cancel() // the feed stops with the program, even if the client keeps the connection
		sess.Context().SetValue(sessionKey{}, &sessionInfo{person: p, lang: t.Lang, end: end, ctx: ctx})
		pty, _, _ := sess.Pty()
		s.log.Info("ssh board: session opened", "login", p.Login, "role", string(p.Role), "office", p.Office,
			"from", sess.RemoteAddr().String(), "key", p.Fingerprint, "term", pty.Term, "size", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height))
		next(sess)
		how := end.get()
		if how == "" {
			how = endDisconnected
		}
		s.log.Info("ssh board: session closed", "login", p.Login, "role", string(p.Role), "office", p.Office,
			"from", sess.RemoteAddr().String(), "key", p.Fingerprint, "seconds", int(time.Since(start).Seconds()), "ended", how)
		if msg := endMessage(t, how, s.cfg.IdleTimeout); msg != "" {
			wish.Println(sess, "\r"+msg+"\r")
		}
		sess.Exit(0)
	}
}

// sessionInfo is what guard hands the program.
type sessionInfo struct {
	person person
	lang   i18n.Lang
	end    *ending
	ctx    context.Context // ends when the session's handler returns
}

// ending is how a session ended, set by the program.
type ending struct {
	mu  sync.Mutex
	how string
}

func (e *ending) set(how string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.how == "" {
		e.how = how
	}
}

func (e *ending) get() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.how
}

// How sessions end.
const (
	endQuit         = "quit"
	endIdle         = "idle"
	endRevoked      = "key_revoked"
	endShutdown     = "shutdown"
	endDisconnected = "disconnected"
)

func endMessage(t i18n.T, how string, idle time.Duration) string {
	switch how {
	case endQuit:
		return t.S("ssh.end.quit")
	case endIdle:
		return t.S("ssh.end.idle", int(math.Ceil(idle.Minutes())))
	case endRevoked:
		return t.S("ssh.end.revoked")
	case endShutdown:
		return t.S("ssh.end.shutdown")
	}
	return ""
}

// langOf is the language of a session's locale variables, else def.
func langOf(environ []string, def i18n.Lang) i18n.Lang {
	getenv := func(k string) string {
		for _, kv := range environ {
			if len(kv) > len(k) && kv[len(k)] == '=' && kv[:len(k)] == k {
				return kv[len(k)+1:]
			}
		}
		return ""
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if getenv(k) != "" {
			return i18n.FromEnv(getenv)
		}
	}
	return def
}

// run runs the session's program (wish/bubbletea's middleware, less its
// own logger): the terminal's size changes reach it as WindowSizeMsg.
func (s *Server) run(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		prog := s.program(sess)
		if prog == nil {
			next(sess)
			return
		}
		_, winch, _ := sess.Pty()
		ctx, cancel := context.WithCancel(sess.Context())
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case w := <-winch:
					prog.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
				}
			}
		}()
		if _, err := prog.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			s.log.Warn("ssh board: the screen failed", "login", sess.User(), "err", err)
		}
		prog.Kill() // restores the terminal if the screen panicked
		cancel()
		next(sess)
	}
}

// program makes the session's bubbletea program: the supervisor's screen
// over the person's in-process feed, framed with a help line, quitting on
// q, after IdleTimeout without a key, when the key is revoked and when the
// server stops.
func (s *Server) program(sess ssh.Session) *tea.Program {
	info, _ := sess.Context().Value(sessionKey{}).(*sessionInfo)
	if info == nil {
		return nil
	}
	p := info.person
	board, err := s.cfg.API.Board(domain.Operator{Login: p.Login, Role: p.Role, Office: p.Office})
	if err != nil {
		wish.Fatalln(sess, err.Error())
		return nil
	}
	ctx := info.ctx
	// The screen reads the feed, and acts through the board itself (in
	// this process, as the person): the supervisor's and the admin's
	// hands, as the REST routes give them.
	feed := withHands{readOnly{link.NewLiveFrom(board, s.cfg.Live)}, board}
	pty, _, _ := sess.Pty()
	m := newModel(ctx, modelConfig{
		person: p, lang: info.lang, feed: feed, idle: s.cfg.IdleTimeout, now: s.cfg.Now,
		width: pty.Window.Width, height: pty.Window.Height, end: info.end.set,
	})
	opts := append(bm.MakeOptions(sess), tea.WithAltScreen(), tea.WithoutSignalHandler(), tea.WithContext(ctx))
	prog := tea.NewProgram(m, opts...)
	go s.watchSession(ctx, prog, p, info.end)
	return prog
}

// watchSession ends the program when the server stops or the key no
// longer opens the board.
func (s *Server) watchSession(ctx context.Context, prog *tea.Program, p person, end *ending) {
	tick := time.NewTicker(s.cfg.KeyCheckEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.ctx.Done():
			end.set(endShutdown)
			prog.Quit()
			return
		case <-tick.C:
			u, err := s.cfg.Store.UserByKey(ctx, p.Fingerprint)
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				continue // the database did not answer: keep the session, try again
			}
			if err != nil || u.Login != p.Login || u.Role != p.Role || u.Office != p.Office {
				s.log.Info("ssh board: key revoked or role changed, session ends", "login", p.Login, "key", p.Fingerprint)
				end.set(endRevoked)
				prog.Quit()
				return
			}
		}
	}
}

// readOnly passes a feed's reads on and nothing else.
type readOnly struct{ f supervisor.Feed }

// withHands is the feed's reads with the board's actions (supervisor.Hands).
type withHands struct {
	readOnly
	*httpapi.Board
}

// Offices and Watch are the feed's (the board has methods of those names too).
func (w withHands) Offices(ctx context.Context) ([]api.OfficeInfo, error) {
	return w.readOnly.Offices(ctx)
}

func (w withHands) Watch(ctx context.Context, office string) <-chan link.LiveUpdate {
	return w.readOnly.Watch(ctx, office)
}

var (
	_ supervisor.Hands       = withHands{}
	_ supervisor.ResultHands = withHands{}
)

func (r readOnly) Watch(ctx context.Context, office string) <-chan link.LiveUpdate {
	return r.f.Watch(ctx, office)
}

func (r readOnly) Offices(ctx context.Context) ([]api.OfficeInfo, error) { return r.f.Offices(ctx) }
