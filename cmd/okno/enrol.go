package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

func init() {
	register(command{name: "enrol", summary: "register this workstation with the central (once; admin password on stdin)", run: runEnrol})
}

func runEnrol(e *env, args []string) error {
	fs := e.newFlags("enrol", "--data DIR --central URL --office CODE --window N --login ADMIN [--ca FILE] [--equipment biometric,…]  < admin-password")
	data := fs.String("data", defaultDataDir(e.getenv), "the workstation's data folder")
	central := fs.String("central", e.getenv("OKNO_CENTRAL"), "the central server's URL, e.g. https://okno.example.ru (env OKNO_CENTRAL)")
	office := fs.String("office", "", "the office code, e.g. IRK")
	window := fs.Int("window", 0, "this window's number")
	login := fs.String("login", "", "an admin's login at the central (the password is read from stdin)")
	ca := fs.String("ca", "", "a CA file to trust for the central's certificate")
	equipment := fs.String("equipment", "", "this window's equipment, comma-separated (e.g. biometric)")
	insecure := fs.Bool("insecure-http", false, insecureHTTPUsage+" (kept in the credential for the sync and the TUI)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *central == "" || *office == "" || *window == 0 || *login == "" {
		fs.Usage()
		return &exitError{code: 2, msg: "--central, --office, --window and --login are all needed"}
	}
	if err := client.CheckTransport(*central, *insecure); err != nil {
		return transportError(err, "")
	}
	password, err := readSecret(e.stdin)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	lock, err := lockData(*data, "enrol")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	store, err := localdb.Open(ctx, filepath.Join(*data, "okno.db"), localdb.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Init(ctx, *office, *window); err != nil {
		return err
	}
	key, err := link.LoadOrCreateKey(*data)
	if err != nil {
		return err
	}
	var opts []client.Option
	if *ca != "" {
		opts = append(opts, client.WithCAFile(*ca))
	}
	if *insecure {
		opts = append(opts, client.AllowInsecureHTTP())
	}
	c, err := client.New(*central, opts...)
	if err != nil {
		return err
	}
	if _, err := c.SignIn(ctx, *login, password, 0); err != nil {
		if errors.Is(err, client.ErrUnauthorized) {
			return fmt.Errorf("the central refused %s's password", *login)
		}
		return fmt.Errorf("sign in at %s: %w", *central, err)
	}
	defer c.SignOut(context.Background())
	evs, err := store.LocalEvents(ctx, 0, 1<<31)
	if err != nil {
		return err
	}
	req := api.EnrolRequest{Office: store.Office(), Window: store.Window(), PublicKey: link.PublicKey(key), Equipment: splitList(*equipment)}
	if len(evs) > 0 {
		req.LastSeq = evs[len(evs)-1].Seq
	}
	resp, err := c.Enrol(ctx, req)
	if err != nil {
		if errors.Is(err, client.ErrForbidden) {
			return fmt.Errorf("%s may not enrol workstations: sign in as an admin", *login)
		}
		return fmt.Errorf("enrol: %w", err)
	}
	caPath := *ca
	if caPath != "" {
		if abs, err := filepath.Abs(caPath); err == nil {
			caPath = abs // the sync may run from another folder
		}
	}
	cred := link.Credential{Central: *central, CAFile: caPath, InsecureHTTP: *insecure && client.CheckTransport(*central, false) != nil,
		Office: store.Office(), Window: store.Window(), Login: resp.Login, Secret: resp.Token}
	if err := link.SaveCredential(*data, cred); err != nil {
		return err
	}
	if *equipment != "" {
		if err := store.SetMeta(ctx, "equipment", *equipment); err != nil {
			return err
		}
	}
	if err := keepOfficeKeys(ctx, c, store, resp.CentralKey); err != nil {
		fmt.Fprintf(e.stderr, "okno enrol: the office's keys were not kept (the next sync fetches them): %v\n", err)
	}
	fmt.Fprintf(e.stdout, "enrolled %s window %d at %s as %s; %d events recorded offline will go out with the next sync\n",
		cred.Office, cred.Window, cred.Central, cred.Login, len(evs))
	return nil
}

// readSecret reads one line (a password) from r.
func readSecret(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", &exitError{code: 2, msg: "no password on stdin: pipe it in, e.g. okno enrol … < admin-password-file"}
	}
	return pw, nil
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// keepOfficeKeys keeps the central's key from the enrolment's answer and
// the office's keys (for the audit of the feed), as the admin's session
// may read them.
func keepOfficeKeys(ctx context.Context, c *client.Client, store *localdb.Store, centralKey string) error {
	if centralKey != "" {
		if err := store.SetCentralKey(ctx, store.Office(), centralKey); err != nil {
			return err
		}
	}
	keys, err := c.OfficeKeys(ctx, store.Office())
	if err != nil {
		return err
	}
	if centralKey != "" && keys.CentralKey != centralKey {
		return fmt.Errorf("the central named two different keys of its own")
	}
	return store.SetOfficeKeys(ctx, keys)
}
