package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/internal/ttyin"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/receipt"
	"github.com/okno-mfc/okno/tui"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() {
	register(command{name: "tui", summary: "open the clerk's terminal UI (also: okno with no command)", run: runTUI})
}

// tuiFlags are the flags of okno tui.
type tuiFlags struct {
	data, lang, office, equipment string
	window                        int
	addOperator, operatorName     string
	operatorRole                  string
	passwordStdin, insecureHTTP   bool
	hint                          string // set by okno demo: who can sign in
	printer                       string
	lockAfter                     time.Duration
}

// defaultLockAfter is how long the screen stays open without a key.
const defaultLockAfter = 10 * time.Minute

// lockAfterDefault is OKNO_LOCK_AFTER when it is a duration, else the
// default (a wrong value is reported by the flag when given there).
func lockAfterDefault(getenv func(string) string) time.Duration {
	if d, err := time.ParseDuration(getenv("OKNO_LOCK_AFTER")); err == nil && d >= 0 {
		return d
	}
	return defaultLockAfter
}

func runTUI(e *env, args []string) error { return runTUIWith(e, args, "") }

// runTUIWith is runTUI with a line for the sign-in screen.
func runTUIWith(e *env, args []string, hint string) error {
	fs := e.newFlags("tui", "[--data DIR] [--lang ru|uk|en] [--office CODE --window N] [--equipment biometric,…]")
	var f tuiFlags
	fs.StringVar(&f.data, "data", defaultDataDir(e.getenv), "the workstation's data folder: okno.db, blobs/, receipts/ (env OKNO_DATA)")
	fs.StringVar(&f.lang, "lang", "", "language of the screens: ru, uk or en (default: OKNO_LANG, else from LANG)")
	fs.StringVar(&f.office, "office", "", "office code, to set up a fresh workstation (with --window)")
	fs.IntVar(&f.window, "window", 0, "window number, to set up a fresh workstation (with --office)")
	fs.StringVar(&f.equipment, "equipment", "", "this window's equipment, comma-separated, e.g. biometric (kept for the next start)")
	fs.StringVar(&f.addOperator, "add-operator", "", "record operator `LOGIN` for sign-in on this workstation without a central, then exit (password from --password-stdin)")
	fs.StringVar(&f.operatorName, "operator-name", "", "the operator's full name, with --add-operator")
	fs.StringVar(&f.operatorRole, "operator-role", string(domain.RoleClerk), "the operator's role, with --add-operator")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the operator's password from the first line of stdin, with --add-operator")
	fs.BoolVar(&f.insecureHTTP, "insecure-http", false, insecureHTTPUsage)
	fs.StringVar(&f.printer, "printer", e.getenv("OKNO_PRINTER"), "this window's receipt printer: "+receipt.PrinterSpecs+" (env OKNO_PRINTER)")
	fs.DurationVar(&f.lockAfter, "lock-after", lockAfterDefault(e.getenv), "lock the screen after this long without a key (the password unlocks; 0: never) (env OKNO_LOCK_AFTER)")
	office := officeFlags(fs, e.getenv)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	f.hint = hint
	lang, err := pickLang(f.lang, e.getenv)
	if err != nil {
		return err
	}
	if err := checkOfficeWindow(f); err != nil {
		return err
	}
	var printer receipt.Printer
	if f.printer != "" {
		if printer, err = receipt.ParsePrinter(f.printer); err != nil {
			return &exitError{code: 2, msg: "--printer: " + err.Error()}
		}
	}
	var tin, tout *os.File
	background := func() {}
	if f.addOperator == "" {
		if tin, tout, err = e.terminal(); err != nil {
			return err
		}
		// The terminal is asked while the store opens; an early return
		// still waits, so the terminal leaves raw mode.
		background = askBackground(tin, tout, e.getenv)
		defer background()
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lock, err := lockData(f.data, "tui")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	store, err := openWorkstation(ctx, f)
	if err != nil {
		return err
	}
	defer store.Close()
	equipment, err := windowEquipment(ctx, store, f)
	if err != nil {
		return err
	}
	if err := applyOffice(ctx, store, office); err != nil {
		return err
	}
	if f.addOperator != "" {
		return addOperator(ctx, e, store, f)
	}
	l, err := openLink(store, f.data, f.insecureHTTP)
	if err != nil {
		return fmt.Errorf("start the link: %w", err)
	}
	defer l.Close()
	background() // the answer, before the styles are made
	c := common.New(ctx, common.Options{
		Lang: lang, Place: store, Link: l, Log: tuiLog(e.getenv, f.data),
		DataDir: f.data, Equipment: equipment, Hint: f.hint, Printer: printer, IdleLock: f.lockAfter,
	})
	// Whole characters per read: fast Cyrillic input loses nothing.
	p := tea.NewProgram(tui.New(c, store), tea.WithAltScreen(), tea.WithContext(ctx),
		tea.WithInput(ttyin.Wrap(tin)), tea.WithOutput(tout))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("the terminal UI stopped: %w", err)
	}
	return nil
}

