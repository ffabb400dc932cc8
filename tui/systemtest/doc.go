// Package systemtest holds the TUI's tests that reach beyond the TUI: the
// whole TUI against a real central and real links (what the feed brings
// reaches an open screen), and the import graph of the tui packages read
// from the source. It is a package of its own so that the tui package's
// test binary, whose start-up the first-frame benchmark measures, carries
// neither the central server nor the Go parser.
package systemtest
