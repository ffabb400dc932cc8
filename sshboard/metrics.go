package sshboard

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the board's figures on the central's /metrics
// (client_golang, the API server's registry): the open sessions, and the
// connections and sessions refused, by why.
type metrics struct {
	sessions prometheus.Gauge
	refused  *prometheus.CounterVec
}

// Why a connection or a session was refused (okno_ssh_refused_total's
// reason label).
const (
	refuseAuth      = "auth"              // no key offered opened the board (unknown, a clerk's, another login's)
	refuseHandshake = "handshake"         // the handshake failed otherwise (the client hung up, a protocol error)
	refuseTimeout   = "handshake_timeout" // the handshake was not over within HandshakeTimeout
	refuseBusy      = "busy"              // MaxSessions were open
	refuseNoPty     = "no_pty"            // a session without a terminal
)

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		sessions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "okno_ssh_sessions", Help: "Open sessions of the supervisor's board over SSH.",
		}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "okno_ssh_refused_total",
			Help: "SSH board connections and sessions refused, by reason: auth, handshake, handshake_timeout, busy, no_pty.",
		}, []string{"reason"}),
	}
	for _, r := range []string{refuseAuth, refuseHandshake, refuseTimeout, refuseBusy, refuseNoPty} {
		m.refused.WithLabelValues(r) // every reason shows, at 0 until it happens
	}
	if reg == nil {
		return m, nil
	}
	// A second board on the same API server (a test) counts into the
	// first one's figures.
	var are prometheus.AlreadyRegisteredError
	if err := reg.Register(m.sessions); errors.As(err, &are) {
		m.sessions = are.ExistingCollector.(prometheus.Gauge)
	} else if err != nil {
		return nil, err
	}
	if err := reg.Register(m.refused); errors.As(err, &are) {
		m.refused = are.ExistingCollector.(*prometheus.CounterVec)
	} else if err != nil {
		return nil, err
	}
	return m, nil
}
