package fake

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Department moves a handed-off case through states as a department would,
// delivering the status changes through the feed, as they reach a real
// workstation, and returns the case after the last.
func Department(tb testing.TB, e *Env, cs *domain.CaseView, states ...domain.CaseState) *domain.CaseView {
	tb.Helper()
	ps := make([]domain.StatusPayload, len(states))
	for i, st := range states {
		ps[i] = domain.StatusPayload{Status: st}
	}
	return DepartmentSays(tb, e, cs, ps...)
}

// DepartmentSays is Department with the status changes' reasons (the
// documents asked for, the result's form, the ground of a refusal).
func DepartmentSays(tb testing.TB, e *Env, cs *domain.CaseView, changes ...domain.StatusPayload) *domain.CaseView {
	tb.Helper()
	ctx := context.Background()
	page := api.FeedPage{}
	cursor, err := e.Store.FeedCursor(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	prev := ""
	for i, p := range changes {
		ev := domain.Event{
			ID: uuid.Must(uuid.NewV7()).String(), Office: cs.Office, Window: 0, Seq: int64(i + 1),
			At: e.Clock.Now().Add(time.Duration(i+1) * time.Minute).UTC(), Kind: domain.EvCaseStatusChanged,
			Actor: "dept", CaseID: cs.ID, Payload: domain.MustPayload(p),
		}
		ev.Seal(prev)
		prev = ev.Hash
		cursor++
		page.Events = append(page.Events, api.FeedEvent{Event: ev, Pos: cursor})
	}
	page.Cursor = cursor
	res, err := e.Store.ApplyFeed(ctx, page)
	if err != nil {
		tb.Fatal(err)
	}
	if len(res.Failed) > 0 {
		tb.Fatal(fmt.Sprint("the department's events did not apply: ", res.Failed))
	}
	out, err := e.Store.Case(ctx, cs.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
