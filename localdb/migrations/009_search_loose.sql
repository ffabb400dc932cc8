-- The search's second tier (see loose.go): the Latin skeletons of a
-- visitor's name words, kept on its row for the tail and in a third column
-- of the full-text index; and the combination terms of its name words. The index is rebuilt from the rows on the next
-- open (reindex_visitors), as after migration 007.
ALTER TABLE visitors ADD COLUMN loose_terms TEXT NOT NULL DEFAULT '';
-- Combination terms (combo.go): a search of several name words reads the
-- short list of their combination instead of every word's long one. No
-- prefixes and no column details: only which visitors hold the term.
ALTER TABLE visitors ADD COLUMN combo_terms TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE visitors_combo USING fts5 (
	combo,
	content = '', contentless_delete = 1,
	detail = none,
	tokenize = 'unicode61 remove_diacritics 0'
);
DROP TABLE visitors_fts;
CREATE VIRTUAL TABLE visitors_fts USING fts5 (
	name, keys, loose,           -- the row's name_terms, key_terms and loose_terms; rowid = visitors.n
	content = '', contentless_delete = 1,
	detail = column,
	tokenize = 'unicode61 remove_diacritics 0',
	prefix = '1 2 3 4 5 6 7'
);
INSERT INTO meta (key, value) VALUES ('search_upto', '0')
	ON CONFLICT (key) DO UPDATE SET value = '0';
INSERT INTO meta (key, value) VALUES ('reindex_visitors', '1')
	ON CONFLICT (key) DO UPDATE SET value = '1';
