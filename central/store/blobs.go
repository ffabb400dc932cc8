package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/okno-mfc/okno/domain"
)

// MaxBlob is the largest attachment the central takes: 20 MiB.
const MaxBlob = 20 << 20

// BlobSize returns the size of a stored blob; domain.ErrNotFound if none.
func (s *Store) BlobSize(ctx context.Context, sha string) (int64, error) {
	var n int64
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT size FROM blobs WHERE sha256 = ?`), sha).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.ErrNotFound
	}
	return n, err
}

// Blob returns a stored blob; domain.ErrNotFound if none.
func (s *Store) Blob(ctx context.Context, sha string) ([]byte, error) {
	var b []byte
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT data FROM blobs WHERE sha256 = ?`), sha).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound
	}
	return b, err
}

// PutBlob stores data under its SHA-256 (the caller checked it). created is
// false when the blob was there already: a re-upload changes nothing.
func (s *Store) PutBlob(ctx context.Context, sha string, data []byte) (created bool, err error) {
	res, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`), sha, len(data), data, s.now().UnixNano())
	if err != nil {
		return false, fmt.Errorf("store blob: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
