-- With synchronous=FULL a clerk's write costs an fsync plus every page it
-- dirties; this migration cuts the pages of the two commonest writes.
--
-- events: a local event writes one B-tree page instead of three. The row
-- key n is the window's own seq for its local events (so they lie in chain
-- order and the chain's head is the last row) and counts down from -1 for
-- the events the feed brings. The unique (office, window, seq) index goes:
-- local seqs are unique as row keys (and as the outbox's key), and the
-- central keeps every other window's seqs unique. Ids are unique in an
-- index of the feed's events only, which is what the feed is checked
-- against; a local event is found by its seq.
CREATE TABLE events_new (
	n          INTEGER PRIMARY KEY,         -- local: seq; from the feed: -1, -2, … in arrival order
	id         TEXT NOT NULL,
	office     TEXT NOT NULL,
	window     INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	at         TEXT NOT NULL,
	kind       TEXT NOT NULL,
	actor      TEXT NOT NULL DEFAULT '',
	case_id    TEXT NOT NULL DEFAULT '',
	ticket_id  TEXT NOT NULL DEFAULT '',
	visitor_id TEXT NOT NULL DEFAULT '',
	payload    BLOB,
	prev_hash  TEXT NOT NULL DEFAULT '',
	hash       TEXT NOT NULL,
	sig        TEXT NOT NULL DEFAULT '',
	local      INTEGER NOT NULL,            -- 1: recorded here (n = seq); 0: came with the feed (n < 0)
	feed_pos   INTEGER                      -- the central's position, for feed events
) STRICT;
INSERT INTO events_new (n, id, office, window, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash, hash, sig, local, feed_pos)
	SELECT CASE WHEN local = 1 THEN seq ELSE -row_number() OVER (PARTITION BY local ORDER BY rowid) END,
		id, office, window, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash, hash, sig, local, feed_pos
	FROM events;

-- outbox: the row alone, keyed by the event's seq. Pending rows are found
-- from a low-water mark kept in meta (outbox_low: every seq up to it is
-- answered) instead of a partial index every write paid a page for.
CREATE TABLE outbox_new (
	seq         INTEGER PRIMARY KEY REFERENCES events_new (n), -- the event's seq, and its row key
	event_id    TEXT NOT NULL,
	status      TEXT NOT NULL DEFAULT 'pending', -- pending, accepted, duplicate, rejected
	reason      TEXT NOT NULL DEFAULT '',
	tries       INTEGER NOT NULL DEFAULT 0,
	last_try    TEXT NOT NULL DEFAULT '',
	answered_at TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO outbox_new SELECT seq, event_id, status, reason, tries, last_try, answered_at FROM outbox;
DROP TABLE outbox;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE UNIQUE INDEX events_feed_id ON events (id) WHERE local = 0;
CREATE INDEX events_case ON events (case_id) WHERE case_id <> '';
CREATE INDEX outbox_rejected ON outbox (seq) WHERE status = 'rejected'; -- rejections are rare: no cost to a write
INSERT INTO meta (key, value)
	SELECT 'outbox_low', coalesce((SELECT min(seq) - 1 FROM outbox WHERE status = 'pending'), (SELECT max(seq) FROM outbox), 0)
	ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- tickets: keyed by their time-ordered id in the table itself, without a
-- second B-tree for the key.
CREATE TABLE tickets_new (
	id          TEXT PRIMARY KEY,
	number      TEXT NOT NULL,
	day         TEXT NOT NULL,              -- YYYY-MM-DD of issue, local time
	service     TEXT NOT NULL,
	category    TEXT NOT NULL DEFAULT '',
	rank        INTEGER NOT NULL DEFAULT 0,
	proof       TEXT NOT NULL DEFAULT '',
	state       TEXT NOT NULL,              -- waiting, called, postponed, served, no_show, redirected
	window      INTEGER NOT NULL DEFAULT 0, -- the window that called it, or it is directed to
	issued_at   TEXT NOT NULL,
	called_at   TEXT NOT NULL DEFAULT '',
	closed_at   TEXT NOT NULL DEFAULT '',
	origin      INTEGER NOT NULL            -- the window that issued it
) STRICT, WITHOUT ROWID;
INSERT INTO tickets_new SELECT id, number, day, service, category, rank, proof, state, window, issued_at, called_at, closed_at, origin FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;
CREATE INDEX tickets_waiting ON tickets (state, rank, issued_at);
