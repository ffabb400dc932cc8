package figures

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/okno-mfc/okno/api"
)

// Rated is one visitor's rating as the figures count it: on the day it was
// given, for the window, service and clerk that served the ticket or
// issued the result.
type Rated struct {
	At      int64 // Unix ns
	Window  int
	Service string
	Clerk   string
	Score   int
}

type ratingAcc struct {
	n, sum, below int
}

func (a *ratingAcc) add(score int) {
	a.n++
	a.sum += score
	if score < 4 {
		a.below++
	}
}

func (a ratingAcc) avg() float64 {
	if a.n == 0 {
		return 0
	}
	return math.Round(float64(a.sum)/float64(a.n)*100) / 100
}

func (a ratingAcc) belowPct() float64 {
	if a.n == 0 {
		return 0
	}
	return math.Round(float64(a.below)/float64(a.n)*1000) / 10
}

// RatingFigures counts ratings: all of them and per window, service and
// clerk (groups sorted by their key; windows by number).
func RatingFigures(rs []Rated) api.RatingFigures {
	var all ratingAcc
	wins, svcs, clerks := map[int]*ratingAcc{}, map[string]*ratingAcc{}, map[string]*ratingAcc{}
	get := func(m map[string]*ratingAcc, k string) *ratingAcc {
		if m[k] == nil {
			m[k] = &ratingAcc{}
		}
		return m[k]
	}
	for _, r := range rs {
		all.add(r.Score)
		if wins[r.Window] == nil {
			wins[r.Window] = &ratingAcc{}
		}
		wins[r.Window].add(r.Score)
		get(svcs, r.Service).add(r.Score)
		get(clerks, r.Clerk).add(r.Score)
	}
	f := api.RatingFigures{Count: all.n, Avg: all.avg(), Below4Pct: all.belowPct(),
		Windows: []api.RatingGroup{}, Services: groups(svcs), Clerks: groups(clerks)}
	for _, w := range slices.Sorted(maps.Keys(wins)) {
		a := wins[w]
		f.Windows = append(f.Windows, api.RatingGroup{Key: strconv.Itoa(w), Count: a.n, Avg: a.avg(), Below4Pct: a.belowPct()})
	}
	return f
}

func groups(m map[string]*ratingAcc) []api.RatingGroup {
	out := []api.RatingGroup{}
	for k, a := range m {
		out = append(out, api.RatingGroup{Key: k, Count: a.n, Avg: a.avg(), Below4Pct: a.belowPct()})
	}
	slices.SortFunc(out, func(a, b api.RatingGroup) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// AddRatings sets the ratings of each day of rep (its period p) and of the
// whole period.
func AddRatings(rep *api.OfficeReport, p Period, rs []Rated) {
	byDay := map[string][]Rated{}
	var all []Rated
	for _, r := range rs {
		if r.At < p.Start.UnixNano() || r.At >= p.End.UnixNano() {
			continue
		}
		day := time.Unix(0, r.At).In(p.Start.Location()).Format(time.DateOnly)
		byDay[day] = append(byDay[day], r)
		all = append(all, r)
	}
	for i := range rep.Days {
		rep.Days[i].Ratings = RatingFigures(byDay[rep.Days[i].Date])
	}
	rep.Total.Ratings = RatingFigures(all)
}
