-- Issue 17: the limits every replica sharing a database holds together.
-- {{unlogged}} is UNLOGGED on PostgreSQL: a rate limit's buckets need no
-- write-ahead log (after a crash they start full again), and every
-- request of every session updates one.

-- Token buckets: requests per session, failed sign-ins per address.
CREATE {{unlogged}} TABLE rate_buckets (
	key    TEXT PRIMARY KEY,              -- hex SHA-256 of the limit and its key
	tokens DOUBLE PRECISION NOT NULL,
	took   SMALLINT NOT NULL DEFAULT 0,   -- the last take got a token
	at     BIGINT NOT NULL                -- when tokens was computed
);

-- Failed sign-ins of one login from one address since its last success.
CREATE TABLE signin_failures (
	key   TEXT PRIMARY KEY,               -- hex SHA-256 of the login and the address
	n     INTEGER NOT NULL,
	last  BIGINT NOT NULL                 -- the latest try
);
CREATE INDEX signin_failures_last ON signin_failures (last);
CREATE INDEX rate_buckets_at ON rate_buckets (at);
