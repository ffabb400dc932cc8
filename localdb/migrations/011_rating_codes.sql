-- Issue 15 §4: each handed-off case's rating code, as printed on its
-- receipt beside the status code (the event carries only its SHA-256), so
-- a reprint shows the same code. '' for cases handed off before it.
ALTER TABLE status_codes ADD COLUMN rating TEXT NOT NULL DEFAULT '';
