-- Issue 14: pre-booking. A booking holds one place of a slot of a service
-- at an office until it is checked in (a ticket), cancelled, or its
-- check-in window passes (no_show). The name and the contact are the
-- visitor's personal data: kept for the office to reach them, never shown
-- on a public page, never logged; contact_key (SHA-256 of the normalised
-- phone or e-mail) counts a contact's bookings of a day.
CREATE TABLE bookings (
	code        TEXT PRIMARY KEY,
	office      TEXT NOT NULL,
	service     TEXT NOT NULL,
	slot        BIGINT NOT NULL,
	day         TEXT NOT NULL,
	name        TEXT NOT NULL,
	contact     TEXT NOT NULL,
	contact_key TEXT NOT NULL,
	state       TEXT NOT NULL,
	ticket_id   TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL
);
CREATE INDEX bookings_slot ON bookings (office, service, slot);
CREATE INDEX bookings_contact ON bookings (office, contact_key, day);
CREATE INDEX bookings_open ON bookings (state, slot);
