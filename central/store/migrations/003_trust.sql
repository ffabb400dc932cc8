-- Issue 11: a window's chain holds only events that verify under its key.

-- Events that failed their window's checks (hash, signature, no
-- signature, a seq already taken): kept apart from the chains for the
-- audit and the supervisor's attention list, without their payload. The
-- texts are what the event claimed, made storable (valid UTF-8, no NUL).
CREATE TABLE quarantine (
	n           {{autopk}},
	id          TEXT NOT NULL,
	office      TEXT NOT NULL,
	win         INTEGER NOT NULL,
	seq         BIGINT NOT NULL,
	kind        TEXT NOT NULL DEFAULT '',
	hash        TEXT NOT NULL DEFAULT '',
	prev_hash   TEXT NOT NULL DEFAULT '',
	problem     TEXT NOT NULL,         -- hash | signature | unsigned | seq_taken
	reason      TEXT NOT NULL,
	received_at BIGINT NOT NULL,
	received_by TEXT NOT NULL DEFAULT '',
	remote_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX quarantine_office ON quarantine (office, received_at);

-- Rejected events that claimed a taken seq were kept beside the chain
-- (in_stream = 0); they belong in the quarantine now, where they no longer
-- hold their id against the genuine event.
INSERT INTO quarantine (id, office, win, seq, kind, hash, prev_hash, problem, reason, received_at, received_by)
	SELECT id, office, win, seq, kind, hash, prev_hash, 'seq_taken', reason, received_at, received_by
	FROM events WHERE in_stream = 0;
DELETE FROM events WHERE in_stream = 0;

-- Every key ever enrolled for a window, so a workstation can re-verify
-- the older feed events of a window enrolled again with a new key.
CREATE TABLE workstation_keys (
	office      TEXT NOT NULL,
	win         INTEGER NOT NULL,
	public_key  TEXT NOT NULL,         -- base64 Ed25519
	enrolled_at BIGINT NOT NULL,
	PRIMARY KEY (office, win, public_key)
);
INSERT INTO workstation_keys (office, win, public_key, enrolled_at)
	SELECT office, win, public_key, created_at FROM workstations WHERE public_key <> '';
