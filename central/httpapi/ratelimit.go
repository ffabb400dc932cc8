package httpapi

import (
	"math"
	"sync"
	"time"
)

// limiter is a token bucket per key (a login, an address, a session):
// rate tokens a second up to burst. It lives in the process: with several
// processes behind a balancer each keeps its own count.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[string]*bucket
	now     func() time.Time
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(perSecond float64, burst int, now func() time.Time) *limiter {
	return &limiter{rate: perSecond, burst: float64(burst), buckets: map[string]*bucket{}, now: now}
}

// allow takes a token for key; when there is none it says how long to wait.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// sweep forgets full buckets now and then, so the map does not grow with
// every address ever seen.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.at) > full {
			delete(l.buckets, k)
		}
	}
}

// retrySeconds rounds a wait up to whole seconds for Retry-After.
func retrySeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// refund gives back a token taken for key (a sign-in that succeeded: only
// failures count against an address).
func (l *limiter) refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		b.tokens = math.Min(l.burst, b.tokens+1)
	}
}

// failures slows the guessing of one secret from one place: per key (a
// login and an address) it counts the tries since the last success; after
// free of them each further try must wait base, then twice that, … at most
// ceil, after the one before. A success forgets the key; so does a quiet
// spell of forget (an hour). The owner is slowed, never locked out: another key (the
// same login from another address) is not affected.
type failures struct {
	mu     sync.Mutex
	free   int
	base   time.Duration
	ceil   time.Duration
	forget time.Duration
	now    func() time.Time
	keys   map[string]*strikes
	swept  time.Time
}

type strikes struct {
	n    int       // tries since the last success
	last time.Time // of the latest try
}

func newFailures(free int, now func() time.Time) *failures {
	return &failures{free: free, base: time.Second, ceil: 5 * time.Minute, forget: time.Hour, now: now, keys: map[string]*strikes{}}
}

// try counts a try of key, or says how long key must wait first. A try
// counts as a failure until succeeded says otherwise, so tries made in
// parallel are counted too.
func (f *failures) try(key string) (bool, time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	f.sweep(now)
	st, ok := f.keys[key]
	if !ok || now.Sub(st.last) >= f.forget {
		if !ok && len(f.keys) >= maxStrikeKeys {
			f.shed()
		}
		st = &strikes{}
		f.keys[key] = st
	}
	if st.n >= f.free {
		if wait := st.last.Add(f.delay(st.n)).Sub(now); wait > 0 {
			return false, wait
		}
	}
	st.n++
	st.last = now
	return true, 0
}

// delay is the wait after n tries (n ≥ free).
func (f *failures) delay(n int) time.Duration {
	d := f.base
	for i := f.free; i < n && d < f.ceil; i++ {
		d *= 2
	}
	return min(d, f.ceil)
}

// succeeded forgets key: successes never count.
func (f *failures) succeeded(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.keys, key)
}

// undo takes back a try that was neither a success nor a failure (the
// store did not answer).
func (f *failures) undo(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st, ok := f.keys[key]; ok && st.n > 0 {
		st.n--
	}
}

// maxStrikeKeys bounds the memory of failures: past it, the keys not yet
// slowed are forgotten (an attacker with many addresses gains little: each
// address still has its own limit).
const maxStrikeKeys = 1 << 17

func (f *failures) shed() {
	for k, st := range f.keys {
		if st.n < f.free {
			delete(f.keys, k)
		}
	}
}

func (f *failures) sweep(now time.Time) {
	if now.Sub(f.swept) < time.Minute {
		return
	}
	f.swept = now
	for k, st := range f.keys {
		if now.Sub(st.last) >= f.forget {
			delete(f.keys, k)
		}
	}
}
