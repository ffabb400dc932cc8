package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/okno-mfc/okno/domain"
)

// PublishedCatalog is a catalogue as the central published it.
type PublishedCatalog struct {
	Version string
	Hash    string
	Catalog *domain.Catalog
	JSON    []byte // the catalogue's stable encoding (domain.Catalog.JSON)
}

// ErrVersionTaken says a catalogue version was published before with other
// content.
var ErrVersionTaken = errors.New("this catalogue version was already published with different content: give the new catalogue a new version")

// CurrentCatalog returns the last published catalogue; domain.ErrNotFound if none
// was published yet.
func (s *Store) CurrentCatalog(ctx context.Context) (*PublishedCatalog, error) {
	var p PublishedCatalog
	var body string
	err := s.rdb.QueryRowContext(ctx, `SELECT version, hash, body FROM catalogs ORDER BY n DESC LIMIT 1`).Scan(&p.Version, &p.Hash, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	p.JSON = []byte(body)
	c := &domain.Catalog{}
	if err := json.Unmarshal(p.JSON, c); err != nil {
		return nil, fmt.Errorf("stored catalogue %s: %w", p.Version, err)
	}
	p.Catalog = c
	return &p, nil
}

// PublishCatalog validates c and publishes it as the current catalogue,
// with a catalog.updated event in every known office's feed. Publishing the
// same content again changes nothing (published is false); a version
// already used for other content is ErrVersionTaken.
func (s *Store) PublishCatalog(ctx context.Context, c *domain.Catalog, by string) (p *PublishedCatalog, published bool, err error) {
	if err := c.Validate(); err != nil {
		return nil, false, err
	}
	if c.Version == "" {
		return nil, false, &domain.InvalidError{Field: "version", Problem: domain.ProblemEmpty, Message: "give the catalogue a version"}
	}
	p = &PublishedCatalog{Version: c.Version, Hash: c.Hash(), Catalog: c, JSON: c.JSON()}
	err = s.WithTx(ctx, func(t *Tx) error {
		if err := t.LockAll(); err != nil {
			return err
		}
		var hash string
		if _, err := t.scan(`SELECT hash FROM catalogs WHERE version = ?`, []any{c.Version}, &hash); err != nil {
			return err
		}
		switch {
		case hash == p.Hash:
			return nil // published before: nothing to do
		case hash != "":
			return fmt.Errorf("version %s: %w", c.Version, ErrVersionTaken)
		}
		if err := t.exec(`INSERT INTO catalogs (version, hash, body, published_at, published_by) VALUES (?, ?, ?, ?, ?)`,
			p.Version, p.Hash, string(p.JSON), t.now, by); err != nil {
			return err
		}
		offices, err := t.offices()
		if err != nil {
			return err
		}
		payload := domain.CatalogPayload{Version: p.Version, Catalog: p.JSON}
		for _, office := range offices {
			e, err := t.newCentral(office, domain.EvCatalogUpdated, by, payload)
			if err != nil {
				return err
			}
			if err := t.recordCentral(e); err != nil {
				return err
			}
		}
		published = true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return p, published, nil
}

// offices lists every office the central knows: of its users, its
// workstations and the events it holds.
func (t *Tx) offices() ([]string, error) {
	rows, err := t.query(`SELECT office FROM users WHERE office <> ?
		UNION SELECT office FROM workstations UNION SELECT office FROM streams ORDER BY 1`, AllOffices)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
