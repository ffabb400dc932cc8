package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/seed"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

func init() {
	register(command{name: "demo", summary: "the whole flow at once: a central on loopback, seeded, and the TUI signed in to it; 'demo seed' makes data", run: runDemo})
}

// The demo's people. Their passwords are printed; it is a demo.
var demoUsers = []struct {
	login, name, password, office string
	role                          domain.Role
	department                    string
}{
	{"admin", "Администратор", "admin-demo", store.AllOffices, domain.RoleAdmin, ""},
	{"anna", "Иванова Анна Сергеевна", "anna-demo", "IRK", domain.RoleClerk, ""},
	{"boris", "Петров Борис Олегович", "boris-demo", "IRK", domain.RoleClerk, ""},
	{"sveta", "Орлова Светлана Юрьевна", "sveta-demo", "IRK", domain.RoleSupervisor, ""},
	// dept is the pretend department that moves the other departments' cases.
	{"dept", "Ведомства (демо)", "dept-demo", store.AllOffices, domain.RoleDepartment, domain.AllDepartments},
	// arch signs in to the TUI: the desk of the architecture department,
	// whose cases the pretend department leaves alone.
	{"arch", "Кузнецова Ольга Петровна", "arch-demo", store.AllOffices, domain.RoleDepartment, demoDesk},
}

// demoDesk is the department of the demo's desk (arch).
const demoDesk = "Управление архитектуры и градостроительства администрации"

// demoLogins is the line of the demo's people, printed and shown at sign-in.
const demoLogins = "demo: anna / anna-demo (clerk) · sveta / sveta-demo (supervisor) · arch / arch-demo (department's desk)"

const demoOffice = "IRK"

// demoOfficeName is the demo office's name by language.
var demoOfficeName = map[string]string{"ru": "МФЦ «Мои документы», Иркутск", "uk": "ЦНАП, Іркутськ", "en": "One-stop centre, Irkutsk"}

