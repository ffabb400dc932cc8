-- Search, second shape: names stay in FTS5 (prefix-indexed), while document
-- numbers, identifiers and phones move to a plain B-tree of keys, where a
-- typed prefix is one range scan however many distinct numbers there are.
-- The Go side refills both from the visitors table (see reindexVisitors).
DROP TABLE visitors_fts;
CREATE VIRTUAL TABLE visitors_fts USING fts5 (
	name,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 0',
	prefix = '2 3 4 5 6 7'  -- a typed prefix up to 7 letters is one doclist, read newest first and cut at the limit
);
CREATE TABLE visitor_keys (
	key TEXT NOT NULL,            -- lower-case letters and digits, no separators
	n   INTEGER NOT NULL REFERENCES visitors (n) ON DELETE CASCADE,
	PRIMARY KEY (key, n)
) STRICT, WITHOUT ROWID;
CREATE INDEX visitor_keys_n ON visitor_keys (n);
INSERT INTO meta (key, value) VALUES ('reindex_visitors', '1')
	ON CONFLICT (key) DO UPDATE SET value = '1';
