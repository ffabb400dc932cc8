// Package seed makes synthetic but realistic data for demos, benchmarks and
// the district-office test: Russian and Ukrainian visitors with documents
// whose check digits are right, and days of front-desk work, all recorded
// through localdb's intent methods exactly as a clerk's actions would be.
package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
)

// Gen makes visitors from a seeded random source, so a run can be repeated.
type Gen struct {
	r *rand.Rand
	c *rand.Rand // consents to notices: a stream of its own, so the people stay those of earlier versions
	n int        // e-mail addresses made
}

// New makes a generator with a fixed seed.
func New(seed uint64) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), c: rand.New(rand.NewPCG(seed^0x5eed, seed))}
}

// Consent gives one visitor in three an e-mail address and their consent
// to notices by e-mail, dated day (the demo's notices need someone to
// tell); the language follows the visitor's document.
func (g *Gen) Consent(v *domain.Visitor, day time.Time) {
	if g.c.IntN(3) != 0 {
		return
	}
	g.n++
	v.Email = fmt.Sprintf("visitor%04d@example.org", g.n)
	lang := "ru"
	if v.DocType == domain.DocIDCardUA || v.DocType == domain.DocPassportUA {
		lang = "uk"
	}
	v.Notices = &domain.NoticeConsent{Channel: domain.NoticeEmail, Lang: lang, Date: day.Format(time.DateOnly)}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// Visitor makes one visitor: two in three Russian (internal passport, SNILS,
// sometimes an INN), one in three Ukrainian (ID card or booklet passport,
// RNOKPP).
func (g *Gen) Visitor() domain.Visitor {
	r := g.r
	male := r.IntN(2) == 0
	birth := time.Date(1940+r.IntN(65), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	var v domain.Visitor
	v.BirthDate = birth.Format("2006-01-02")
	if r.IntN(3) < 2 {
		s := pick(r, ruSurnames)
		if male {
			v.FullName = s.male + " " + pick(r, ruMale) + " " + pick(r, ruPatronymicM)
		} else {
			v.FullName = s.female + " " + pick(r, ruFemale) + " " + pick(r, ruPatronymicF)
		}
		v.DocType = domain.DocPassportRU
		v.DocNumber = fmt.Sprintf("%02d%02d %06d", 1+r.IntN(98), r.IntN(25), 1+r.IntN(999998))
		v.SNILS = domain.MakeSNILS(1_002_000 + r.IntN(998_000_000))
		if r.IntN(3) == 0 {
			v.INN = domain.MakeINN12(fmt.Sprintf("%02d%08d", 1+r.IntN(98), r.IntN(100_000_000)))
		}
		v.Phone = fmt.Sprintf("+79%09d", r.IntN(1_000_000_000))
	} else {
		s := pick(r, uaSurnames)
		if male {
			v.FullName = s.male + " " + pick(r, uaMale) + " " + pick(r, uaPatronymicM)
		} else {
			v.FullName = s.female + " " + pick(r, uaFemale) + " " + pick(r, uaPatronymicF)
		}
		if r.IntN(2) == 0 {
			v.DocType = domain.DocIDCardUA
			v.DocNumber = fmt.Sprintf("%09d", 1+r.IntN(999_999_998))
		} else {
			v.DocType = domain.DocPassportUA
			v.DocNumber = fmt.Sprintf("%c%c%06d", pick(r, []rune("АВЕКМНОРСТ")), pick(r, []rune("АВЕКМНОРСТ")), 1+r.IntN(999_998))
		}
		v.RNOKPP = domain.MakeRNOKPP(birth, r.IntN(1000), male)
		v.Phone = fmt.Sprintf("+3806%08d", r.IntN(100_000_000))
	}
	if r.IntN(4) == 0 {
		v.Phone = ""
	}
	return v
}

// Plan says how much work to make.
type Plan struct {
	Days   int       // working days back from End, End included
	PerDay int       // visitors per day
	End    time.Time // the last day; zero = today
	Seed   uint64
	Actor  string // the clerk's login recorded on the events
	// Progress, if set, is told after each day.
	Progress func(day time.Time, visitors int)
}

// Totals count what Run recorded.
type Totals struct {
	Visitors, Tickets, Cases, HandedOff, NoShows, Events int
}

// Run records Plan's days of front-desk work at the store's window through
// its intent methods, moving the store's clock through each day (and
// putting it back at the end). Per visitor: a ticket, the call, then mostly a
// case with its checklist and hand-off; some do not show up. Some visitors
// come back on a later day and are found, not registered again.
func Run(ctx context.Context, s *localdb.Store, p Plan) (Totals, error) {
	var t Totals
	g := New(p.Seed)
	if p.Actor == "" {
		p.Actor = "demo"
	}
	end := p.End
	if end.IsZero() {
		end = time.Now()
	}
	// The working days, oldest first.
	cal := s.Calendar()
	var days []time.Time
	for d := end; len(days) < p.Days; d = d.AddDate(0, 0, -1) {
		if cal.IsWorkingDay(d) {
			days = append([]time.Time{time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, d.Location())}, days...)
		}
	}
	realNow := s.Now
	defer func() { s.Now = realNow }()
	var known []string // visitor ids, for returning visitors
	services := s.Catalog().Services
	for _, day := range days {
		clock := day
		s.Now = func() time.Time { clock = clock.Add(time.Duration(1+g.r.IntN(20)) * time.Second); return clock }
		step := 9 * time.Hour / time.Duration(p.PerDay+1) // spread over the day
		for i := 0; i < p.PerDay; i++ {
			clock = day.Add(time.Duration(i) * step)
			svc := pick(g.r, services)
			if len(svc.Equipment) > 0 && g.r.IntN(2) == 0 {
				svc = services[0]
			}
			category, proof := "", ""
			if cats := s.Catalog().Categories; len(cats) > 0 && g.r.IntN(12) == 0 {
				c := pick(g.r, cats)
				category, proof = c.Code, c.Proof+" № "+fmt.Sprint(10000+g.r.IntN(89999))
			}
			tk, err := s.IssueTicket(ctx, p.Actor, svc.Code, category, proof)
			if err != nil {
				return t, fmt.Errorf("day %s: ticket: %w", day.Format("2006-01-02"), err)
			}
			t.Tickets++
			if _, err := s.CallTicket(ctx, p.Actor, api.QueueTicket{ID: tk.ID, Number: tk.Number, Service: tk.Service}); err != nil {
				return t, fmt.Errorf("call: %w", err)
			}
			if g.r.IntN(15) == 0 {
				if _, err := s.Move(ctx, p.Actor, tk.ID, domain.EvTicketNoShow); err != nil {
					return t, err
				}
				t.NoShows++
				continue
			}
			var vid string
			if len(known) > 0 && g.r.IntN(5) == 0 {
				vid = pick(g.r, known)
			} else {
				nv := g.Visitor()
				g.Consent(&nv, day)
				v, err := s.RegisterVisitor(ctx, p.Actor, nv)
				if err != nil {
					return t, fmt.Errorf("register: %w", err)
				}
				vid = v.ID
				known = append(known, vid)
				t.Visitors++
			}
			c, err := s.OpenCase(ctx, p.Actor, vid, svc.Code, tk.ID)
			if err != nil {
				return t, fmt.Errorf("open case: %w", err)
			}
			t.Cases++
			for _, d := range svc.Documents {
				if d.Need != domain.Required && g.r.IntN(2) == 0 {
					continue
				}
				presented := d.Need != domain.Required || g.r.IntN(20) != 0
				if err := s.CheckDocument(ctx, p.Actor, c.ID, domain.DocumentPayload{Doc: d.Code, Presented: presented}); err != nil {
					return t, fmt.Errorf("checklist: %w", err)
				}
			}
			if _, err := s.HandOff(ctx, p.Actor, c.ID, "the applicant will bring it to the department"); err != nil {
				return t, fmt.Errorf("hand off: %w", err)
			}
			t.HandedOff++
			if _, err := s.Move(ctx, p.Actor, tk.ID, domain.EvTicketServed); err != nil {
				return t, err
			}
		}
		if p.Progress != nil {
			p.Progress(day, p.PerDay)
		}
	}
	st, err := s.Outbox(ctx)
	t.Events = st.Pending + st.Sent + st.Rejected
	return t, err
}
