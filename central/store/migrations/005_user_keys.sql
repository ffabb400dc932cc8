-- Issue 19: the public SSH keys a person opens the supervisor's board with
-- (okno serve --ssh-addr; okno user key add|list|remove). A key belongs to
-- one person; the server looks it up by its fingerprint.
CREATE TABLE user_keys (
	fingerprint TEXT PRIMARY KEY,      -- SHA256:… as OpenSSH prints it
	login       TEXT NOT NULL,
	key_type    TEXT NOT NULL,         -- ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, …
	public_key  TEXT NOT NULL,         -- the authorized_keys form: type and base64, no comment
	comment     TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL
);
CREATE INDEX user_keys_login ON user_keys (login);
