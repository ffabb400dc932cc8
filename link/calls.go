package link

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
)

// SignIn signs an operator in at window: at the central when it answers
// (and then keeps a hash of the password here for the days it does not),
// else against that kept hash (with no central configured, always). online
// says which it was.
func (l *Link) SignIn(ctx context.Context, login, password string, window int) (op domain.Operator, online bool, err error) {
	if l.c != nil {
		// A person's session is separate from the workstation's own: use a
		// client of its own so the link's token is not replaced.
		opts := []client.Option{client.WithRetry(client.RetryPolicy{Attempts: 1})}
		if l.cfg.Cred.CAFile != "" {
			opts = append(opts, client.WithCAFile(l.cfg.Cred.CAFile))
		}
		pc, cerr := client.New(l.c.BaseURL(), opts...)
		if cerr == nil {
			resp, err := pc.SignIn(ctx, login, password, window)
			switch {
			case err == nil:
				op = resp.Operator
				if op.Office != "*" && op.Office != l.st.Office() {
					return op, true, fmt.Errorf("operator %s belongs to office %s, this workstation to %s", login, op.Office, l.st.Office())
				}
				if err := l.st.RememberOperator(ctx, op, password, l.cfg.Hash); err != nil {
					return op, true, fmt.Errorf("remember the operator for offline sign-in: %w", err)
				}
				pc.SetToken(resp.Token)
				l.keepPerson(ctx, op, pc)
				return op, true, nil
			case errors.Is(err, client.ErrUnauthorized), errors.Is(err, client.ErrRejected), errors.Is(err, client.ErrForbidden):
				return op, true, domain.ErrBadCredentials
			case errors.Is(err, client.ErrRateLimited):
				return op, true, fmt.Errorf("too many sign-in attempts: wait a minute and try again")
			}
			// Offline or failing: fall through to the kept hash.
		}
	}
	op, err = l.st.SignInOffline(ctx, login, password)
	if err != nil {
		return op, false, err
	}
	if window != 0 {
		op.Window = window
	}
	return op, false, nil
}

// keepPerson keeps the session of a person whose screens read the central
// directly (a supervisor's live queue, a department's desk); a clerk's work
// goes through the workstation's credential, so a clerk's session is
// closed at once.
func (l *Link) keepPerson(ctx context.Context, op domain.Operator, pc *client.Client) {
	l.mu.Lock()
	old := l.person
	l.person = nil
	if op.Role == domain.RoleSupervisor || op.Role == domain.RoleAdmin || op.Role == domain.RoleDepartment {
		l.person = pc
	}
	l.mu.Unlock()
	if old != nil {
		_ = old.SignOut(ctx)
	}
	if l.person != pc {
		_ = pc.SignOut(ctx)
	}
}

// LiveQueue is the live picture of the office over the session of the
// supervisor signed in at this workstation; nil for a clerk, or when the
// sign-in was checked without the central.
func (l *Link) LiveQueue() LiveFeed {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.person == nil {
		return nil
	}
	return NewLive(l.person, l.cfg.Live)
}

// Desk is the department's desk over the session of the department's
// officer signed in at this workstation; nil for anyone else, or when the
// sign-in was checked without the central (the desk works online only).
func (l *Link) Desk() DeskAPI {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.person == nil {
		return nil
	}
	return &desk{c: l.person}
}

// DeskAPI is what a department's desk does at the central, over the
// officer's own session: the inbox of the department's cases, a case with
// its history, the statuses with their reasons, an extension, and the
// scans attached to a case. Every call needs the link: offline it fails
// with client.ErrOffline.
type DeskAPI interface {
	// Inbox lists the cases handed off to the officer's department,
	// newest hand-off first (at most 500).
	Inbox(ctx context.Context) ([]domain.CaseView, error)
	Case(ctx context.Context, id string) (api.CaseDetail, error)
	SetStatus(ctx context.Context, id string, req api.StatusRequest) (api.StatusResponse, error)
	ExtendDeadline(ctx context.Context, id string, req api.DeadlineRequest) (api.StatusResponse, error)
	// Blob fetches an attached scan by its SHA-256.
	Blob(ctx context.Context, sha256 string) ([]byte, error)
}

type desk struct{ c *client.Client }

func (d *desk) Inbox(ctx context.Context) ([]domain.CaseView, error) {
	list, err := d.c.Cases(ctx, client.CaseQuery{Limit: 500})
	return list.Cases, err
}

