package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
)

func init() {
	register(command{name: "audit", summary: "check the window's audit trail: 'audit verify' (hash chain, signatures, the central's copy)", run: runAudit})
}

const auditUsage = `Usage:
  okno audit verify --data DIR [--central URL [--login LOGIN | --token-stdin] [--ca FILE]]

Checks the workstation's own chain of events: every seq from 1 with no gap,
every hash, every link to the event before, every signature with the
workstation's key (DIR/workstation.key). With --central it also checks that
the central holds exactly these events, once each, and the same key.

At the central it signs in as LOGIN (a supervisor or an admin; the password
is read from standard input), with a session token read from standard input
(--token-stdin), or else as the workstation itself (DIR/workstation.json).

Exit 0 when everything holds; 1 naming the first broken event (seq, id, what
is wrong); 2 for a usage error.
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

func auditVerify(e *env, args []string) error {
	fs := e.newFlags("audit verify", "--data DIR [--central URL [--login LOGIN | --token-stdin] [--ca FILE]]")
	data := fs.String("data", defaultDataDir(e.getenv), "the workstation's data folder")
	centralURL := fs.String("central", "", "also compare with the central at this URL")
	login := fs.String("login", "", "with --central: sign in as this supervisor or admin (password on stdin)")
	tokenStdin := fs.Bool("token-stdin", false, "with --central: read a session token from stdin instead of signing in")
	ca := fs.String("ca", "", "a CA file to trust for the central's certificate")
	insecure := fs.Bool("insecure-http", false, insecureHTTPUsage)
	timeout := fs.Duration("timeout", 5*time.Minute, "give up after this long")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *login != "" && *tokenStdin {
		return &exitError{code: 2, msg: "give --login or --token-stdin, not both"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	store, err := openStore(ctx, *data)
	if err != nil {
		return err
	}
	defer store.Close()
	office, window := store.Office(), store.Window()
	if office == "" {
		return &exitError{code: 1, msg: fmt.Sprintf("the workstation in %s has no office and window: nothing to verify", *data)}
	}
	key, err := link.LoadKey(*data)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	pub := key.Public().(ed25519.PublicKey)

	// The local chain, page by page; kept without payloads for the comparison.
	v := domain.ChainVerifier{Office: office, Window: window, Key: pub}
	var chain []domain.Event
	var after int64
	for {
		page, err := store.LocalEvents(ctx, after, auditPage)
		if err != nil {
			return err
		}
		for i := range page {
			if err := v.Add(&page[i]); err != nil {
				return broken("the local chain", err)
			}
			page[i].Payload = nil
			chain = append(chain, page[i])
		}
		if len(page) < auditPage {
			break
		}
		after = page[len(page)-1].Seq
	}
	fmt.Fprintf(e.stdout, "local chain of %s window %d: %d events, seq 1–%d, every hash, link and signature holds\n",
		office, window, len(chain), len(chain))
	if *centralURL == "" {
		return nil
	}

	c, err := auditClient(ctx, e, *data, *centralURL, *ca, *login, *tokenStdin, *insecure)
	if err != nil {
		return err
	}
	defer signOut(c, *tokenStdin)
	held, err := c.WindowChain(ctx, office, window)
	if err != nil {
		return fmt.Errorf("read the central's copy of the chain: %w", err)
	}
	if held.PublicKey != domain.EncodePublicKey(pub) {
		what := "another key"
		if held.PublicKey == "" {
			what = "no key"
		}
		return &exitError{code: 1, msg: fmt.Sprintf("BROKEN: the central has %s enrolled for %s window %d, not this workstation's (%s was replaced, or another workstation enrolled as this window)",
			what, office, window, link.KeyFile)}
	}
	if err := domain.CompareChains(chain, held.Events); err != nil {
		return broken("the central's copy", err)
	}
	rejected := 0
	for _, h := range held.Events {
		if h.Status == domain.IngestRejected {
			rejected++
		}
	}
	fmt.Fprintf(e.stdout, "the central at %s holds exactly these %d events, once each, with the same key", *centralURL, len(chain))
	if rejected > 0 {
		fmt.Fprintf(e.stdout, " (%d of them rejected there: they need attention, see okno sync)", rejected)
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// broken is the exit of a verification that found a broken event.
func broken(where string, err error) error {
	var ce *domain.ChainError
	if errors.As(err, &ce) {
		return &exitError{code: 1, msg: fmt.Sprintf("BROKEN: %s: %v", where, ce)}
	}
	return err
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
