package store_test

import (
	"context"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// forEachStore runs f over SQLite, and PostgreSQL when OKNO_TEST_POSTGRES is set.
func forEachStore(t *testing.T, f func(t *testing.T, opt centraltest.Option)) {
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f(t, centraltest.Kind(t, kind))
		})
	}
}

// push sends events as token and returns the answers.
func push(t testing.TB, srv *centraltest.Server, token string, events ...domain.Event) []api.IngestResult {
	t.Helper()
	res, err := srv.Client(t, token).PushEvents(context.Background(), events)
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	return res.Results
}

// tickets makes n ticket.issued events of a chain.
func tickets(ch *centraltest.Chain, n int) []domain.Event {
	out := make([]domain.Event, n)
	for i := range out {
		out[i], _ = ch.Issue("advertising_permit", "")
	}
	return out
}
