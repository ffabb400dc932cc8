package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

const userKeyUsage = `Usage:
  okno user key add --db DB --login LOGIN < key.pub
                        register the person's public SSH keys: each line of
                        standard input in authorized_keys form (the contents
                        of ~/.ssh/id_ed25519.pub); blank lines and # comments
                        are skipped
  okno user key list --db DB [--login LOGIN]
                        the keys: login, type, fingerprint, comment
  okno user key remove --db DB --login LOGIN --fingerprint SHA256:…
                        remove a key (its fingerprint as list shows it)

Supervisors and administrators open the live queue with a registered key:
ssh -p PORT LOGIN@HOST to okno serve --ssh-addr (docs/operations.md). Other
roles may have keys registered, but the board refuses them.
`

func userKey(e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, userKeyUsage)
		return errUsage
	}
	switch args[0] {
	case "add":
		return userKeyAdd(e, args[1:])
	case "list":
		return userKeyList(e, args[1:])
	case "remove":
		return userKeyRemove(e, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, userKeyUsage)
		return nil
	}
	fmt.Fprintf(e.stderr, "okno user key: unknown subcommand %q\n\n%s", args[0], userKeyUsage)
	return errUsage
}

// readUserKeys reads the keys of standard input, one per line.
func readUserKeys(r io.Reader) ([]store.UserKey, error) {
	var keys []store.UserKey
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := store.ParseUserKey(line)
		if err != nil {
			return nil, &exitError{code: 1, msg: fmt.Sprintf("line %d: %v", n, err)}
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("read the keys: %v (one key per line, at most 64 KiB)", err)}
	}
	if len(keys) == 0 {
		return nil, &exitError{code: 1, msg: "no key on standard input: okno user key add --db DB --login LOGIN < ~/.ssh/id_ed25519.pub"}
	}
	return keys, nil
}

func userKeyAdd(e *env, args []string) error {
	fs := e.newFlags("user key add", "--db DB --login LOGIN < key.pub")
	db := fs.String("db", "", "the central's database (SQLite file or postgres:// URL)")
	login := fs.String("login", "", "the person the keys belong to")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *login == "" {
		return &exitError{code: 2, msg: "give --login: the person the keys belong to"}
	}
	keys, err := readUserKeys(e.stdin)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openCentral(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, k := range keys {
		if err := st.AddUserKey(ctx, *login, k); err != nil {
			if errors.Is(err, domain.ErrNotFound) {
				return &exitError{code: 1, msg: fmt.Sprintf("no person %s: add them with okno user add first", *login)}
			}
			return &exitError{code: 1, msg: err.Error()}
		}
		fmt.Fprintf(e.stdout, "added %s key %s for %s\n", k.Type, k.Fingerprint, *login)
	}
	return nil
}

func userKeyList(e *env, args []string) error {
	fs := e.newFlags("user key list", "--db DB [--login LOGIN]")
	db := fs.String("db", "", "the central's database (SQLite file or postgres:// URL)")
	login := fs.String("login", "", "only this person's keys")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openCentral(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	keys, err := st.UserKeys(ctx, *login)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tTYPE\tFINGERPRINT\tCOMMENT\tADDED")
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.Login, k.Type, k.Fingerprint, k.Comment, k.CreatedAt.Local().Format("2006-01-02"))
	}
	return tw.Flush()
}

func userKeyRemove(e *env, args []string) error {
	fs := e.newFlags("user key remove", "--db DB --login LOGIN --fingerprint SHA256:…")
	db := fs.String("db", "", "the central's database (SQLite file or postgres:// URL)")
	login := fs.String("login", "", "the person the key belongs to")
	fp := fs.String("fingerprint", "", "the key's fingerprint, as okno user key list shows it")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *login == "" || *fp == "" {
		return &exitError{code: 2, msg: "give --login and --fingerprint (okno user key list shows them)"}
	}
	ctx := context.Background()
	st, err := openCentral(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.RemoveUserKey(ctx, *login, *fp); err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	fmt.Fprintf(e.stdout, "removed key %s of %s; the board's sessions opened with it end within a minute\n", *fp, *login)
	return nil
}
