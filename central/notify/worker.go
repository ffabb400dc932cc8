package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// Worker sends the outbox's notices. Several workers (in one process or
// in replicas sharing a PostgreSQL database) may run at once: each notice
// is leased to one of them.
type Worker struct {
	st   *store.Store
	cfg  Config
	log  *slog.Logger
	mail *mailer
	sms  *gateway
	wake chan struct{}
	now  func() time.Time
}

// New makes a worker for cfg (checked with Config.Check).
func New(st *store.Store, cfg Config, log *slog.Logger) (*Worker, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{st: st, cfg: cfg, log: log, wake: make(chan struct{}, 1), now: st.Now}
	if cfg.EmailEnabled() {
		m, err := newMailer(cfg.SMTP)
		if err != nil {
			return nil, err
		}
		w.mail = m
	}
	if cfg.SMSEnabled() {
		w.sms = newGateway(cfg.SMS)
	}
	return w, nil
}

// Wake makes the worker look for due notices now (after a commit that may
// have made some).
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends due notices until ctx ends; a send under way when it ends is
// finished and recorded first (it has its own time limit), so a restart
// sends nothing twice.
func (w *Worker) Run(ctx context.Context) {
	stop := w.st.OnCommit(func(map[string]bool) { w.Wake() })
	defer stop()
	t := time.NewTicker(w.cfg.Poll)
	defer t.Stop()
	for {
		for {
			n, err := w.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				w.log.Warn("notices: cannot claim", "err", err)
			}
			if n < w.cfg.Batch || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

// RunOnce claims the notices due now (a batch) and sends them; it says
// how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	ms, err := w.st.ClaimNotices(context.WithoutCancel(ctx), w.cfg.Batch, w.cfg.Lease)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for _, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.deliver(m)
		}()
	}
	wg.Wait()
	return len(ms), nil
}

// deliver sends one notice and records what happened. It does not stop
// for the caller's context: a sent notice must be recorded as sent.
func (w *Worker) deliver(m store.Notice) {
	ctx, cancel := context.WithTimeout(context.Background(), w.cfg.Lease/2)
	defer cancel()
	record := func(err error) {
		if err != nil {
			w.log.Error("notices: outcome not recorded", "notice", m.ID, "err", err)
		}
	}
	if m.Address == "" {
		record(w.st.NoticeCancelled(ctx, m, "no consent: the visitor withdrew it"))
		return
	}
	err := w.send(ctx, m)
	if err == nil {
		record(w.st.NoticeSent(ctx, m))
		w.log.Info("notice sent", "notice", m.ID, "kind", m.Kind, "channel", string(m.Channel), "office", m.Office)
		return
	}
	why := strings.ReplaceAll(err.Error(), m.Address, "<address>") // never the address in the table or the log
	var se *sendError
	temp := !errors.As(err, &se) || se.temporary
	var retry time.Time
	if temp && m.Attempts < w.cfg.MaxAttempts {
		retry = w.now().Add(w.backoff(m.Attempts))
	}
	record(w.st.NoticeFailed(ctx, m, why, retry))
	if retry.IsZero() {
		w.log.Error("notice failed: given up", "notice", m.ID, "kind", m.Kind, "channel", string(m.Channel), "office", m.Office, "attempts", m.Attempts, "err", why)
	} else {
		w.log.Warn("notice not sent: will try again", "notice", m.ID, "channel", string(m.Channel), "attempts", m.Attempts, "retry_at", retry, "err", why)
	}
}

// backoff is the wait after the n-th failed try: Backoff doubling, at
// most MaxBackoff, with a jitter of ±20 %.
func (w *Worker) backoff(n int) time.Duration {
	d := w.cfg.Backoff
	for i := 1; i < n && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.cfg.MaxBackoff)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

func (w *Worker) send(ctx context.Context, m store.Notice) error {
	office := m.Office
	if o, err := w.st.Office(ctx, m.Office); err == nil && o.Name != "" {
		office = o.Name + " (" + m.Office + ")"
	}
	subject, body, err := Text(m, office)
	if err != nil {
		return permanent(err)
	}
	switch m.Channel {
	case domain.NoticeEmail:
		if w.mail == nil {
			return temporary(errors.New("e-mail notices are not configured (okno serve --smtp-addr, or smtp in the notices file)"))
		}
		return w.mail.send(ctx, m.Address, subject, body, fmt.Sprintf("notice-%d-%s@okno", m.ID, m.Office))
	case domain.NoticeSMS:
		if w.sms == nil {
			return temporary(errors.New("SMS notices are not configured (okno serve --sms-url, or sms in the notices file)"))
		}
		return w.sms.send(ctx, m.Address, body)
	default:
		return permanent(fmt.Errorf("unknown channel %q", m.Channel))
	}
}
