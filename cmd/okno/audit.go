package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/link"
)

func init() {
	register(command{name: "audit", summary: "check the window's audit trail: 'audit verify' (hash chain, signatures, the central's copy)", run: runAudit})
}

const auditUsage = `Usage:
  okno audit verify --data DIR [--projections]
                    [--central URL [--login LOGIN | --token-stdin] [--ca FILE] [--insecure-http]]

Checks, without changing anything (it may run beside the TUI):

  the window's own chain   every seq from 1 with no gap, every hash, every
                           link, every signature with DIR/workstation.key;
  the chain's end          the central's newest signed receipt of the head
                           (a chain cut or rewritten after a sync), the
                           outbox and the days' case counters (a cut tail
                           that had not been sent yet);
  the feed's events        what the feed brought from the other windows and
                           the central: every hash, every signature with the
                           keys the central named, every stream's seqs from 1
                           to the head the feed brought (a deleted one);
  --projections            the visitors, tickets, cases, checklists and the
                           break made again from the events (in a scratch
                           file beside the data, removed after) and compared
                           row by row: it names each row and column that
                           differs, never the value;
  --central                the central holds exactly the window's events,
                           once each, with the same key; and the keys for
                           the feed's check come from the central, not from
                           the copy kept here.

At the central it signs in as LOGIN (a supervisor or an admin; the password
is read from standard input), with a session token read from standard input
(--token-stdin), or else as the workstation itself (DIR/workstation.json).

Exit 0 when everything holds; 1 naming every broken thing (BROKEN: …, on
standard error); 2 for a usage error.
`

func runAudit(e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, auditUsage)
		return errUsage
	}
	switch args[0] {
	case "verify":
		return auditVerify(e, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, auditUsage)
		return nil
	}
	fmt.Fprintf(e.stderr, "okno audit: unknown subcommand %q\n\n%s", args[0], auditUsage)
	return errUsage
}

// auditPage is how many events are read at a time.
const auditPage = 5000

// auditFlags are the flags of okno audit verify.
type auditFlags struct {
	data, central, login, ca   string
	tokenStdin, insecure, proj bool
	timeout                    time.Duration
}

func auditVerify(e *env, args []string) error {
	fs := e.newFlags("audit verify", "--data DIR [--projections] [--central URL [--login LOGIN | --token-stdin] [--ca FILE]]\n\n(okno audit --help says what each check does)")
	var f auditFlags
	fs.StringVar(&f.data, "data", defaultDataDir(e.getenv), "the workstation's data folder")
	fs.BoolVar(&f.proj, "projections", false, "also fold every projection again from the events and compare each row")
	fs.StringVar(&f.central, "central", "", "also compare with the central at this URL")
	fs.StringVar(&f.login, "login", "", "with --central: sign in as this supervisor or admin (password on stdin)")
	fs.BoolVar(&f.tokenStdin, "token-stdin", false, "with --central: read a session token from stdin instead of signing in")
	fs.StringVar(&f.ca, "ca", "", "a CA file to trust for the central's certificate")
	fs.BoolVar(&f.insecure, "insecure-http", false, insecureHTTPUsage)
	fs.DurationVar(&f.timeout, "timeout", 30*time.Minute, "give up after this long")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if f.login != "" && f.tokenStdin {
		return &exitError{code: 2, msg: "give --login or --token-stdin, not both"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	store, err := openStore(ctx, f.data)
	if err != nil {
		return err
	}
	defer store.Close()
	office, window := store.Office(), store.Window()
	if office == "" {
		return &exitError{code: 1, msg: fmt.Sprintf("the workstation in %s has no office and window: nothing to verify", f.data)}
	}
	key, err := link.LoadKey(f.data)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	a := &audit{e: e, store: store}
	chain, err := a.localChain(ctx, key.Public().(ed25519.PublicKey))
	if err != nil {
		return err
	}

	var keys map[string]api.OfficeKeys // nil: the ones kept here
	centralKey := ""
	if f.central != "" {
		c, err := auditClient(ctx, e, f.data, f.central, f.ca, f.login, f.tokenStdin, f.insecure)
		if err != nil {
			return err
		}
		defer signOut(c, f.tokenStdin)
		if err := a.centralCopy(ctx, c, f.central, chain, key.Public().(ed25519.PublicKey)); err != nil {
			return err
		}
		k, err := c.OfficeKeys(ctx, office)
		if err != nil {
			return fmt.Errorf("read the office's keys at the central: %w", err)
		}
		keys, centralKey = map[string]api.OfficeKeys{office: k}, k.CentralKey
		if err := a.compareKeys(ctx, k); err != nil {
			return err
		}
	}
	if err := a.tail(ctx, centralKey, window); err != nil {
		return err
	}
	if err := a.feed(ctx, keys); err != nil {
		return err
	}
	if f.proj {
		if err := a.projections(ctx, filepath.Join(f.data, fmt.Sprintf(".audit-scratch-%d.db", os.Getpid()))); err != nil {
			return err
		}
	}
	if a.broken > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d broken (above): see docs/operations.md, \"The audit trail\"", a.broken)}
	}
	return nil
}

// auditClient signs in at the central: as a person, with a token, or as
// the workstation.
func auditClient(ctx context.Context, e *env, data, url, ca, login string, tokenStdin, insecure bool) (*client.Client, error) {
	var cred link.Credential
	var credErr error
	if login == "" && !tokenStdin {
		if cred, credErr = link.LoadCredential(data); credErr != nil {
			return nil, &exitError{code: 2, msg: fmt.Sprintf("%v\n(to compare with the central, give --login or --token-stdin, or verify an enrolled workstation's data folder)", credErr)}
		}
		if ca == "" {
			ca = cred.CAFile
		}
		insecure = insecure || (cred.InsecureHTTP && cred.Central == url)
	}
	opts := []client.Option{client.WithTimeout(time.Minute)}
	if ca != "" {
		opts = append(opts, client.WithCAFile(ca))
	}
	if insecure {
		opts = append(opts, client.AllowInsecureHTTP())
	}
	c, err := client.New(url, opts...)
	if err != nil {
		return nil, transportError(err, "")
	}
	switch {
	case tokenStdin:
		tok, err := readSecret(e.stdin)
		if err != nil {
			return nil, err
		}
		c.SetToken(strings.TrimSpace(tok))
	case login != "":
		pw, err := readSecret(e.stdin)
		if err != nil {
			return nil, err
		}
		if _, err := c.SignIn(ctx, login, pw, 0); err != nil {
			return nil, signInError(login, url, err)
		}
	default:
		if _, err := c.SignIn(ctx, cred.Login, cred.Secret, cred.Window); err != nil {
			return nil, signInError(cred.Login, url, err)
		}
	}
	return c, nil
}

// signOut ends a session the audit opened (not one whose token it was given).
func signOut(c *client.Client, tokenStdin bool) {
	if !tokenStdin {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c.SignOut(ctx)
	}
}

func signInError(login, url string, err error) error {
	if errors.Is(err, client.ErrUnauthorized) {
		return &exitError{code: 1, msg: fmt.Sprintf("the central at %s refused %s's sign-in", url, login)}
	}
	return fmt.Errorf("sign in at %s: %w", url, err)
}
