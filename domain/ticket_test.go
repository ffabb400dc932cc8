package domain

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// TestIssuerNumber: the central (0) and every window 1–999 number apart
// for MaxIssued tickets of a prefix a day; the next starts again.
func TestIssuerNumber(t *testing.T) {
	t.Parallel()
	seen := make([]int16, 1_000_000) // number → issuer+1
	for w := 0; w <= 999; w++ {
		for n := int64(1); n <= MaxIssued; n++ {
			num := IssuerNumber(w, n)
			if num < 1 || num > 999999 {
				t.Fatalf("window %d's ticket %d: number %d out of 1–999999", w, n, num)
			}
			if seen[num] != 0 {
				t.Fatalf("window %d's ticket %d has number %d, as window %d's", w, n, num, seen[num]-1)
			}
			seen[num] = int16(w + 1)
			if _, err := ParseTicketNumber(TicketNumber{Prefix: "A", N: num}.String()); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range []struct {
		w    int
		n    int64
		want int
	}{{0, 1, 1}, {0, 999, 999}, {0, 1000, 1}, {3, 1, 3001}, {3, 17, 3017}, {12, 1, 12001}, {999, 999, 999999}} {
		if got := IssuerNumber(c.w, c.n); got != c.want {
			t.Errorf("IssuerNumber(%d, %d) = %d, want %d", c.w, c.n, got, c.want)
		}
	}
}

func TestParseTicketNumber(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"A-017", "A-017"},
		{"a17", "A-017"},
		{" A 17 ", "A-017"},
		{"А-001", "А-001"}, // Cyrillic А
		{"ЛК-999", "ЛК-999"},
		{"abc-5", "ABC-005"},
		{"A-3017", "A-3017"},     // window 3's
		{"Б 999999", "Б-999999"}, // window 999's last
	} {
		got, err := ParseTicketNumber(c.in)
		if err != nil || got.String() != c.want {
			t.Errorf("ParseTicketNumber(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, c := range []struct{ in, problem string }{
		{"", ProblemEmpty},
		{"017", ProblemFormat},
		{"A", ProblemFormat},
		{"ABCD-017", ProblemFormat},
		{"A-0", ProblemRange},
		{"A-1000000", ProblemRange},
		{"17-A", ProblemFormat},
		{"AБ-017", ProblemChars},
		{"A_017", ProblemChars},
		{"Ω-017", ProblemChars},
	} {
		_, err := ParseTicketNumber(c.in)
		var ie *InvalidError
		if !errors.As(err, &ie) || ie.Problem != c.problem || ie.Field != "ticket_number" {
			t.Errorf("ParseTicketNumber(%q) = %v, want ticket_number/%s", c.in, err, c.problem)
		}
	}
}

func TestQueueOrder(t *testing.T) {
	t.Parallel()
	at := func(min int) time.Time { return time.Date(2026, 11, 23, 9, min, 0, 0, time.UTC) }
	entries := []QueueEntry{
		{TicketID: "1", Number: "A-001", Service: "passport", IssuedAt: at(0), State: TicketWaiting},
		{TicketID: "2", Number: "A-002", Service: "housing", IssuedAt: at(1), State: TicketWaiting},
		{TicketID: "3", Number: "L-001", Service: "passport", Category: "disabled_1", Rank: 2, IssuedAt: at(5), State: TicketWaiting},
		{TicketID: "4", Number: "L-002", Service: "passport", Category: "veteran_gpw", Rank: 1, IssuedAt: at(9), State: TicketWaiting},
		{TicketID: "5", Number: "L-003", Service: "housing", Category: "veteran_gpw", Rank: 1, IssuedAt: at(2), State: TicketCalled, Window: 1},
		{TicketID: "6", Number: "A-004", Service: "passport", Category: "unranked", IssuedAt: at(0), State: TicketWaiting},
		{TicketID: "7", Number: "A-003", Service: "passport", IssuedAt: at(0), State: TicketWaiting},
		{TicketID: "8", Number: "A-000", Service: "passport", IssuedAt: at(0), State: TicketPostponed},
	}
	all := func(string) bool { return true }
	passport := func(s string) bool { return s == "passport" }
	housing := func(s string) bool { return s == "housing" }
	none := func(string) bool { return false }

	var order []string
	rest := slices.Clone(entries)
	for {
		e, ok := NextInQueue(rest, all)
		if !ok {
			break
		}
		order = append(order, e.TicketID)
		rest = slices.DeleteFunc(rest, func(x QueueEntry) bool { return x.TicketID == e.TicketID })
	}
	// veteran (rank 1), disabled (rank 2), then ordinary by time and number;
	// a category without rank is ordinary; called and postponed are skipped.
	if want := []string{"4", "3", "1", "7", "6", "2"}; !slices.Equal(order, want) {
		t.Errorf("call order %v, want %v", order, want)
	}
	if e, ok := NextInQueue(entries, housing); !ok || e.TicketID != "2" {
		t.Errorf("housing window calls %+v, %v; want ticket 2", e, ok)
	}
	if e, ok := NextInQueue(entries, passport); !ok || e.TicketID != "4" {
		t.Errorf("passport window calls %+v, %v; want ticket 4", e, ok)
	}
	if e, ok := NextInQueue(entries, nil); !ok || e.TicketID != "4" {
		t.Errorf("nil canServe calls %+v, %v; want ticket 4", e, ok)
	}
	if _, ok := NextInQueue(entries, none); ok {
		t.Error("a window that serves nothing called someone")
	}
	if _, ok := NextInQueue(nil, all); ok {
		t.Error("an empty queue called someone")
	}

	sorted := slices.Clone(entries)
	slices.Reverse(sorted)
	SortQueue(sorted)
	var ids []string
	for _, e := range sorted {
		ids = append(ids, e.TicketID)
	}
	if want := []string{"5", "4", "3", "8", "1", "7", "6", "2"}; !slices.Equal(ids, want) {
		t.Errorf("SortQueue = %v, want %v", ids, want)
	}
}
