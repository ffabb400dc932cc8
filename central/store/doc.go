// Package store is the central's database (`okno serve`): a SQLite file
// (the default, one process) or PostgreSQL (several processes may share
// one database), through database/sql. The SQL is written once with `?`
// placeholders and rebound for PostgreSQL; the few places the dialects
// differ are a small per-dialect table (dialect.go).
//
// It owns the schema and its migrations, the windows' chains and the
// quarantine, the projections the central folds from accepted events
// (cases with domain's CaseView.Apply, the office queues' tickets, the
// windows), the decision on each pushed event (Tx.Decide), the central's
// own events (status changes, catalogues), sessions, users, workstations
// and their keys, attachments, and the reads the API serves.
//
// Every write goes through one transaction helper, WithTx: its methods
// lock each office they write before reading it (on PostgreSQL an
// advisory lock per office, so offices commit in parallel on every
// replica; lock.go), it reads a batch's rows in one query per table
// (prefetch.go), caches what it touches, writes each table once at commit
// (bulk.go), and then announces the offices whose queue or cases changed
// to the OnCommit listeners (the HTTP server's streams) of this process
// and, by NOTIFY, of every process sharing the database (notify.go). Rate
// limits shared by the replicas live here too (limits.go).
package store
