package domain

import (
	"math"
	"testing"
	"time"
)

// erlangCFactorial is the textbook formula, for small cases only: an
// independent oracle for the recursion.
func erlangCFactorial(n int, a float64) float64 {
	sum, term := 0.0, 1.0 // term = a^k / k!
	for k := 0; k < n; k++ {
		sum += term
		term *= a / float64(k+1)
	}
	top := term * float64(n) / (float64(n) - a)
	return top / (sum + top)
}

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func TestErlangCTable(t *testing.T) {
	t.Parallel()
	// Hand-computed with the factorial formula (and, where marked, the
	// values printed in call-centre textbooks and calculators).
	tests := []struct {
		n    int
		a    float64
		want float64
	}{
		{1, 0.5, 0.5},        // M/M/1: C = ρ
		{2, 1, 1.0 / 3},      // 1/3
		{3, 2, 4.0 / 9},      // 4/9
		{11, 10, 0.682118},   // the classic call-centre example: 68.21 %
		{12, 10, 0.449388},   // 44.94 %
		{13, 10, 0.285270},   // 28.53 %
		{14, 10, 0.174132},   // 17.41 %
		{5, 4.5, 0.762493},   // heavy load
		{20, 15, 0.160429},   // a large centre
		{50, 45, 0.363864},   // larger than any centre
		{3, 0, 0},            // nobody comes: nobody waits
		{3, 3, 1},            // load = windows: everyone waits
		{3, 7.5, 1},          // load beyond the windows
		{0, 1, 1},            // no window open
		{400, 380, 0.220314}, // no overflow where a factorial would (exact rational recursion)
	}
	for _, tc := range tests {
		got := ErlangC(tc.n, tc.a)
		if !near(got, tc.want, 5e-5) {
			t.Errorf("ErlangC(%d, %g) = %.6f, want %.6f", tc.n, tc.a, got, tc.want)
		}
		if tc.a > 0 && tc.a < float64(tc.n) && tc.n <= 50 {
			if o := erlangCFactorial(tc.n, tc.a); !near(got, o, 1e-9) {
				t.Errorf("ErlangC(%d, %g) = %.9f, the factorial formula gives %.9f", tc.n, tc.a, got, o)
			}
		}
	}
}

func TestErlangCLargeIsStable(t *testing.T) {
	t.Parallel()
	// A factorial would overflow float64 at 171!; the recursion does not.
	for _, n := range []int{171, 500, 5000} {
		for _, load := range []float64{0.5, 0.9, 0.99} {
			c := ErlangC(n, float64(n)*load)
			if math.IsNaN(c) || c < 0 || c > 1 {
				t.Fatalf("ErlangC(%d, %g) = %v", n, float64(n)*load, c)
			}
		}
	}
	// More windows never make waiting likelier.
	prev := 1.0
	for n := 11; n < 40; n++ {
		c := ErlangC(n, 10)
		if c > prev {
			t.Fatalf("ErlangC(%d, 10) = %g > ErlangC(%d, 10) = %g", n, c, n-1, prev)
		}
		prev = c
	}
}

func TestExpectedWaitAndServiceLevel(t *testing.T) {
	t.Parallel()
	// The call-centre example: 100 calls in 30 minutes (200 an hour), 180 s
	// each, so A = 10 erlangs; answer within 20 s.
	const perHour, aht = 200.0, 180.0
	tests := []struct {
		n        int
		asaSec   float64 // mean wait
		sl20     float64 // share answered within 20 s
		ok       bool
		tolerate float64
	}{
		{11, 122.7813, 0.389614, true, 0.01},
		{12, 40.4449, 0.640158, true, 0.01},
		{13, 17.1162, 0.795595, true, 0.01},
		{14, 7.8359, 0.888350, true, 0.01},
		{10, 0, 0, false, 0},
		{9, 0, 0, false, 0},
	}
	for _, tc := range tests {
		w, ok := ExpectedWait(tc.n, perHour, aht)
		if ok != tc.ok {
			t.Fatalf("ExpectedWait(%d): ok %v, want %v", tc.n, ok, tc.ok)
		}
		if !ok {
			if w != NoWait {
				t.Errorf("ExpectedWait(%d) = %v, want NoWait", tc.n, w)
			}
		} else if !near(w.Seconds(), tc.asaSec, tc.tolerate) {
			t.Errorf("ExpectedWait(%d) = %.4fs, want %.4fs", tc.n, w.Seconds(), tc.asaSec)
		}
		if sl := ServiceLevel(tc.n, perHour, aht, 20*time.Second); !near(sl, tc.sl20, 1e-5) {
			t.Errorf("ServiceLevel(%d, 20s) = %.6f, want %.6f", tc.n, sl, tc.sl20)
		}
	}
	if w, ok := ExpectedWait(3, 0, 600); !ok || w != 0 {
		t.Errorf("no arrivals: wait %v ok %v", w, ok)
	}
	if sl := ServiceLevel(0, 10, 600, time.Minute); sl != 0 {
		t.Errorf("no windows: service level %g", sl)
	}
}

func TestWindowsNeeded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		perHour float64
		aht     float64
		norm    time.Duration
		share   float64
		want    int
	}{
		// The textbook answer: 14 agents for 80 % within 20 s.
		{"call centre 80/20", 200, 180, 20 * time.Second, 0.8, 14},
		// ASA ≤ 20 s: 13 gives 17.1 s.
		{"call centre mean wait", 200, 180, 20 * time.Second, 0, 13},
		// A service centre: 30 visitors an hour, 12 minutes each (A = 6),
		// 80 % within 15 minutes. 7 windows: C = 0.6138, SL = 1 −
		// 0.6138·e^{−1·15/12} = 0.8241.
		{"centre 80% in 15 min", 30, 720, 15 * time.Minute, 0.8, 7},
		// The same flow, 95 % within 15 minutes: 8 windows.
		{"centre 95% in 15 min", 30, 720, 15 * time.Minute, 0.95, 8},
		// A flow far beyond today's windows is still a number: A = 40.
		{"overload", 240, 600, 15 * time.Minute, 0.8, 41},
		{"nobody comes", 0, 600, 15 * time.Minute, 0.8, 0},
		{"no service time yet", 12, 0, 15 * time.Minute, 0.8, 1},
		{"a trickle", 1, 600, 15 * time.Minute, 0.8, 1},
		{"share of 1 is 0.999", 30, 720, 15 * time.Minute, 1, 10},
		{"zero norm", 30, 720, 0, 0.8, 9},
	}
	for _, tc := range tests {
		got := WindowsNeeded(tc.perHour, tc.aht, tc.norm, tc.share)
		if got != tc.want {
			t.Errorf("%s: WindowsNeeded = %d, want %d", tc.name, got, tc.want)
		}
		if got > 0 && tc.aht > 0 {
			a := Traffic(tc.perHour, tc.aht)
			if float64(got) <= a {
				t.Errorf("%s: %d windows for a load of %g erlangs", tc.name, got, a)
			}
			if tc.share > 0 && ServiceLevel(got, tc.perHour, tc.aht, tc.norm) < min(tc.share, 0.999) {
				t.Errorf("%s: %d windows miss the target", tc.name, got)
			}
			if got > 1 && tc.share > 0 && ServiceLevel(got-1, tc.perHour, tc.aht, tc.norm) >= min(tc.share, 0.999) {
				t.Errorf("%s: %d windows would do", tc.name, got-1)
			}
		}
	}
}
