-- Attachments this workstation holds the file of, and whether the central has it.
ALTER TABLE attachments ADD COLUMN local INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN uploaded INTEGER NOT NULL DEFAULT 0;
CREATE INDEX attachments_upload ON attachments (sha256) WHERE local = 1 AND uploaded = 0;
