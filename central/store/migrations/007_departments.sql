-- Issue 16: the department's desk. A department's officer works for one
-- department (the name the catalogue gives the services it decides, or *
-- for every department); each case records the department that decides
-- it, and when it was handed off (the desk's inbox is newest first).
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN department TEXT NOT NULL DEFAULT '';
-- Officers made before departments saw every case: they keep doing so.
UPDATE users SET department = '*' WHERE role = 'department';
UPDATE sessions SET department = '*' WHERE role = 'department';

ALTER TABLE cases ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN handed_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX cases_department ON cases (department, handed_at);
CREATE INDEX cases_handed ON cases (office, handed_at);
