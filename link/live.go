package link

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// LiveConfig tunes Live; the zero value is the production setting.
type LiveConfig struct {
	// DayEvery is about the least time between two fetches of today's
	// figures by service and operator (they are fetched when the day's
	// counts move, each time after DayEvery ± 25 %, so many supervisors do
	// not ask at once); default 60 s. The totals of the day are live in
	// every snapshot.
	DayEvery time.Duration
	// AttentionEvery is how often the attention list is fetched again;
	// default 60 s.
	AttentionEvery time.Duration
	// RejectedDays is how far back rejected events are listed; default 7.
	RejectedDays int
	// Logger hears of failed fetches (never personal data); default none.
	Logger *slog.Logger
}

// LiveSource is what Live reads: a *client.Client signed in at the central
// (over HTTP), or the central's own in-process reads for a person it
// authenticated itself (httpapi.Board, for the board over SSH).
type LiveSource interface {
	Offices(ctx context.Context) (api.OfficeList, error)
	WatchQueue(ctx context.Context, office string, fn func(api.QueueSnapshot) error, onLink func(error)) error
	Catalog(ctx context.Context, haveHash string) (api.CatalogResponse, error)
	OfficeReport(ctx context.Context, office, from, to string) (api.OfficeReport, error)
	Attention(ctx context.Context, office string, days int) (api.Attention, error)
}

// Live is a supervisor's live picture of an office from the central: the
// office's queue stream (client.WatchQueue, which reconnects by itself
// with backoff), plus today's report and the attention list fetched beside
// it, and the catalogue once. Its client must hold a supervisor's (or
// admin's) session: the link makes it over the session of the person
// signed in at this workstation (Link.LiveQueue). The screen consumes it as
// an interface and never sees the client.
type Live struct {
	c   *client.Client // the signed-in client, when the source is one; nil otherwise
	src LiveSource     // what the picture is read from: c, or the central's own reads
	cfg LiveConfig
}

// NewLive makes the feed over a signed-in client (Link.LiveQueue does, for
// the TUI; benchmarks and tools call it directly).
func NewLive(c *client.Client, cfg LiveConfig) *Live {
	l := NewLiveFrom(c, cfg)
	l.c = c
	return l
}

