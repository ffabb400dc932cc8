-- The search's second tier (see loose.go): the Latin skeletons of a
-- visitor's name words, kept on its row for the tail and in an index of
-- their own (in visitors_fts the exact tier's Latin words would walk their
-- postings, which share the prefix indexes); and the combination terms of
-- its name words (combo.go): a search of three name words reads the short
-- list of their combination instead of every word's long one. The indexes
-- are filled from the rows on the next open (reindex_visitors), as after
-- migration 007.
ALTER TABLE visitors ADD COLUMN loose_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE visitors ADD COLUMN combo_terms TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE visitors_loose USING fts5 (
	loose,                       -- the row's loose_terms; rowid = visitors.n
	content = '', contentless_delete = 1,
	detail = none,               -- which visitors hold a term, no more
	tokenize = 'unicode61 remove_diacritics 0',
	prefix = '1 2 3 4 5 6 7'
);
CREATE VIRTUAL TABLE visitors_combo USING fts5 (
	combo,                       -- the row's combo_terms: no prefixes, no details
	content = '', contentless_delete = 1,
	detail = none,
	tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO meta (key, value) VALUES ('search_upto', '0')
	ON CONFLICT (key) DO UPDATE SET value = '0';
INSERT INTO meta (key, value) VALUES ('reindex_visitors', '1')
	ON CONFLICT (key) DO UPDATE SET value = '1';
