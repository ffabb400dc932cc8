-- Issue 14: the kiosk's ticket numbers, counted per office, day (the
-- office's, YYYY-MM-DD) and prefix, under the office's write lock.
CREATE TABLE kiosk_numbers (
	office TEXT NOT NULL,
	day    TEXT NOT NULL,
	prefix TEXT NOT NULL,
	n      INTEGER NOT NULL,
	PRIMARY KEY (office, day, prefix)
);
