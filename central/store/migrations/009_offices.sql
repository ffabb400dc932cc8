-- Issue 14: what the central knows of each office for its public pages
-- (hall board, kiosk): a domain.Office as JSON (name, language, calendar,
-- time zone, hours, daily limits). No personal data.
CREATE TABLE offices (
	code       TEXT PRIMARY KEY,
	profile    TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);