func (d *desk) Case(ctx context.Context, id string) (api.CaseDetail, error) { return d.c.Case(ctx, id) }

func (d *desk) SetStatus(ctx context.Context, id string, req api.StatusRequest) (api.StatusResponse, error) {
	return d.c.SetStatus(ctx, id, req)
}

func (d *desk) ExtendDeadline(ctx context.Context, id string, req api.DeadlineRequest) (api.StatusResponse, error) {
	return d.c.ExtendDeadline(ctx, id, req)
}

func (d *desk) Blob(ctx context.Context, sha256 string) ([]byte, error) {
	return d.c.GetBlob(ctx, sha256)
}

// LiveFeed is the supervisor's live picture of an office, as the screen
// consumes it (Live is the one over the central).
type LiveFeed interface {
	// Watch follows an office until ctx ends, then closes the channel.
	Watch(ctx context.Context, office string) <-chan LiveUpdate
	// Offices lists the offices the session may watch.
	Offices(ctx context.Context) ([]api.OfficeInfo, error)
}

// SignOut closes the person's session at the central, if one is kept.
func (l *Link) SignOut(ctx context.Context) {
	l.mu.Lock()
	pc := l.person
	l.person = nil
	l.mu.Unlock()
	if pc != nil {
		_ = pc.SignOut(ctx)
	}
}

// CallNext calls the next visitor for this window. Online it asks the
// office's shared queue, which reserves the ticket for this window so no
// other window calls it, and records the call here; offline (or when the
// central fails) it calls from the window's own queue. shared says which.
func (l *Link) CallNext(ctx context.Context, actor string, equipment []string) (t localdb.Ticket, shared bool, err error) {
	// Never reserve a visitor the window will not call.
	if cs, err := l.st.CallState(ctx); err != nil {
		return t, false, err
	} else if err := domain.CanCallNext(cs); err != nil {
		return t, false, err
	}
	if l.c != nil && l.Status().State != Offline {
		// Our own new tickets must reach the office queue before we ask it;
		// a push under way (Run's) finishes first: one push at a time.
		var sum Summary
		perr := l.authed(ctx, func() error {
			if err := l.ensureSession(ctx); err != nil {
				return err
			}
			return l.push(ctx, &sum)
		})
		if perr == nil {
			var resp api.CallNextResponse
			err := l.authed(ctx, func() error {
				var err error
				resp, err = l.c.CallNext(ctx, l.st.Office(), api.CallNextRequest{Window: l.st.Window(), Services: l.servable(equipment)})
				return err
			})
			switch {
			case err == nil:
				t, err = l.st.CallTicket(ctx, actor, resp.Ticket)
				return t, true, err
			case errors.Is(err, domain.ErrQueueEmpty):
				return t, true, domain.ErrQueueEmpty
			case !errors.Is(err, client.ErrOffline) && !errors.Is(err, client.ErrServer):
				return t, true, err
			}
		}
		l.set(func(s *Status) { s.State = Offline })
	}
	t, err = l.st.CallNext(ctx, actor, equipment)
	return t, false, err
}

// servable lists the services whose equipment this window has.
func (l *Link) servable(equipment []string) []string {
	var out []string
	for i := range l.st.Catalog().Services {
		svc := &l.st.Catalog().Services[i]
		if domain.CanServe(svc, equipment) {
			out = append(out, svc.Code)
		}
	}
	return out
}

// uploadBlobs sends the files of accepted attachment events the central
// does not hold yet: it asks first and uploads only what is missing.
func (l *Link) uploadBlobs(ctx context.Context, sum *Summary) error {
	sums, err := l.st.BlobsToUpload(ctx, 200)
	if err != nil {
		return err
	}
	for _, s := range sums {
		has, err := l.c.BlobExists(ctx, s)
		if err != nil {
			return err
		}
		if !has {
			data, err := os.ReadFile(l.st.BlobPath(s))
			if err != nil {
				// The file went missing here: it cannot be sent, and it must
				// not stop the rest of the sync. Say so every round.
				l.log.Error("attachment file missing from the blob folder", "sha256", s, "err", err)
				l.set(func(st *Status) {
					st.Problem, st.Detail = BlobMissing, s[:12]
					st.Err = "an attached file is missing from the blob folder: " + s[:12]
				})
				continue
			}
			if _, err := l.c.PutBlob(ctx, s, data); err != nil {
				return err
			}
			sum.Blobs++
		}
		if err := l.st.MarkUploaded(ctx, s); err != nil {
			return err
		}
	}
	return nil
}
