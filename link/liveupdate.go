package link

import (
	"context"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// StreamEvent is news of the live feed's stream from the central.
type StreamEvent int

// Stream events.
const (
	StreamNone   StreamEvent = iota // no news of the stream in this update
	StreamUp                        // the stream is (again) connected
	StreamLost                      // the stream dropped; the feed reconnects by itself
	StreamFailed                    // the central refused (signed out, forbidden): the feed stopped
)

// LiveUpdate is one delivery of a live feed: any of a new snapshot, today's
// figures by service and operator, the attention list, the catalogue, and
// news of the stream. Nil fields did not change.
type LiveUpdate struct {
	Snapshot  *api.QueueSnapshot
	Day       *api.ReportDay
	Attention *api.Attention
	Catalog   *domain.Catalog
	Stream    StreamEvent
	Err       error // why, with StreamLost and StreamFailed
}

// merge folds a later update into u: later values win, and a failure stays.
func (u *LiveUpdate) merge(v LiveUpdate) {
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
	if v.Stream != StreamNone && u.Stream != StreamFailed {
		u.Stream, u.Err = v.Stream, v.Err
	}
}

func (u *LiveUpdate) empty() bool {
	return u.Snapshot == nil && u.Day == nil && u.Attention == nil && u.Catalog == nil && u.Stream == StreamNone
}

// pump delivers what comes in on in to out, merging what the reader has
// not taken yet, so a slow reader gets the latest picture and never a
// backlog; it closes out when in is closed (after the last update was
// taken or ctx ended) or when ctx ends.
func pump(ctx context.Context, in <-chan LiveUpdate, out chan<- LiveUpdate) {
	defer close(out)
	var pending LiveUpdate
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
			pending = LiveUpdate{}
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
