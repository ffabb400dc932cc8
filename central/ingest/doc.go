// Package ingest takes the events the windows push (POST /v1/events): it
// refuses what cannot be recorded (no usable envelope, another window's
// event), verifies each event under the key enrolled for its window —
// hash, Ed25519 signature, in batches (package sigbatch) — on every core,
// checks the rules that hold whatever the store holds, decoding each
// payload once, and hands the rest to the writer of its office (one on
// SQLite; several on PostgreSQL, where offices commit in parallel), which
// decides them against the store (store.Tx.Decide) in group-committed
// transactions and signs the heads the caller reached.
package ingest