func runDemo(e *env, args []string) error {
	if len(args) > 0 && args[0] == "seed" {
		return runDemoSeed(e, args[1:])
	}
	fs := e.newFlags("demo", "[--data DIR] [--lang ru|uk|en] [--addr 127.0.0.1:8420]   |   okno demo seed --help")
	data := fs.String("data", filepath.Join(os.TempDir(), "okno-demo"), "the demo's folder: central.db, window3/, window4/ (kept between runs)")
	lang := fs.String("lang", "", "language of the screens: ru, uk or en (default: from LANG)")
	addr := fs.String("addr", "127.0.0.1:8420", "where the demo central listens (loopback; another free port is taken if this one is busy)")
	noTUI := fs.Bool("no-tui", false, "set everything up and serve, without the TUI (for scripts)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if _, err := pickLang(*lang, e.getenv); err != nil {
		return err
	}
	if !*noTUI {
		if _, _, err := e.terminal(); err != nil {
			return err // before the central starts: say so at once
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(*data, "central.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	log := slog.New(slog.NewTextHandler(logf, nil))
	officeLang, _ := pickLang(*lang, e.getenv)
	url, stopCentral, err := demoCentral(ctx, *data, *addr, string(officeLang), log)
	if err != nil {
		return err
	}
	defer stopCentral()
	fmt.Fprintf(e.stderr, "okno demo: central at %s (log: %s)\n", url, filepath.Join(*data, "central.log"))
	fmt.Fprintf(e.stderr, "okno demo: hall board %s/hall/%s · kiosk %s/kiosk/%s · booking %s/book/%s\n", url, demoOffice, url, demoOffice, url, demoOffice)
	if err := demoWorkstations(ctx, e, *data, url); err != nil {
		return err
	}
	go demoDepartment(ctx, url, log)
	if *noTUI {
		fmt.Fprintf(e.stdout, "okno demo: ready. central %s; window 3 data %s. Ctrl+C stops.\nokno %s\n", url, filepath.Join(*data, "window3"), demoLogins)
		<-waitSignal()
		return nil
	}
	tuiArgs := []string{"--data", filepath.Join(*data, "window3")}
	if *lang != "" {
		tuiArgs = append(tuiArgs, "--lang", *lang)
	}
	fmt.Fprintln(e.stderr, "okno "+demoLogins)
	return runTUIWith(e, tuiArgs, demoLogins)
}

// demoCentral starts a real central server over SQLite in dir, with the
// demo's users, on addr or another free loopback port.
func demoCentral(ctx context.Context, dir, addr, lang string, log *slog.Logger) (string, func(), error) {
	key, err := centralKey("", filepath.Join(dir, "central.db"))
	if err != nil {
		return "", nil, err
	}
	st, err := store.Open(ctx, filepath.Join(dir, "central.db"), store.Options{Key: key})
	if err != nil {
		return "", nil, err
	}
	for _, u := range demoUsers {
		err := st.AddUser(ctx, store.User{Login: u.login, Name: u.name, Role: u.role, Office: u.office, Department: u.department}, u.password)
		if err != nil && !errors.Is(err, store.ErrExists) {
			st.Close()
			return "", nil, fmt.Errorf("demo user %s: %w", u.login, err)
		}
	}
	// The demo office's public profile: open around the clock, so the
	// board and the kiosk work whenever the demo runs.
	if demoOfficeName[lang] == "" {
		lang = "ru"
	}
	if err := st.PutOffice(ctx, domain.Office{Code: demoOffice, Name: demoOfficeName[lang], Lang: lang, AlwaysOpen: true}); err != nil {
		st.Close()
		return "", nil, fmt.Errorf("demo office: %w", err)
	}
	apiServer, err := httpapi.New(ctx, httpapi.Config{Store: st, Logger: log, Version: version})
	if err != nil {
		st.Close()
		return "", nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			apiServer.Close()
			st.Close()
			return "", nil, err
		}
	}
	hs := httpServer(apiServer, log.Handler())
	go hs.Serve(ln)
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
		apiServer.Close()
		st.Close()
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// demoWorkstations sets up windows 3 (with the biometric station) and 4:
// enrolled, with a few days of history the first time, and today's queue.
func demoWorkstations(ctx context.Context, e *env, dir, url string) error {
	admin, err := client.New(url)
	if err != nil {
		return err
	}
	if _, err := admin.SignIn(ctx, "admin", "admin-demo", 0); err != nil {
		return fmt.Errorf("demo admin sign-in: %w", err)
	}
	defer admin.SignOut(context.Background())
	for _, w := range []demoWindow{{3, "biometric", 12}, {4, "", 8}} {
		if err := w.setUp(ctx, e, admin, filepath.Join(dir, fmt.Sprintf("window%d", w.window)), url); err != nil {
			return err
		}
	}
	return nil
}

// demoWindow is one of the demo's workstations.
type demoWindow struct {
	window    int
	equipment string
	history   int // visitors a day of its history
}

// setUp enrols the window the first time (and records its history), tops
// up today's queue, and syncs once, holding the folder's lock meanwhile.
func (w demoWindow) setUp(ctx context.Context, e *env, admin *client.Client, wdir, url string) error {
	lock, err := lockData(wdir, "demo")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	st, err := localdb.Open(ctx, filepath.Join(wdir, "okno.db"), localdb.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	fresh := st.Office() == ""
	cred, cerr := link.LoadCredential(wdir)
	if fresh || cerr != nil {
		if err := st.Init(ctx, demoOffice, w.window); err != nil {
			return err
		}
		key, err := link.LoadOrCreateKey(wdir)
		if err != nil {
			return err
		}
		resp, err := admin.Enrol(ctx, api.EnrolRequest{Office: demoOffice, Window: w.window, PublicKey: link.PublicKey(key), Equipment: splitList(w.equipment)})
		if err != nil {
			return fmt.Errorf("enrol window %d: %w", w.window, err)
		}
		cred = link.Credential{Office: demoOffice, Window: w.window, Login: resp.Login, Secret: resp.Token}
		st.SetMeta(ctx, "equipment", w.equipment)
		if err := keepOfficeKeys(ctx, admin, st, resp.CentralKey); err != nil {
			return err
		}
	}
	cred.Central = url // the port may differ from the last run
	if err := link.SaveCredential(wdir, cred); err != nil {
		return err
	}
	if err := useKey(st, wdir); err != nil {
		return err
	}
	if fresh {
		fmt.Fprintf(e.stderr, "okno demo: recording %d days of window %d's history…\n", 3, w.window)
		yesterday := time.Now().AddDate(0, 0, -1)
		if _, err := seed.Run(ctx, st, seed.Plan{Days: 3, PerDay: w.history, End: yesterday, Seed: uint64(w.window), Actor: "anna"}); err != nil {
			return err
		}
	}
	// Today's walk-ins, waiting in the office queue (topped up on each start).
	waiting, err := st.Waiting(ctx)
	if err != nil {
		return err
	}
	for i, svc := range []string{"kindergarten_queue", "dwelling_replanning", "foreign_passport", "social_benefit_certificate"} {
		cat, proof := "", ""
		if i == 1 && w.window == 4 {
			cat, proof = "disability_1_2", "справка МСЭ № 0412345"
		}
		if len(waiting) >= 4 {
			break
		}
		_, err := st.IssueTicket(ctx, "anna", svc, cat, proof)
		if err != nil && cat != "" {
			// A catalogue without the category: an ordinary ticket, then.
			_, err = st.IssueTicket(ctx, "anna", svc, "", "")
		}
		if err != nil {
			return err
		}
	}
	l, err := startLink(st, wdir, slog.New(slog.DiscardHandler), false)
	if err == nil {
		_, err = l.SyncOnce(ctx)
	}
	if err != nil {
		return fmt.Errorf("window %d's first sync: %w", w.window, err)
	}
	return nil
}

// demoDepartment plays the departments other than the desk's (arch signs
// in to the TUI for that one): every few seconds it moves one handed-off
// case a step on (accepted, in work, ready), so results come back to the
// windows while the demo runs.
func demoDepartment(ctx context.Context, url string, log *slog.Logger) {
	c, err := client.New(url)
	if err != nil {
		return
	}
	if _, err := c.SignIn(ctx, "dept", "dept-demo", 0); err != nil {
		log.Warn("demo department cannot sign in", "err", err)
		return
	}
	next := map[domain.CaseState]domain.CaseState{domain.CaseSubmitted: domain.CaseAccepted, domain.CaseAccepted: domain.CaseInWork, domain.CaseInWork: domain.CaseReady}
	t := time.NewTicker(8 * time.Second)
	defer t.Stop()
	for {
		for _, from := range []domain.CaseState{domain.CaseInWork, domain.CaseAccepted, domain.CaseSubmitted} {
			list, err := c.Cases(ctx, client.CaseQuery{Office: demoOffice, State: from, Limit: 50})
			if err != nil {
				continue
			}
			i := slices.IndexFunc(list.Cases, func(cs domain.CaseView) bool { return cs.Department != demoDesk })
			if i < 0 {
				continue
			}
			if _, err := c.SetStatus(ctx, list.Cases[i].ID, api.StatusRequest{Status: next[from], Note: "demo department"}); err != nil {
				log.Warn("demo department", "err", err)
			}
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func runDemoSeed(e *env, args []string) error {
	fs := e.newFlags("demo seed", "--data DIR [--days N] [--per-day M] [--office CODE --window N] [--seed S]")
	data := fs.String("data", "", "the workstation's data folder (made if missing)")
	days := fs.Int("days", 7, "working days of history, up to today")
	perDay := fs.Int("per-day", 50, "visitors a day")
	office := fs.String("office", "", "office code for a fresh store (default "+demoOffice+")")
	window := fs.Int("window", 0, "window number for a fresh store (default 1)")
	seedN := fs.Uint64("seed", 1, "random seed: the same seed makes the same people")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *data == "" || *days < 1 || *perDay < 1 {
		fs.Usage()
		return &exitError{code: 2, msg: "--data is needed, and --days and --per-day must be 1 or more"}
	}
	if (*office != "") != (*window != 0) {
		return &exitError{code: 2, msg: "give --office CODE and --window N together (or neither, for the demo's office and window 1)"}
	}
	ctx := context.Background()
	lock, err := lockData(*data, "demo seed")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	st, err := localdb.Open(ctx, filepath.Join(*data, "okno.db"), localdb.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if *office != "" {
		if err := st.Init(ctx, strings.ToUpper(*office), *window); err != nil {
			return err
		}
	}
	if st.Office() == "" {
		// A fresh folder and no identity given: the demo's office, window 1.
		if err := st.Init(ctx, demoOffice, 1); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "a fresh data folder: seeding it as office %s window 1 (--office and --window choose)\n", demoOffice)
	}
	if err := useKey(st, *data); err != nil {
		return err
	}
	start := time.Now()
	tot, err := seed.Run(ctx, st, seed.Plan{Days: *days, PerDay: *perDay, Seed: *seedN, Actor: "demo",
		Progress: func(day time.Time, n int) { fmt.Fprintf(e.stderr, "  %s: %d visitors\n", day.Format("2006-01-02"), n) }})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "seeded %s window %d: %d visitors, %d tickets (%d no-shows), %d cases handed off, %d events in the outbox, %.1f s\n",
		st.Office(), st.Window(), tot.Visitors, tot.Tickets, tot.NoShows, tot.HandedOff, tot.Events, time.Since(start).Seconds())
	return nil
}

// waitSignal returns a channel closed on SIGINT or SIGTERM.
func waitSignal() <-chan struct{} {
	ctx, _ := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	return ctx.Done()
}
