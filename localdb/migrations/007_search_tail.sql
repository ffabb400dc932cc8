-- The search index takes new visitors in batches, and holds names and
-- numbers alike.
--
-- A visitor's search terms are kept on its row: its folded name words and
-- its number keys, each space-separated. The newest visitors (n above meta
-- search_upto, at most Options.SearchTail of them) are found by a range scan
-- of those columns. When the tail is full, one write folds it into
-- visitors_fts as one FTS5 segment, a few pages per hundred visitors.
--
-- The numbers leave the key B-tree of migration 003 for a column of the
-- full-text index: each key there landed on a page of its own, which one
-- visitor at a time cost five pages, and a batch on a big file nearly as
-- many (the keys of a thousand visitors scatter over a million visitors'
-- pages). FTS5 writes a batch as one segment whatever the file's size, and
-- its prefix indexes of 1 to 7 characters serve a typed prefix as one
-- doclist; a longer prefix matches few terms. The index of 1 costs 7 % of
-- the size and keeps the first key press fast: without it a lone "9" merged
-- the doclists of every phone (170 ms on a million visitors; now 1.6 ms).
ALTER TABLE visitors ADD COLUMN name_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE visitors ADD COLUMN key_terms TEXT NOT NULL DEFAULT '';
DROP TABLE visitor_keys;
DROP TABLE visitors_fts;
CREATE VIRTUAL TABLE visitors_fts USING fts5 (
	name, keys,                  -- the row's name_terms and key_terms; rowid = visitors.n
	content = '', contentless_delete = 1,
	detail = column,             -- which column a term is in, not where: a fifth smaller, and enough for column filters
	tokenize = 'unicode61 remove_diacritics 0',
	prefix = '1 2 3 4 5 6 7'
);
INSERT INTO meta (key, value) VALUES ('search_upto', '0')
	ON CONFLICT (key) DO UPDATE SET value = '0';
INSERT INTO meta (key, value) VALUES ('reindex_visitors', '1')
	ON CONFLICT (key) DO UPDATE SET value = '1';
