// Package faultproxy is a TCP proxy for tests that breaks the link between a
// client and a real server on purpose: refused connections, resets in the
// middle of a request or of a response, a silent peer (time-outs), canned
// HTTP 500s, and a slow line. Every connection picks its fault when it
// opens, from a fixed one or a random chooser.
package faultproxy

import (
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Fault is what happens to a connection.
type Fault int

// Faults.
const (
	None          Fault = iota // pass everything
	Refuse                     // close at once, before reading anything
	ResetRequest               // forward part of the request, then reset both sides
	ResetResponse              // forward the request and part of the response, then reset
	Blackhole                  // read everything, answer nothing (the client times out)
	HTTP500                    // answer a canned 500 without asking the server
	Slow                       // forward at about 50 kbit/s
)

var names = map[Fault]string{None: "none", Refuse: "refuse", ResetRequest: "reset-request", ResetResponse: "reset-response", Blackhole: "blackhole", HTTP500: "http-500", Slow: "slow"}

func (f Fault) String() string { return names[f] }

// All lists the faults other than None.
var All = []Fault{Refuse, ResetRequest, ResetResponse, Blackhole, HTTP500, Slow}

// Proxy listens on 127.0.0.1 and forwards to a target.
type Proxy struct {
	ln     net.Listener
	target atomic.Value // string
	choose atomic.Value // func() Fault
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
	// Counts of connections by fault, for the report.
	counts [7]atomic.Int64
}

// Start starts a proxy to target (host:port).
func Start(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, conns: map[net.Conn]struct{}{}}
	p.target.Store(target)
	p.Set(None)
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's address.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetTarget points new connections at another server (a restarted one).
func (p *Proxy) SetTarget(t string) { p.target.Store(t) }

// Set gives every new connection fault f.
func (p *Proxy) Set(f Fault) { p.choose.Store(func() Fault { return f }) }

// Random gives each new connection a random fault with probability rate,
// else None.
func (p *Proxy) Random(r *rand.Rand, rate float64) {
	var mu sync.Mutex
	p.choose.Store(func() Fault {
		mu.Lock()
		defer mu.Unlock()
		if r.Float64() >= rate {
			return None
		}
		return All[r.IntN(len(All))]
	})
}

// Count is how many connections got fault f.
func (p *Proxy) Count(f Fault) int64 { return p.counts[f].Load() }

// CutAll resets every open connection now (a server restart, a cable pulled).
func (p *Proxy) CutAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		reset(c)
	}
}

// Close stops the proxy and cuts every connection.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.CutAll()
	p.wg.Wait()
	return err
}

func (p *Proxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = struct{}{}
	} else {
		delete(p.conns, c)
	}
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		f := p.choose.Load().(func() Fault)()
		p.counts[f].Add(1)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.track(c, true)
			defer p.track(c, false)
			p.serve(c, f)
		}()
	}
}

// reset closes c with an RST rather than a FIN.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

func (p *Proxy) serve(c net.Conn, f Fault) {
	switch f {
	case Refuse:
		reset(c)
		return
	case Blackhole:
		io.Copy(io.Discard, c)
		c.Close()
		return
	case HTTP500:
		buf := make([]byte, 4096)
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		c.Read(buf)
		io.WriteString(c, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 62\r\n\r\n{\"error\":{\"code\":\"internal\",\"message\":\"injected by the proxy\"}}")
		c.Close()
		return
	default: // the faults below need the target
	}
	up, err := net.DialTimeout("tcp", p.target.Load().(string), 5*time.Second)
	if err != nil {
		reset(c)
		return
	}
	p.track(up, true)
	defer p.track(up, false)
	var reqLimit, respLimit int64 = -1, -1
	var rate int64
	switch f {
	case ResetRequest:
		reqLimit = 1 + rand.Int64N(2048)
	case ResetResponse:
		respLimit = 1 + rand.Int64N(512)
	case Slow:
		rate = 50_000 / 8 // bytes per second
	default: // no fault on the line
	}
	done := make(chan bool, 2)
	go func() { done <- pipe(up, c, reqLimit, rate) }()
	go func() { done <- pipe(c, up, respLimit, rate) }()
	if cut := <-done; cut {
		reset(c)
		reset(up)
	} else {
		// One side finished: let the other drain, then close normally.
		c.SetDeadline(time.Now().Add(30 * time.Second))
		up.SetDeadline(time.Now().Add(30 * time.Second))
	}
	<-done
	c.Close()
	up.Close()
}

// pipe copies src to dst; after limit bytes (if ≥ 0) it stops and says so
// (cut), and at rate bytes per second (if > 0) it dawdles.
func pipe(dst, src net.Conn, limit, rate int64) (cut bool) {
	buf := make([]byte, 1024)
	var n int64
	for {
		if limit >= 0 && n >= limit {
			return true
		}
		want := int64(len(buf))
		if limit >= 0 && limit-n < want {
			want = limit - n
		}
		k, err := src.Read(buf[:want])
		if k > 0 {
			if rate > 0 {
				time.Sleep(time.Duration(int64(k) * int64(time.Second) / rate))
			}
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return false
			}
			n += int64(k)
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				if tc, ok := dst.(*net.TCPConn); ok {
					tc.CloseWrite()
				}
			}
			return false
		}
	}
}
