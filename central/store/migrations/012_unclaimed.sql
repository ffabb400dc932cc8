-- Issue 15, part 3: unclaimed results. collect_from is when a case's
-- result (or refusal letter) began to wait at the office for its visitor
-- (Unix ns; 0 while nothing waits there: not ready yet, electronic,
-- issued, returned); collect_by the last day a supervisor extended its
-- keeping to (YYYY-MM-DD, '' when not extended: the office's storage
-- period after collect_from). The supervisor's list of unclaimed results
-- reads cases (office, collect_from).
ALTER TABLE cases ADD COLUMN collect_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN collect_by TEXT NOT NULL DEFAULT '';
-- A ready or refused case's last change was the decision itself.
UPDATE cases SET collect_from = updated_at
	WHERE state IN ('ready', 'refused', 'unclaimed') AND body NOT LIKE '%"result":"electronic"%';
CREATE INDEX cases_collect ON cases (office, collect_from);
