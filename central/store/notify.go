package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"
)

// Changes across processes (issue 17). Every process sharing a PostgreSQL
// database learns of the others' commits by LISTEN/NOTIFY, not by polling:
// a write transaction that changed some offices' queue or cases sends, in
// the transaction, a notification on notifyChannel naming them; PostgreSQL
// delivers it to every listener when (and only if) the transaction
// commits. Listen hands them to the OnCommit listeners as if the
// commit were this process's own. The payload is the sending process's
// instance id and the offices, comma-separated, or AllOffices when a
// transaction changed every office (a catalogue) or the list is too long.
//
// A listener that loses its connection may miss notifications; when it
// connects again it announces AllOffices, so every stream looks again.

const notifyChannel = "okno_changes"

// maxNotify is the longest payload sent (PostgreSQL's limit is 8,000 bytes).
const maxNotify = 7000

// newInstance names this process in its notifications.
func newInstance() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// notify sends the changed offices to the other processes (PostgreSQL),
// delivered at commit.
func (t *Tx) notify(offices []string) error {
	if !t.s.d.dollar {
		return nil
	}
	list := strings.Join(offices, ",")
	if t.lockedAll || len(list) > maxNotify {
		list = AllOffices
	}
	if err := t.exec(`SELECT pg_notify(?, ?)`, notifyChannel, t.s.instance+" "+list); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// Listen hands the commits of other processes sharing the database to the
// OnCommit listeners until ctx ends; the set of offices is
// {AllOffices: true} when every office may have changed (a catalogue
// published; the listener reconnected). It returns at once on SQLite,
// where one process owns the file.
func (s *Store) Listen(ctx context.Context, log *slog.Logger) {
	if s.dsn == "" {
		return
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &pgxlisten.Listener{
		Connect: func(ctx context.Context) (*pgx.Conn, error) { return pgx.Connect(ctx, s.dsn) },
		LogError: func(ctx context.Context, err error) {
			if ctx.Err() == nil {
				log.Warn("listening for other replicas' changes", "err", err)
			}
		},
		ReconnectDelay: time.Second,
	}
	l.Handle(notifyChannel, listenHandler{s})
	_ = l.Listen(ctx) // returns when ctx ends
}

type listenHandler struct{ s *Store }

func (h listenHandler) HandleNotification(_ context.Context, n *pgconn.Notification, _ *pgx.Conn) error {
	from, list, _ := strings.Cut(n.Payload, " ")
	if from == h.s.instance {
		return nil // announced at commit already
	}
	offices := map[string]bool{}
	for _, o := range strings.Split(list, ",") {
		if o != "" {
			offices[o] = true
		}
	}
	h.s.announce(offices)
	return nil
}

// HandleBacklog runs after each (re)connection: what was missed meanwhile
// is unknown, so every office is announced.
func (h listenHandler) HandleBacklog(context.Context, string, *pgx.Conn) error {
	h.s.announce(map[string]bool{AllOffices: true})
	return nil
}
