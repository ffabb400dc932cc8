-- A window's operator on a break (window.break until window.resumed).
ALTER TABLE windows ADD COLUMN on_break SMALLINT NOT NULL DEFAULT 0;
