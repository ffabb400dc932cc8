-- Issue 15: each handed-off case's status code, as printed on its receipt,
-- so a reprint shows the same code. Not a projection: the events carry
-- only the code's hash, so a re-fold leaves this table as it is.
CREATE TABLE status_codes (
	case_id TEXT PRIMARY KEY,
	code    TEXT NOT NULL
) WITHOUT ROWID;
