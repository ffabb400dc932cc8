package sshboard_test

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/okno-mfc/okno/domain"
)

// TestHandshakeTimeout: a client that opens a TCP connection and never
// finishes the SSH handshake (here: says nothing at all, or only its
// version) is dropped after HandshakeTimeout, counted as refused
// (handshake_timeout) and logged.
func TestHandshakeTimeout(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	b := startBoard(t, options{shake: timeout})
	reg := b.srv.API.Metrics()
	refused := func(reason string) float64 { return metric(t, reg, "okno_ssh_refused_total", reason) }
	for i, hello := range []string{"", "SSH-2.0-silent\r\n"} {
		conn, err := net.Dial("tcp", b.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		if hello != "" {
			if _, err := io.WriteString(conn, hello); err != nil {
				t.Fatal(err)
			}
		}
		conn.SetReadDeadline(time.Now().Add(slow))
		// The server's version line and key exchange come first; then the
		// connection ends.
		_, err = io.Copy(io.Discard, conn)
		took := time.Since(start)
		if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("connection %d (%q) still open after %s", i, hello, took)
		}
		if took < timeout-50*time.Millisecond {
			t.Fatalf("connection %d dropped after %s, before the timeout %s", i, took, timeout)
		}
		if took > timeout+5*time.Second {
			t.Fatalf("connection %d dropped only after %s (timeout %s)", i, took, timeout)
		}
		waitFloat(t, func() float64 { return refused("handshake_timeout") }, float64(i+1))
	}
	waitLog(t, b.log, "handshake not over in time")
	if got := refused("auth"); got != 0 {
		t.Fatalf("refused auth %v, want 0", got)
	}
}

// TestSessionMetrics: okno_ssh_sessions counts an open session (one that
// outlives a short handshake timeout) and okno_ssh_refused_total{auth} a
// refused key, on the central's registry. The refused key is tried on a
// board of its own with the default handshake timeout: under -race on a
// loaded machine a refused handshake has outlasted the 4 s one (CI: the
// server dropped it as handshake_timeout, the client saw EOF).
func TestSessionMetrics(t *testing.T) {
	t.Parallel()
	const timeout = 4 * time.Second // a real handshake on a loaded machine stays well within
	b := startBoard(t, options{shake: timeout})
	reg := b.srv.API.Metrics()
	refused := func(reason string) float64 { return metric(t, reg, "okno_ssh_refused_total", reason) }
	sessions := func() float64 { return metric(t, reg, "okno_ssh_sessions", "") }
	key := b.person(t, "boss", domain.RoleSupervisor, "IRK")
	tm := b.open(t, "boss", key, 80, 24, "")
	tm.waitFor(t, "IRK", slow)
	time.Sleep(timeout + timeout/2) // the handshake's timer has fired, and left the session be
	if tm.sess == nil || sessions() != 1 {
		t.Fatalf("open sessions %v after the handshake's timeout, want 1", sessions())
	}
	waitFloat(t, func() float64 { return sessions() }, 1)
	if _, err := io.WriteString(tm.in, "q"); err != nil {
		t.Fatal(err)
	}
	tm.ended(t, slow)
	waitFloat(t, func() float64 { return sessions() }, 0)

	// A refused key counts as auth.
	b2 := startBoard(t, options{})
	b2.person(t, "boss", domain.RoleSupervisor, "IRK")
	refused2 := func(reason string) float64 { return metric(t, b2.srv.API.Metrics(), "okno_ssh_refused_total", reason) }
	if c, err := b2.dial("boss", newKey(t)); err == nil {
		c.Close()
		t.Fatal("an unknown key connected")
	} else if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatal(err)
	}
	waitFloat(t, func() float64 { return refused2("auth") }, 1)
	if got := refused("auth"); got != 0 {
		t.Fatalf("the first board counted %v refused keys, want 0", got)
	}
}

func waitFloat(t *testing.T, get func() float64, want float64) {
	t.Helper()
	deadline := time.Now().Add(slow)
	for get() != want {
		if time.Now().After(deadline) {
			t.Fatalf("got %v, want %v", get(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// metric reads a series of the board's from the central's registry (the
// one GET /metrics serves): name, with the label reason when not "".
func metric(t *testing.T, reg *prometheus.Registry, name, reason string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			r := ""
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" {
					r = l.GetValue()
				}
			}
			if r != reason {
				continue
			}
			if m.Gauge != nil {
				return m.Gauge.GetValue()
			}
			return m.Counter.GetValue()
		}
	}
	t.Fatalf("no %s{reason=%q} on the registry", name, reason)
	return 0
}
