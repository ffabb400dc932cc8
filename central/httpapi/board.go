package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/figures"
	"github.com/okno-mfc/okno/domain"
)

// Board is the supervisor's live reads in this process, for a person the
// central authenticated by other means than a session (the board over SSH,
// okno serve --ssh-addr): the same office scope and the same shared
// snapshots as the REST API's queue stream, report, attention list and
// offices, without HTTP. Its methods are those of link.LiveSource, so
// link.NewLive makes the screen's feed of it.
type Board struct {
	s  *Server
	op domain.Operator
}

// ErrBoardRole refuses a board to a role that may not watch the queue.
var ErrBoardRole = errors.New("only supervisors and administrators watch the live queue")

// Board returns the live reads for op (a supervisor or an administrator;
// office * sees every office).
func (s *Server) Board(op domain.Operator) (*Board, error) {
	if !slices.Contains(rolesWatch, op.Role) {
		return nil, fmt.Errorf("%s is a %s: %w", op.Login, op.Role, ErrBoardRole)
	}
	if op.Office == "" {
		return nil, fmt.Errorf("%s has no office", op.Login)
	}
	return &Board{s: s, op: op}, nil
}

func (b *Board) sees(office string) error {
	if !domain.ValidOffice(office) {
		return fmt.Errorf("no office %q: %w", clip(office, 16), domain.ErrNotFound)
	}
	if b.op.Office != "*" && b.op.Office != office {
		return fmt.Errorf("you see the queue of office %s only: %w", b.op.Office, ErrBoardRole)
	}
	return nil
}

// Offices lists the offices op may watch, as GET /v1/offices does.
func (b *Board) Offices(ctx context.Context) (api.OfficeList, error) {
	list, err := b.s.store.Offices(ctx)
	if err != nil || b.op.Office == "*" {
		return list, err
	}
	mine := api.OfficeList{Offices: []api.OfficeInfo{{Code: b.op.Office}}}
	for _, o := range list.Offices {
		if o.Code == b.op.Office {
			mine.Offices[0] = o
		}
	}
	return mine, nil
}

// boardRetry is how long WatchQueue waits after a failed read before it
// tries again (the REST stream's retry: 2000).
const boardRetry = 2 * time.Second

// WatchQueue calls fn with the office's snapshot at once and after every
// committed change (at most one per StreamCoalesce), as the queue stream
// does, until ctx ends (nil) or the server shuts down (an error). onLink
// hears nil when the watch is up, and an error when a read failed (the
// watch tries again after 2 s).
func (b *Board) WatchQueue(ctx context.Context, office string, fn func(api.QueueSnapshot) error, onLink func(error)) error {
	if err := b.sees(office); err != nil {
		return err
	}
	s := b.s
	changes, cancel := s.hub.subscribe(office)
	defer cancel()
	s.metrics.stream(1)
	defer s.metrics.stream(-1)
	up := false
	for {
		data, err := s.snapshotJSON(ctx, office)
		var snap api.QueueSnapshot
		if err == nil {
			err = json.Unmarshal(data, &snap)
		}
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			if onLink != nil {
				onLink(err)
			}
			up = false
			select {
			case <-time.After(boardRetry):
				continue
			case <-ctx.Done():
				return nil
			case <-s.hub.done:
				return errShuttingDown
			}
		}
		if !up && onLink != nil {
			onLink(nil)
		}
		up = true
		if err := fn(snap); err != nil {
			return err
		}
		select {
		case <-time.After(s.cfg.StreamCoalesce):
		case <-ctx.Done():
			return nil
		case <-s.hub.done:
			return errShuttingDown
		}
		select {
		case <-changes:
		case <-ctx.Done():
			return nil
		case <-s.hub.done:
			return errShuttingDown
		}
	}
}

var errShuttingDown = errors.New("the central is shutting down")

// Catalog is the catalogue in force; without it when haveHash is its hash.
func (b *Board) Catalog(_ context.Context, haveHash string) (api.CatalogResponse, error) {
	p := b.s.cat.Load()
	if p == nil {
		return api.CatalogResponse{}, fmt.Errorf("no catalogue yet: %w", domain.ErrNotFound)
	}
	out := api.CatalogResponse{Version: p.Version, Hash: p.Hash}
	if haveHash != p.Hash {
		out.Catalog = p.Catalog
	}
	return out, nil
}

// OfficeReport is today's figures of the office (the live screen asks for
// today only: from and to must be empty).
func (b *Board) OfficeReport(ctx context.Context, office, from, to string) (api.OfficeReport, error) {
	if err := b.sees(office); err != nil {
		return api.OfficeReport{}, err
	}
	if from != "" || to != "" {
		return api.OfficeReport{}, errors.New("the board reports today only")
	}
	loc := b.s.cfg.Location
	today := figures.StartOfDay(b.s.store.Now(), loc)
	return b.s.store.Report(ctx, office, today, today, b.s.catalog(), loc)
}

// Attention is what needs attention in the office (days of rejected
// events, 1–90).
func (b *Board) Attention(ctx context.Context, office string, days int) (api.Attention, error) {
	if err := b.sees(office); err != nil {
		return api.Attention{}, err
	}
	return b.s.store.Attention(ctx, office, min(max(days, 1), 90), b.s.keeping(ctx, office), b.s.cfg.Location)
}
