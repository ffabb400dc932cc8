package domain

import (
	"math"
	"time"
)

// Erlang C: how many windows a flow of visitors needs. Visitors arrive at
// random (a Poisson stream of λ an hour), each reception takes on average
// AHT seconds, and c windows serve one shared queue. The offered load is
// A = λ·AHT/3600 erlangs (how many windows would be busy all the time).
// With c > A the queue is stable and
//
//	C(c, A)   = c·B / (c − A·(1 − B))        the share of visitors who wait at all
//	E[W]      = C · AHT / (c − A)            the mean wait
//	P(W ≤ t)  = 1 − C · e^{−(c−A)·t/AHT}     the share served within t
//
// where B = B(c, A) is Erlang B, computed by the recursion
// B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)), which never forms a factorial
// or a power and stays within [0, 1] for any c and A.

// NoWait is what ExpectedWait returns when the queue grows without bound.
const NoWait = time.Duration(math.MaxInt64)

// maxWindows bounds WindowsNeeded's search (far beyond any service centre).
const maxWindows = 100000

// ErlangB is the blocking probability of c servers under a load of a
// erlangs (0 servers block everything).
func ErlangB(servers int, traffic float64) float64 {
	if traffic <= 0 {
		if servers <= 0 {
			return 1
		}
		return 0
	}
	b := 1.0
	for k := 1; k <= servers; k++ {
		b = traffic * b / (float64(k) + traffic*b)
	}
	return b
}

// ErlangC is the probability that a visitor has to wait, with c windows
// open and a load of traffic erlangs: 0 with no load, 1 when the load is
// as large as the windows or larger (the queue then grows without bound).
func ErlangC(servers int, traffic float64) float64 {
	switch {
	case traffic <= 0:
		return 0
	case servers <= 0 || traffic >= float64(servers):
		return 1
	}
	b := ErlangB(servers, traffic)
	c := float64(servers)
	p := c * b / (c - traffic*(1-b))
	return min(1, max(0, p))
}

// Traffic is the offered load in erlangs of arrivalPerHour visitors an
// hour, each served in meanServiceSec seconds on average.
func Traffic(arrivalPerHour, meanServiceSec float64) float64 {
	if arrivalPerHour <= 0 || meanServiceSec <= 0 {
		return 0
	}
	return arrivalPerHour * meanServiceSec / 3600
}

// ExpectedWait is the mean wait in the queue with c windows open. ok is
// false (and the wait NoWait) when the load is as large as the windows or
// larger: the queue then grows for as long as the flow lasts.
func ExpectedWait(servers int, arrivalPerHour, meanServiceSec float64) (wait time.Duration, ok bool) {
	a := Traffic(arrivalPerHour, meanServiceSec)
	if a == 0 {
		return 0, true
	}
	if servers <= 0 || a >= float64(servers) {
		return NoWait, false
	}
	sec := ErlangC(servers, a) * meanServiceSec / (float64(servers) - a)
	return time.Duration(sec * float64(time.Second)), true
}

// ServiceLevel is the share of visitors whose wait is at most norm, with c
// windows open: 1 with no load, 0 when the load is as large as the windows.
func ServiceLevel(servers int, arrivalPerHour, meanServiceSec float64, norm time.Duration) float64 {
	a := Traffic(arrivalPerHour, meanServiceSec)
	if a == 0 {
		return 1
	}
	if servers <= 0 || a >= float64(servers) {
		return 0
	}
	c := ErlangC(servers, a)
	t := max(0, norm.Seconds())
	return min(1, max(0, 1-c*math.Exp(-(float64(servers)-a)*t/meanServiceSec)))
}

// WindowsNeeded is the smallest number of open windows that serves the
// flow within the norm:
//
//   - with targetShare in (0, 1], at least that share of visitors waits at
//     most norm (the service level: 0.8 is "80 % within 15 minutes");
//     a share of 1 is taken as 0.999, since some visitor always waits
//     under random arrivals;
//   - with targetShare ≤ 0, the mean wait is at most norm.
//
// It is always a finite number, also when the load exceeds the windows open
// now: at least ⌊A⌋+1 windows, where A is the load in erlangs. No arrivals
// need no window (0); any arrivals need at least one.
func WindowsNeeded(arrivalPerHour, meanServiceSec float64, norm time.Duration, targetShare float64) int {
	if arrivalPerHour <= 0 {
		return 0
	}
	a := Traffic(arrivalPerHour, meanServiceSec)
	if a == 0 {
		return 1
	}
	target := min(targetShare, 0.999)
	start := max(1, int(math.Floor(a))+1)
	for c := start; c < maxWindows; c++ {
		if targetShare > 0 {
			if ServiceLevel(c, arrivalPerHour, meanServiceSec, norm) >= target {
				return c
			}
			continue
		}
		if w, ok := ExpectedWait(c, arrivalPerHour, meanServiceSec); ok && w <= norm {
			return c
		}
	}
	return maxWindows
}
