-- Issue 15 §4: the visitors' ratings (Government Decree 1284).

-- A rating code and what it rates: a kiosk ticket (made with the ticket)
-- or a case (its hash arrives in the case.handed_off event). Only the
-- code's SHA-256 is kept (internal/ratingcode).
CREATE TABLE rating_codes (
	code_hash  TEXT PRIMARY KEY,
	office     TEXT NOT NULL,
	ticket_id  TEXT NOT NULL DEFAULT '',
	case_id    TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);

-- A rating, at most one per code and one per ticket or case (the unique
-- keys make a second one, concurrent or not, insert nothing). The window,
-- service and clerk are those who served the ticket or issued the
-- result, copied at rating time for the report. The comment is the
-- visitor's free text: shown to the office's supervisors only.
CREATE TABLE ratings (
	code_hash  TEXT PRIMARY KEY,
	office     TEXT NOT NULL,
	subject    TEXT NOT NULL,          -- ticket | case
	subject_id TEXT NOT NULL,
	win        INTEGER NOT NULL,
	service    TEXT NOT NULL,
	clerk      TEXT NOT NULL,
	score      SMALLINT NOT NULL,      -- 1..5
	comment    TEXT NOT NULL DEFAULT '',
	at         BIGINT NOT NULL,
	UNIQUE (subject, subject_id)
);
CREATE INDEX ratings_office ON ratings (office, at);
