package localdb

import (
	"context"
	"os"
	"testing"

	"github.com/okno-mfc/okno/domain"
)

// BenchmarkWriteFrames reports how many WAL frames (pages) one intent
// writes, with its share of the search fold: the figure behind a write's
// cost with synchronous=FULL, steadier than its time on a shared machine. A
// raw single-row insert writes about 2.
func BenchmarkWriteFrames(b *testing.B) {
	ctx := context.Background()
	v := domain.Visitor{FullName: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456", SNILS: "112-233-445 95", Phone: "+79161234567"}
	for _, tc := range []struct {
		name  string
		write func(s *Store)
	}{
		{"register", func(s *Store) { s.RegisterVisitor(ctx, "c", v) }},
		{"ticket", func(s *Store) { s.IssueTicket(ctx, "c", "replanning", "", "") }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, _ := newStore(b, "IRK", 3)
			s.db.Exec(`PRAGMA wal_autocheckpoint = 0`)
			for range 50 { // past the first pages of every table
				tc.write(s)
			}
			st0, _ := os.Stat(s.Path() + "-wal")
			n := 0
			for b.Loop() {
				tc.write(s)
				n++
			}
			// Each registration's share of the search fold: fold the rest.
			foldAll(b, s)
			st1, _ := os.Stat(s.Path() + "-wal")
			b.ReportMetric(float64(st1.Size()-st0.Size())/float64(n)/(4096+24), "frames/op")
		})
	}
}
