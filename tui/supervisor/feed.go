package supervisor

import (
	"context"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/link"
)

// Feed is where the screen's live picture comes from: the link's live
// queue (link.Live, over the supervisor's session at the central), or a
// fake in tests. The screen never talks to the central itself.
type Feed interface {
	// Watch follows an office until ctx ends, then closes the channel. It
	// returns at once; the updates come as they happen. The receiver reads
	// one update at a time (bubbletea's realtime pattern): a feed merges
	// what arrives meanwhile, so a slow reader gets the latest picture and
	// never a backlog.
	Watch(ctx context.Context, office string) <-chan link.LiveUpdate
	// Offices lists the offices the supervisor may watch.
	Offices(ctx context.Context) ([]api.OfficeInfo, error)
}
