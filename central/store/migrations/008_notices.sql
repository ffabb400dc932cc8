-- Issue 15: notices to visitors by e-mail or SMS.

-- The address of a visitor who consented to notices (152-FZ art. 9), from
-- their visitor.registered or visitor.updated event; the row goes when the
-- consent is withdrawn. The central keeps no other personal data of a
-- visitor outside the events.
CREATE TABLE notice_contacts (
	visitor_id   TEXT PRIMARY KEY,
	office       TEXT NOT NULL,
	channel      TEXT NOT NULL,           -- email | sms
	address      TEXT NOT NULL,           -- the e-mail address or the phone
	lang         TEXT NOT NULL,           -- ru | uk | en
	consent_date TEXT NOT NULL,           -- YYYY-MM-DD
	updated_at   BIGINT NOT NULL
);

-- The outbox of notices: one row per thing to tell (key), made in the
-- transaction that changed the case, sent by whichever process holds its
-- lease, marked sent once the mail server or the SMS gateway took it.
CREATE TABLE notices (
	id          {{autopk}},
	key         TEXT NOT NULL UNIQUE,     -- case, kind and what makes it new: a repeated status makes no second row
	office      TEXT NOT NULL,
	case_id     TEXT NOT NULL,
	case_number TEXT NOT NULL,
	visitor_id  TEXT NOT NULL,
	kind        TEXT NOT NULL,            -- ready | documents_requested | deadline_extended
	deadline    TEXT NOT NULL DEFAULT '', -- deadline_extended: the new date
	status      TEXT NOT NULL,            -- pending | sent | failed | cancelled
	channel     TEXT NOT NULL DEFAULT '', -- as it was sent or tried
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     BIGINT NOT NULL,          -- not before
	lease       TEXT NOT NULL DEFAULT '', -- the token of the process sending it
	lease_until BIGINT NOT NULL DEFAULT 0,
	last_error  TEXT NOT NULL DEFAULT '', -- without the address
	created_at  BIGINT NOT NULL,
	sent_at     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notices_due ON notices (status, next_at);
CREATE INDEX notices_office ON notices (office, status, id);
CREATE INDEX notices_visitor ON notices (visitor_id, status);
