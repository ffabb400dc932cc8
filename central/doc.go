// Package central is okno's central REST server (`okno serve`): it takes the
// events the windows push, keeps the cases, the office queues and the
// catalogue, lets departments move cases through the same state machine the
// windows use, and serves each office a feed of what others did and a live
// stream of its queue.
//
// One Store serves two engines through database/sql: a SQLite file (the
// default, one process) or PostgreSQL (several `okno serve` processes may
// share one database). The SQL is written once with `?` placeholders and
// rebound for PostgreSQL; the few places the dialects differ are a small
// per-dialect table (dialect.go).
//
// The wire types live in package domain (api.go, api_more.go); the API is
// described in openapi.yaml, served at /v1/openapi.yaml, and explained in
// docs/api.md.
package central