// pickLang takes --lang, else the locale (langFromEnv).
func pickLang(flagValue string, getenv func(string) string) (i18n.Lang, error) {
	l, err := langFromEnv(getenv, flagValue)
	if err != nil {
		return "", err
	}
	lang, _ := i18n.Parse(l)
	return lang, nil
}

func defaultDataDir(getenv func(string) string) string {
	if d := getenv("OKNO_DATA"); d != "" {
		return d
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "okno")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "okno")
	}
	return "okno-data"
}

// checkOfficeWindow refuses --office without --window and the reverse.
func checkOfficeWindow(f tuiFlags) error {
	if (f.office == "") != (f.window == 0) {
		return &exitError{code: 2, msg: "--office and --window go together: the office code and this window's number, e.g. --office IRK --window 3"}
	}
	return nil
}

// openWorkstation opens DATA/okno.db, giving a fresh store its office and
// window from the flags, and says what to do when it has none.
func openWorkstation(ctx context.Context, f tuiFlags) (*localdb.Store, error) {
	if err := os.MkdirAll(f.data, 0o700); err != nil {
		return nil, fmt.Errorf("create the data folder: %w", err)
	}
	store, err := localdb.Open(ctx, filepath.Join(f.data, "okno.db"), localdb.Options{})
	if err != nil {
		return nil, err
	}
	switch {
	case f.office != "" || f.window != 0:
		if err := store.Init(ctx, f.office, f.window); err != nil {
			store.Close()
			return nil, err
		}
	case store.Office() == "":
		store.Close()
		return nil, &exitError{code: 2, msg: fmt.Sprintf("the workstation in %s has no office and window yet.\n"+
			"Set them once: okno --data %s --office CODE --window N   (e.g. --office IRK --window 3)\n"+
			"or enrol it with the central, or try everything at once with: okno demo", f.data, f.data)}
	}
	return store, nil
}

// windowEquipment keeps --equipment in the store, or reads what was kept.
func windowEquipment(ctx context.Context, store *localdb.Store, f tuiFlags) ([]string, error) {
	v := f.equipment
	if v != "" {
		if err := store.SetMeta(ctx, "equipment", v); err != nil {
			return nil, err
		}
	} else {
		var err error
		if v, err = store.Meta(ctx, "equipment"); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// addOperator records an operator's password hash for sign-in without a
// central: what a standalone workstation (and the end-to-end test) needs.
func addOperator(ctx context.Context, e *env, store *localdb.Store, f tuiFlags) error {
	if !f.passwordStdin {
		return &exitError{code: 2, msg: "--add-operator needs --password-stdin: the password is read from stdin, never from the command line"}
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read the password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if len([]rune(pw)) < 8 {
		return &exitError{code: 2, msg: "the password has fewer than 8 characters: use at least 8"}
	}
	role := domain.Role(f.operatorRole)
	valid := false
	for _, r := range domain.Roles {
		valid = valid || r == role
	}
	if !valid {
		return &exitError{code: 2, msg: fmt.Sprintf("--operator-role %q: one of %v", f.operatorRole, domain.Roles)}
	}
	op := domain.Operator{Login: f.addOperator, Name: f.operatorName, Role: role, Office: store.Office()}
	if err := store.RememberOperator(ctx, op, pw, passwd.Default); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "operator %s can now sign in on this workstation (office %s, window %d)\n", op.Login, store.Office(), store.Window())
	return nil
}

// tuiLog writes to DATA/tui.log when OKNO_DEBUG is set, else nowhere. It
// never gets personal data.
func tuiLog(getenv func(string) string, dir string) *log.Logger {
	if getenv("OKNO_DEBUG") == "" {
		return log.New(io.Discard, "", 0)
	}
	f, err := os.OpenFile(filepath.Join(dir, "tui.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return log.New(io.Discard, "", 0)
	}
	return log.New(f, "", log.LstdFlags)
}
