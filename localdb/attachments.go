package localdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/okno-mfc/okno/domain"
)

// MaxAttachment is the largest file a clerk can attach (a scanned document).
const MaxAttachment = 20 << 20

// BlobPath is where the file with this SHA-256 is kept: blobs/ beside the
// store's file, mode 0600.
func (s *Store) BlobPath(sum string) string {
	return filepath.Join(filepath.Dir(s.path), "blobs", sum)
}

// AttachFile copies a scanned file (PDF, JPEG, PNG, TIFF) into the blob
// folder under its SHA-256 and records it on a checklist row of a draft case.
func (s *Store) AttachFile(ctx context.Context, actor, caseID, doc, path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff":
	default:
		return "", fmt.Errorf("%s: attach a scan as PDF, JPEG, PNG or TIFF", filepath.Base(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("cannot read the file to attach: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		return "", fmt.Errorf("%s is a folder, not a file", filepath.Base(path))
	}
	if st.Size() > MaxAttachment {
		return "", fmt.Errorf("%s is %d MiB; the limit is %d MiB: scan at a lower resolution", filepath.Base(path), st.Size()>>20, MaxAttachment>>20)
	}
	if err := os.MkdirAll(filepath.Dir(s.BlobPath("x")), 0o700); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.BlobPath("x")), "incoming-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(tmp, h), f)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("copy the file: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), s.BlobPath(sum)); err != nil {
		return "", err
	}
	err = s.WithTx(ctx, func(tx *Tx) error {
		c, err := caseByID(ctx, tx, caseID)
		if err != nil {
			return err
		}
		svc, ok := s.catalog.Service(c.Service)
		if !ok {
			return fmt.Errorf("service %q of case %s is no longer in the catalogue", c.Service, c.Number)
		}
		if _, ok := svc.Requirement(doc); !ok {
			return fmt.Errorf("document %q is not in the checklist of %s", doc, svc.Code)
		}
		if _, err := s.record(ctx, tx, draft{Kind: domain.EvAttachmentAdded, Actor: actor, CaseID: caseID,
			Payload: domain.AttachmentPayload{Doc: doc, SHA256: sum, Name: filepath.Base(path), Size: size}}); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE attachments SET local = 1 WHERE case_id = ? AND doc = ? AND sha256 = ?`, caseID, doc, sum)
		return err
	})
	return sum, err
}

// BlobsToUpload lists the files attached here whose events the central has
// accepted but which it may not hold yet.
func (s *Store) BlobsToUpload(ctx context.Context, limit int) ([]string, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT DISTINCT a.sha256 FROM attachments a
		JOIN events e ON e.case_id = a.case_id AND e.kind = 'case.attachment' AND e.local = 1
		JOIN outbox o ON o.seq = e.n AND o.status IN ('accepted', 'duplicate')
		WHERE a.local = 1 AND a.uploaded = 0 LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sum string
		if err := rows.Scan(&sum); err != nil {
			return nil, err
		}
		out = append(out, sum)
	}
	return out, rows.Err()
}

// MarkUploaded records that the central holds the file.
func (s *Store) MarkUploaded(ctx context.Context, sum string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE attachments SET uploaded = 1 WHERE sha256 = ?`, sum)
		return err
	})
}
