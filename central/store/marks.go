package store

import "context"

// OfficeMarks are the offices' marks: the time of each office's last
// committed change of its queue or cases. A process sharing a PostgreSQL
// database polls them to learn of the changes others commit.
func (s *Store) OfficeMarks(ctx context.Context) (map[string]int64, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT office, mark FROM office_marks`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var o string
		var m int64
		if err := rows.Scan(&o, &m); err != nil {
			return nil, err
		}
		out[o] = m
	}
	return out, rows.Err()
}

// QueueLengths counts the waiting tickets of each office.
func (s *Store) QueueLengths(ctx context.Context) (map[string]int, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT office, COUNT(*) FROM tickets WHERE state = 'waiting' GROUP BY office`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var o string
		var n int
		if err := rows.Scan(&o, &n); err != nil {
			return nil, err
		}
		out[o] = n
	}
	return out, rows.Err()
}
