-- The central's tables. Times are Unix nanoseconds (BIGINT) so they compare
-- and round-trip exactly on both engines; {{autopk}} and {{blob}} are
-- replaced per engine (dialect.go).

CREATE TABLE users (
	login      TEXT PRIMARY KEY,
	name       TEXT NOT NULL DEFAULT '',
	role       TEXT NOT NULL,
	office     TEXT NOT NULL,
	pass_hash  TEXT NOT NULL,          -- argon2id, PHC string
	created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,       -- hex SHA-256 of the bearer token; the token itself is never stored
	login      TEXT NOT NULL,
	name       TEXT NOT NULL DEFAULT '',
	role       TEXT NOT NULL,
	office     TEXT NOT NULL,
	win        INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,        -- absolute end
	last_used  BIGINT NOT NULL         -- idle expiry slides from here
);
CREATE INDEX sessions_login ON sessions (login);

CREATE TABLE workstations (
	login      TEXT PRIMARY KEY,       -- ws-OFFICE-WW
	office     TEXT NOT NULL,
	win        INTEGER NOT NULL,
	public_key TEXT NOT NULL DEFAULT '',
	token_hash TEXT NOT NULL,
	equipment  TEXT NOT NULL DEFAULT '', -- comma-separated
	created_at BIGINT NOT NULL,
	last_seen  BIGINT NOT NULL DEFAULT 0,
	UNIQUE (office, win)
);

-- Every event the central recorded: the windows' (accepted or rejected) and
-- its own (window 0). pos is the feed's order.
CREATE TABLE events (
	pos         {{autopk}},
	id          TEXT NOT NULL UNIQUE,
	office      TEXT NOT NULL,
	win         INTEGER NOT NULL,
	seq         BIGINT NOT NULL,
	at          BIGINT NOT NULL,
	kind        TEXT NOT NULL,
	actor       TEXT NOT NULL DEFAULT '',
	case_id     TEXT NOT NULL DEFAULT '',
	ticket_id   TEXT NOT NULL DEFAULT '',
	visitor_id  TEXT NOT NULL DEFAULT '',
	payload     TEXT,                  -- NULL for a rejected event: it changed nothing, and may hold invalid personal data
	prev_hash   TEXT NOT NULL DEFAULT '',
	hash        TEXT NOT NULL,
	sig         TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL,         -- accepted | rejected
	reason      TEXT NOT NULL DEFAULT '',
	in_stream   SMALLINT NOT NULL,     -- 1: holds its seq in its window's chain
	received_at BIGINT NOT NULL,
	received_by TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX events_stream ON events (office, win, seq) WHERE in_stream = 1;
CREATE INDEX events_feed ON events (office, pos) WHERE status = 'accepted';
CREATE INDEX events_case ON events (case_id, pos) WHERE case_id <> '';

-- The head of each window's chain (window 0: the central's own stream).
CREATE TABLE streams (
	office    TEXT NOT NULL,
	win       INTEGER NOT NULL,
	last_seq  BIGINT NOT NULL,
	last_hash TEXT NOT NULL,
	PRIMARY KEY (office, win)
);

CREATE TABLE cases (
	id         TEXT PRIMARY KEY,
	office     TEXT NOT NULL,
	number     TEXT NOT NULL,
	service    TEXT NOT NULL,
	state      TEXT NOT NULL,
	visitor_id TEXT NOT NULL,
	deadline   TEXT NOT NULL,
	opened_at  BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	body       TEXT NOT NULL           -- domain.CaseView as JSON
);
CREATE INDEX cases_office ON cases (office, opened_at);
CREATE INDEX cases_number ON cases (number);
CREATE INDEX cases_visitor ON cases (visitor_id);
CREATE INDEX cases_state ON cases (state, deadline);

CREATE TABLE tickets (
	id        TEXT PRIMARY KEY,
	office    TEXT NOT NULL,
	number    TEXT NOT NULL DEFAULT '',
	service   TEXT NOT NULL DEFAULT '',
	category  TEXT NOT NULL DEFAULT '',
	prio      INTEGER NOT NULL DEFAULT 0, -- the category's rank
	state     TEXT NOT NULL,
	win       INTEGER NOT NULL DEFAULT 0, -- the window at it, or the one it was sent to while waiting
	issued_at BIGINT NOT NULL,
	called_at BIGINT NOT NULL DEFAULT 0,
	closed_at BIGINT NOT NULL DEFAULT 0,
	moved_at  BIGINT NOT NULL DEFAULT 0   -- the time of the last move applied
);
CREATE INDEX tickets_state ON tickets (office, state);
CREATE INDEX tickets_issued ON tickets (office, issued_at);

CREATE TABLE windows (
	office    TEXT NOT NULL,
	win       INTEGER NOT NULL,
	operator  TEXT NOT NULL DEFAULT '',
	ticket_id TEXT NOT NULL DEFAULT '',
	since     BIGINT NOT NULL DEFAULT 0,
	last_seen BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (office, win)
);

-- A counter per office bumped by every commit that changes its queue, so
-- processes sharing a database see each other's changes.
CREATE TABLE office_marks (
	office TEXT PRIMARY KEY,
	mark   BIGINT NOT NULL
);

CREATE TABLE blobs (
	sha256     TEXT PRIMARY KEY,
	size       BIGINT NOT NULL,
	data       {{blob}} NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE catalogs (
	n            {{autopk}},
	version      TEXT NOT NULL UNIQUE,
	hash         TEXT NOT NULL,
	body         TEXT NOT NULL,        -- the catalogue as JSON
	published_at BIGINT NOT NULL,
	published_by TEXT NOT NULL DEFAULT ''
);

-- Answers of non-idempotent POSTs by Idempotency-Key, replayed on a retry.
CREATE TABLE idempotency (
	login      TEXT NOT NULL,
	key        TEXT NOT NULL,
	route      TEXT NOT NULL,
	status     INTEGER NOT NULL,
	body       TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (login, key)
);
