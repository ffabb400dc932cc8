package supervisor

import (
	"context"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Feed is where the screen's live picture comes from. Live is the real one
// (the central's queue stream and reads); tests give a fake.
type Feed interface {
	// Watch follows an office until ctx ends, then closes the channel. It
	// returns at once; the updates come as they happen. The receiver reads
	// one update at a time (bubbletea's realtime pattern): a feed merges
	// what arrives meanwhile, so a slow reader gets the latest picture and
	// never a backlog.
	Watch(ctx context.Context, office string) <-chan Update
	// Offices lists the offices the supervisor may watch.
	Offices(ctx context.Context) ([]api.OfficeInfo, error)
}

// LinkEvent is news of the feed's link to the central.
type LinkEvent int

// Link events.
const (
	LinkNone   LinkEvent = iota // no news of the link in this update
	LinkUp                      // the stream is (again) connected
	LinkLost                    // the stream dropped; the feed reconnects by itself
	LinkFailed                  // the central refused (signed out, forbidden): the feed stopped
)

// Update is one delivery of a feed: any of a new snapshot, today's figures
// by service and operator, the attention list, the catalogue, and news of
// the link. Nil fields did not change.
type Update struct {
	Snapshot  *api.QueueSnapshot
	Day       *api.ReportDay
	Attention *api.Attention
	Catalog   *domain.Catalog
	Link      LinkEvent
	Err       error // why, with LinkLost and LinkFailed
}

// merge folds a later update into u: later values win, and a failure stays.
func (u *Update) merge(v Update) {
	if v.Snapshot != nil {
		u.Snapshot = v.Snapshot
	}
	if v.Day != nil {
		u.Day = v.Day
	}
	if v.Attention != nil {
		u.Attention = v.Attention
	}
	if v.Catalog != nil {
		u.Catalog = v.Catalog
	}
	if v.Link != LinkNone && u.Link != LinkFailed {
		u.Link, u.Err = v.Link, v.Err
	}
}

func (u *Update) empty() bool {
	return u.Snapshot == nil && u.Day == nil && u.Attention == nil && u.Catalog == nil && u.Link == LinkNone
}

// pump delivers what comes in on in to out, merging what the reader has
// not taken yet; it closes out when in is closed (after the last update
// was taken or ctx ended) or when ctx ends.
func pump(ctx context.Context, in <-chan Update, out chan<- Update) {
	defer close(out)
	var pending Update
	for {
		if pending.empty() {
			select {
			case u, ok := <-in:
				if !ok {
					return
				}
				pending.merge(u)
			case <-ctx.Done():
				return
			}
			continue
		}
		select {
		case out <- pending:
			pending = Update{}
		case u, ok := <-in:
			if !ok {
				select {
				case out <- pending:
				case <-ctx.Done():
				}
				return
			}
			pending.merge(u)
		case <-ctx.Done():
			return
		}
	}
}
