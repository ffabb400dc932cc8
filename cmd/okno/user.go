package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

func init() {
	register(command{name: "user", summary: "add and list the people who sign in to the central server", run: runUser})
}

const userUsage = `Usage:
  okno user add --db DB --login LOGIN --role ROLE --office CODE [--name NAME]
                [--department NAME]
                        add a person; the password is read from standard input
                        (one line, at least 8 characters)
  okno user passwd --db DB --login LOGIN
                        set a new password (standard input) and end the
                        person's sessions
  okno user department --db DB --login LOGIN --department NAME
                        move a department's officer to another department
                        (or * for every one) and end their sessions
  okno user list --db DB
                        the people: login, role, office, department, name
  okno user key add|list|remove --db DB --login LOGIN
                        the person's public SSH keys, for the supervisor's
                        board over SSH (okno user key help)

DB is the central's database: a SQLite file or a postgres:// URL.
ROLE is clerk, supervisor, department or admin. CODE is the office code
(2–8 capital Latin letters or digits), or * for a supervisor, department
or admin who works with every office. A department's officer needs
--department: the department's name as the catalogue in force gives it
for the services it decides (okno catalog show), or * for every
department; the officer sees and moves only that department's cases.
`

func runUser(e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, userUsage)
		return errUsage
	}
	switch args[0] {
	case "add":
		return userAdd(e, args[1:])
	case "passwd":
		return userPasswd(e, args[1:])
	case "department":
		return userDepartment(e, args[1:])
	case "list":
		return userList(e, args[1:])
	case "key":
		return userKey(e, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, userUsage)
		return nil
	}
	fmt.Fprintf(e.stderr, "okno user: unknown subcommand %q\n\n%s", args[0], userUsage)
	return errUsage
}

// openCentral opens the central's database for a command of okno user.
// Only okno user add makes a new SQLite file (the first admin comes before
// the first okno serve); the others stop with exit 1 on a missing one and
// create nothing.
func openCentral(ctx context.Context, db string, create bool) (*store.Store, error) {
	if db == "" {
		return nil, &exitError{code: 2, msg: "give --db: the central's SQLite file or postgres:// URL"}
	}
	if !create && !store.IsPostgres(db) {
		if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
			return nil, &exitError{code: 1, msg: fmt.Sprintf("no database at %s: check --db (okno user add or okno serve makes a new one)", db)}
		}
	}
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("open the database: %v", err)}
	}
	return st, nil
}

// readPassword reads one line of standard input.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	p := strings.TrimRight(line, "\r\n")
	if err := store.CheckPassword(p); err != nil {
		return "", &exitError{code: 1, msg: err.Error()}
	}
	return p, nil
}

func userAdd(e *env, args []string) error {
	fs := e.newFlags("user add", "--db DB --login LOGIN --role ROLE --office CODE [--name NAME] < password")
	db := fs.String("db", "", "the central's database (SQLite file or postgres:// URL)")
	login := fs.String("login", "", "the login")
	role := fs.String("role", "", "clerk, supervisor, department or admin")
	office := fs.String("office", "", "office code, or * for every office")
	name := fs.String("name", "", "the person's name, as shown to colleagues")
	dept := fs.String("department", "", "a department's officer: the department's name in the catalogue, or * for every one")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	u := store.User{Login: *login, Name: *name, Role: domain.Role(*role), Office: *office, Department: *dept}
	if err := store.CheckUser(u); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	password, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openCentral(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := knownDepartment(ctx, st, u.Department); err != nil {
		return err
	}
	if err := st.AddUser(ctx, u, password); err != nil {
		if errors.Is(err, store.ErrExists) {
			return &exitError{code: 1, msg: fmt.Sprintf("%s already exists; use okno user passwd to change the password", u.Login)}
		}
		return &exitError{code: 1, msg: err.Error()}
	}
	if u.Department != "" {
		fmt.Fprintf(e.stdout, "added %s (%s, office %s, department %s)\n", u.Login, u.Role, u.Office, u.Department)
	} else {
		fmt.Fprintf(e.stdout, "added %s (%s, office %s)\n", u.Login, u.Role, u.Office)
	}
	return nil
}

// knownDepartment refuses a department no service of the catalogue in
// force (the built-in one before any is published) is decided by: a typo
// would give an officer an empty inbox.
func knownDepartment(ctx context.Context, st *store.Store, dept string) error {
	if dept == "" || dept == domain.AllDepartments {
		return nil
	}
	cat := domain.DefaultCatalog()
	if p, err := st.CurrentCatalog(ctx); err == nil {
		cat = p.Catalog
	} else if !errors.Is(err, domain.ErrNotFound) {
		return &exitError{code: 1, msg: err.Error()}
	}
	var names []string
	seen := map[string]bool{}
	for _, s := range cat.Services {
		if s.Department == dept {
			return nil
		}
		if !seen[s.Department] {
			seen[s.Department] = true
			names = append(names, s.Department)
		}
	}
	sort.Strings(names)
	return &exitError{code: 2, msg: fmt.Sprintf("department %q decides no service of the catalogue %s; give one of:\n  %s\n(or * for every department)", dept, cat.Version, strings.Join(names, "\n  "))}
}

func userDepartment(e *env, args []string) error {
	fs := e.newFlags("user department", "--db DB --login LOGIN --department NAME")
	db := fs.String("db", "", "the central's database (SQLite file or postgres:// URL)")
	login := fs.String("login", "", "the officer's login")
	dept := fs.String("department", "", "the department's name in the catalogue, or * for every one")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *login == "" || *dept == "" {
		return &exitError{code: 2, msg: "give --login and --department"}
	}
	ctx := context.Background()
	st, err := openCentral(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := knownDepartment(ctx, st, *dept); err != nil {
		return err
	}
	if err := st.SetDepartment(ctx, *login, *dept); err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	fmt.Fprintf(e.stdout, "%s now works for department %s; their sessions ended\n", *login, *dept)
	return nil
}

func userPasswd(e *env, args []string) error {
	fs := e.newFlags("user passwd", "--db DB --login LOGIN < password")
	db := fs.String("db", "", "the central's database (SQLite file or postgres:// URL)")
	login := fs.String("login", "", "the login")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *login == "" {
		return &exitError{code: 2, msg: "give --login"}
	}
	password, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openCentral(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetPassword(ctx, *login, password); err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	fmt.Fprintf(e.stdout, "password of %s changed; their sessions ended\n", *login)
	return nil
}

func userList(e *env, args []string) error {
	fs := e.newFlags("user list", "--db DB")
	db := fs.String("db", "", "the central's database (SQLite file or postgres:// URL)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openCentral(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := st.Users(ctx)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tROLE\tOFFICE\tDEPARTMENT\tNAME\tADDED")
	dash := func(v string) string {
		if v == "" {
			return "-"
		}
		return v
	}
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Login, u.Role, u.Office, dash(u.Department), u.Name, u.CreatedAt.Local().Format("2006-01-02"))
	}
	return tw.Flush()
}
