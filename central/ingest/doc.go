// Package ingest takes the events the windows push (POST /v1/events): it
// refuses what cannot be recorded (no usable envelope, another window's
// event), verifies each event under the key enrolled for its window —
// hash, Ed25519 signature — on every core, checks the rules that hold
// whatever the store holds, and hands the rest to one writer goroutine
// that decides them against the store (store.Tx.Decide) in group-committed
// transactions and signs the heads the caller reached.
package ingest