// NewLiveFrom makes the feed over any LiveSource: the central's board over
// SSH reads its store in-process (httpapi.Board).
func NewLiveFrom(src LiveSource, cfg LiveConfig) *Live {
	if cfg.DayEvery <= 0 {
		cfg.DayEvery = time.Minute
	}
	if cfg.AttentionEvery <= 0 {
		cfg.AttentionEvery = 60 * time.Second
	}
	if cfg.RejectedDays <= 0 {
		cfg.RejectedDays = 7
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Live{src: src, cfg: cfg}
}

// Offices lists the offices the session may watch.
func (l *Live) Offices(ctx context.Context) ([]api.OfficeInfo, error) {
	list, err := l.src.Offices(ctx)
	return list.Offices, err
}

// Watch follows office until ctx ends, then closes the channel. It
// returns at once; the updates come as they happen, merged while the
// reader is busy (see pump).
func (l *Live) Watch(ctx context.Context, office string) <-chan LiveUpdate {
	out := make(chan LiveUpdate)
	in := make(chan LiveUpdate, 8)
	send := func(u LiveUpdate) bool {
		select {
		case in <- u:
			return true
		case <-ctx.Done():
			return false
		}
	}
	refresh := make(chan struct{}, 1)
	poke := func() {
		select {
		case refresh <- struct{}{}:
		default:
		}
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		l.stream(ctx, office, send, poke)
	}()
	go func() {
		defer wg.Done()
		l.extras(ctx, office, send, refresh)
	}()
	go func() {
		wg.Wait()
		close(in)
	}()
	go pump(ctx, in, out)
	return out
}

// stream follows the queue stream, asking for fresh extras when the day's
// counts move or the link comes back.
func (l *Live) stream(ctx context.Context, office string, send func(LiveUpdate) bool, poke func()) {
	var last api.DayFigures
	first := true
	err := l.src.WatchQueue(ctx, office, func(s api.QueueSnapshot) error {
		f := s.Today
		if first || f.Visitors != last.Visitors || f.Served != last.Served || f.NoShows != last.NoShows {
			poke()
		}
		first, last = false, f
		send(LiveUpdate{Snapshot: &s})
		return nil
	}, func(err error) {
		if err == nil {
			send(LiveUpdate{Stream: StreamUp})
			poke()
			return
		}
		send(LiveUpdate{Stream: StreamLost, Err: err})
	})
	if ctx.Err() == nil && err != nil {
		send(LiveUpdate{Stream: StreamFailed, Err: err})
	}
}

// dayGap is DayEvery ± 25 %.
func (l *Live) dayGap() time.Duration {
	d := l.cfg.DayEvery
	return d - d/4 + rand.N(d/2+1)
}

// extras fetches the catalogue (once), today's figures by service and
// operator (when poked, at most every DayEvery) and the attention list
// (with the first figures and then every AttentionEvery). A read the
// central does not offer (404) or refuses (403) is not asked again.
func (l *Live) extras(ctx context.Context, office string, send func(LiveUpdate) bool, refresh <-chan struct{}) {
	tick := time.NewTicker(l.cfg.AttentionEvery)
	defer tick.Stop()
	var haveCat, noDay, noAtt bool
	var lastDay time.Time
	wantAtt := true
	unavailable := func(err error) bool {
		return errors.Is(err, domain.ErrNotFound) || errors.Is(err, client.ErrForbidden)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-refresh:
		case <-tick.C:
			wantAtt = true
		}
		if !haveCat {
			if resp, err := l.src.Catalog(ctx, ""); err == nil && resp.Catalog != nil {
				haveCat = send(LiveUpdate{Catalog: resp.Catalog})
			}
		}
		if !noDay {
			if wait := l.dayGap() - time.Since(lastDay); !lastDay.IsZero() && wait > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
			}
			lastDay = time.Now()
			rep, err := l.src.OfficeReport(ctx, office, "", "")
			switch {
			case err == nil && len(rep.Days) > 0:
				send(LiveUpdate{Day: &rep.Days[len(rep.Days)-1]})
			case unavailable(err):
				noDay = true
			case err != nil && ctx.Err() == nil:
				l.cfg.Logger.Debug("today's figures", "office", office, "err", err)
			}
		}
		if wantAtt && !noAtt {
			a, err := l.src.Attention(ctx, office, l.cfg.RejectedDays)
			switch {
			case err == nil:
				wantAtt = false
				send(LiveUpdate{Attention: &a})
			case unavailable(err):
				noAtt = true
			case ctx.Err() == nil:
				l.cfg.Logger.Debug("attention list", "office", office, "err", err)
			}
		}
	}
}

// MoveTicket sends a waiting ticket of office to a window, or (0) back to
// the shared queue: the supervisor's hand on the queue, recorded by the
// central as its own event.
func (l *Live) MoveTicket(ctx context.Context, office, ticketID string, window int, reason string) error {
	_, err := l.c.MoveTicket(ctx, office, ticketID, api.MoveTicketRequest{Window: window, Reason: reason})
	return err
}

// SetPriority gives a waiting ticket a new queue rank (0: ordinary; 1 is
// served first), with the reason.
func (l *Live) SetPriority(ctx context.Context, office, ticketID string, rank int, reason string) error {
	_, err := l.c.SetPriority(ctx, office, ticketID, api.PriorityRequest{Rank: rank, Reason: reason})
	return err
}

// CloseWindow closes a window whose clerk has gone; its tickets go back to
// the shared queue.
func (l *Live) CloseWindow(ctx context.Context, office string, window int, reason string) error {
	_, err := l.c.CloseWindow(ctx, office, window, api.CloseWindowRequest{Reason: reason})
	return err
}

// ReturnResult sends a result of office not collected in time back to its
// department, with the reason: the case is returned, recorded by the
// central as its own event.
func (l *Live) ReturnResult(ctx context.Context, office, caseID, reason string) error {
	_, err := l.c.ReturnResult(ctx, office, caseID, api.ReturnResultRequest{Reason: reason})
	return err
}

// ExtendCollect keeps a result of office at the office days more days,
// with the reason.
func (l *Live) ExtendCollect(ctx context.Context, office, caseID string, days int, reason string) error {
	_, err := l.c.ExtendCollect(ctx, office, caseID, api.ExtendCollectRequest{Days: days, Reason: reason})
	return err
}
