-- Issue 15: the citizen's side of a case.

-- The hash of each handed-off case's status code (internal/statuscode),
-- from its case.handed_off event: the code itself never reaches the
-- central. Looked up by the case number the visitor types.
CREATE TABLE case_codes (
	number    TEXT PRIMARY KEY,
	case_id   TEXT NOT NULL,
	code_hash TEXT NOT NULL
);

-- Tries of a status code per case number (known or not) in the current
-- hour: ten wrong ones and the number answers 429 until the hour is over.
CREATE TABLE status_tries (
	key   TEXT PRIMARY KEY,               -- hex SHA-256 of the case number
	n     INTEGER NOT NULL,
	since BIGINT NOT NULL                 -- the first try of the hour
);
CREATE INDEX status_tries_since ON status_tries (since);
