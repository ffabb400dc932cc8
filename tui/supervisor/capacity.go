package supervisor

import (
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// capacity is the Capacity section's arithmetic: the flow of the last hour
// against the windows open now (Erlang C, domain.WindowsNeeded).
type capacity struct {
	arrivals    int     // visitors in the last hour
	aht         float64 // mean reception, seconds
	ahtFromNorm bool    // nobody served yet today: the regulation's reception time
	load        float64 // erlangs
	norm        time.Duration
	target      float64 // share to serve within the norm
	open        int     // serving + free
	serving     int
	free        int
	total       int // windows the snapshot knows
	needed      int
	rows        []capRow
}

// capRow is what n open windows would give.
type capRow struct {
	windows int
	wait    time.Duration
	stable  bool    // false: the queue grows
	within  float64 // share within the norm, 0…1
}

func computeCapacity(snap *api.QueueSnapshot, cat *domain.Catalog, target float64) capacity {
	c := capacity{target: target, norm: 15 * time.Minute}
	if cat != nil {
		c.norm = time.Duration(cat.WaitNorm("")) * time.Minute
	}
	if snap == nil {
		return c
	}
	for _, w := range snap.Windows {
		c.total++
		switch w.State {
		case "serving":
			c.serving++
		case "free":
			c.free++
		}
	}
	c.open = c.serving + c.free
	c.arrivals = snap.Today.ArrivalsLastHr
	c.aht = snap.Today.AvgServiceSec
	if c.aht <= 0 {
		c.ahtFromNorm = true
		c.aht = 15 * 60
		if cat != nil && cat.Norms.ReceptionMinutes > 0 {
			c.aht = float64(cat.Norms.ReceptionMinutes) * 60
		}
	}
	perHour := float64(c.arrivals)
	c.load = domain.Traffic(perHour, c.aht)
	c.needed = domain.WindowsNeeded(perHour, c.aht, c.norm, target)
	if c.arrivals == 0 {
		return c
	}
	lo := max(1, min(c.open, c.needed)-1)
	hi := max(c.open, c.needed) + 1
	if hi-lo > 5 {
		lo = hi - 5
	}
	for n := lo; n <= hi; n++ {
		w, ok := domain.ExpectedWait(n, perHour, c.aht)
		c.rows = append(c.rows, capRow{windows: n, wait: w, stable: ok,
			within: domain.ServiceLevel(n, perHour, c.aht, c.norm)})
	}
	return c
}
