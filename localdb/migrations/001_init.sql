-- The workstation's store: the event log (its own window's chain and what the
-- feed brought from the rest of the office), the outbox, and the projections
-- the screens read. Every write is one transaction over all of them.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE events (
	id         TEXT PRIMARY KEY,
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
	local      INTEGER NOT NULL,            -- 1: recorded here; 0: came with the feed
	feed_pos   INTEGER,                     -- the central's position, for feed events
	UNIQUE (office, window, seq)
) STRICT;
CREATE INDEX events_case ON events (case_id) WHERE case_id <> '';
CREATE INDEX events_ticket ON events (ticket_id) WHERE ticket_id <> '';

-- One row per local event until the central has answered it.
CREATE TABLE outbox (
	seq         INTEGER PRIMARY KEY,        -- the window's sequence number
	event_id    TEXT NOT NULL UNIQUE REFERENCES events (id),
	status      TEXT NOT NULL DEFAULT 'pending', -- pending, accepted, duplicate, rejected
	reason      TEXT NOT NULL DEFAULT '',
	tries       INTEGER NOT NULL DEFAULT 0,
	last_try    TEXT NOT NULL DEFAULT '',
	answered_at TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_pending ON outbox (seq) WHERE status = 'pending';
CREATE INDEX outbox_rejected ON outbox (seq) WHERE status = 'rejected';

CREATE TABLE visitors (
	n          INTEGER PRIMARY KEY,         -- rowid, shared with visitors_fts
	id         TEXT NOT NULL UNIQUE,
	full_name  TEXT NOT NULL,
	doc_type   TEXT NOT NULL,
	doc_number TEXT NOT NULL,
	phone      TEXT NOT NULL DEFAULT '',
	data       BLOB NOT NULL,               -- the whole domain.Visitor as JSON
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX visitors_doc ON visitors (doc_number);

-- Search: folded text (lower case, ё→е), prefix-indexed. The rowid is visitors.n.
CREATE VIRTUAL TABLE visitors_fts USING fts5 (
	name, doc, phone,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 0',
	prefix = '2 3'
);

CREATE TABLE tickets (
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
) STRICT;
CREATE INDEX tickets_waiting ON tickets (state, rank, issued_at);
CREATE INDEX tickets_day ON tickets (day, number);

CREATE TABLE cases (
	id         TEXT PRIMARY KEY,
	number     TEXT NOT NULL UNIQUE,
	visitor_id TEXT NOT NULL,
	service    TEXT NOT NULL,
	state      TEXT NOT NULL,
	deadline   TEXT NOT NULL,
	opened_at  TEXT NOT NULL,
	view       BLOB NOT NULL                -- the whole domain.CaseView as JSON
) STRICT;
CREATE INDEX cases_visitor ON cases (visitor_id, service);
CREATE INDEX cases_state ON cases (state, deadline);

CREATE TABLE checklist (
	case_id    TEXT NOT NULL REFERENCES cases (id),
	doc        TEXT NOT NULL,
	presented  INTEGER NOT NULL,
	form       TEXT NOT NULL DEFAULT '',
	count      INTEGER NOT NULL DEFAULT 0,
	barcode    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (case_id, doc)
) STRICT;

CREATE TABLE attachments (
	case_id TEXT NOT NULL REFERENCES cases (id),
	doc     TEXT NOT NULL,
	sha256  TEXT NOT NULL,
	name    TEXT NOT NULL,
	size    INTEGER NOT NULL,
	PRIMARY KEY (case_id, doc, sha256)
) STRICT;

-- Operators who signed in here while online, so they can sign in offline.
CREATE TABLE operators (
	login      TEXT PRIMARY KEY,
	name       TEXT NOT NULL DEFAULT '',
	role       TEXT NOT NULL,
	office     TEXT NOT NULL,
	hash       TEXT NOT NULL,               -- argon2id, PHC string
	updated_at TEXT NOT NULL
) STRICT;

-- Per-window, per-day counters: case numbers and ticket numbers.
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,                 -- e.g. case:261122, ticket:261122:A
	value INTEGER NOT NULL
) STRICT;
