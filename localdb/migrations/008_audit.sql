-- What the audit needs beyond the chain (okno audit verify, issue 11).
--
-- events.after_seq: for an event the feed brought, the seq of this window's
-- last own event when it was folded in, so a re-fold of the projections
-- takes the events in the order they were first folded (own events by seq,
-- feed events by arrival, each feed event after that seq). NULL for own
-- events, and for feed events folded before this migration (the re-fold
-- places those by time).
ALTER TABLE events ADD COLUMN after_seq INTEGER;

-- The public keys the central names for the office's windows, every key
-- a window was enrolled with (window 0: the central's own key, '' when it
-- signs nothing), to check the events the feed brought. Refreshed when the
-- link meets a window it has no key for, and at enrolment.
CREATE TABLE office_keys (
	office      TEXT NOT NULL,
	window      INTEGER NOT NULL,
	public_key  TEXT NOT NULL,            -- base64 Ed25519; '' for a central that signs nothing
	enrolled_at TEXT NOT NULL DEFAULT '', -- when the central says the key was enrolled
	fetched_at  TEXT NOT NULL,
	PRIMARY KEY (office, window, public_key)
) STRICT, WITHOUT ROWID;

-- The central's signed statements of this window's head after a push: the
-- newest is enough (head N was countersigned at T).
CREATE TABLE head_receipts (
	office TEXT NOT NULL,
	window INTEGER NOT NULL,
	seq    INTEGER NOT NULL,
	hash   TEXT NOT NULL,
	at     TEXT NOT NULL,
	sig    TEXT NOT NULL,
	PRIMARY KEY (office, window)
) STRICT, WITHOUT ROWID;

-- The feed's streams as they arrived: the last seq of each other window's
-- chain (and the central's, window 0) the feed brought, and the gaps the
-- feed itself had (the central serves accepted events only: a signed event
-- it rejected keeps its seq in the chain but is not in the feed). A gap in
-- the held events that the feed did not have is an event deleted here.
CREATE TABLE feed_heads (
	office TEXT NOT NULL,
	window INTEGER NOT NULL,
	seq    INTEGER NOT NULL,
	PRIMARY KEY (office, window)
) STRICT, WITHOUT ROWID;
CREATE TABLE feed_gaps (
	office   TEXT NOT NULL,
	window   INTEGER NOT NULL,
	from_seq INTEGER NOT NULL,
	to_seq   INTEGER NOT NULL,
	PRIMARY KEY (office, window, from_seq)
) STRICT, WITHOUT ROWID;
-- What the feed brought before this migration: its heads, and its gaps as
-- they are now (whether one of those was deleted here cannot be told any
-- more; okno audit verify --central can).
INSERT INTO feed_heads (office, window, seq)
	SELECT office, window, max(seq) FROM events WHERE local = 0 GROUP BY office, window;
INSERT INTO feed_gaps (office, window, from_seq, to_seq)
	SELECT office, window, coalesce(prev, 0) + 1, seq - 1 FROM (
		SELECT office, window, seq, lag(seq) OVER (PARTITION BY office, window ORDER BY seq) AS prev
		FROM events WHERE local = 0)
	WHERE seq > coalesce(prev, 0) + 1;
