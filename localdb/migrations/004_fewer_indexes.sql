-- A clerk's write touches every index: keep only those a read needs.
-- visitors_doc is served by visitor_keys now; visitor_keys_n only sped up
-- the rare update, which deletes a visitor's old keys by (key, n) instead.
DROP INDEX visitors_doc;
DROP INDEX visitor_keys_n;
