-- The search's dictionary of long words, and combination terms for words
-- with the same first letters.
--
-- FTS5 keeps a doclist for every prefix of 1 to 7 letters (migrations 007,
-- 009); a longer typed word (кузнецова, olegovich) is a prefix query it
-- gathers whole, from every term that word begins, before it can read the
-- newest row: on a million visitors some 55,000 postings, 50 ms. The words
-- longer than 7 letters of the indexed names, each tier's ('0': the name
-- words of visitors_fts, '1': the skeletons of visitors_loose; the
-- combination terms' markers), let the search match such a word as the OR
-- of the few whole terms it begins, read newest first and cut at the limit
-- (search.go, longTerms). A word with a digit is never a name word of a
-- query (it is a key), so none is kept. Each fold adds its batch's.
--
-- A name's combination terms (combo.go) now also combine words with the
-- same first letters (Петровук Олег Петрович), so every visitor's terms
-- are computed again and the indexes refilled from the rows on the next
-- open (reindex_visitors, as after migration 009), the dictionary with them.
CREATE TABLE search_terms (
	tier TEXT NOT NULL,
	term TEXT NOT NULL,
	PRIMARY KEY (tier, term)
) STRICT, WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('search_upto', '0')
	ON CONFLICT (key) DO UPDATE SET value = '0';
INSERT INTO meta (key, value) VALUES ('reindex_visitors', '1')
	ON CONFLICT (key) DO UPDATE SET value = '1';
