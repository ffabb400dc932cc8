package domain

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCheckJSONText(t *testing.T) {
	cases := []struct {
		in   string
		want error
	}{
		{`{"a":"Фёдорова"}`, nil},
		{`{"a":"\\u0000"}`, nil}, // an escaped backslash, then the text u0000
		{`{"a":"\\\u0000"}`, ErrNUL},
		{`{"a":"\u0000"}`, ErrNUL},
		{`{"\u0000":1}`, ErrNUL},
		{`{"a":"\u00000"}`, ErrNUL},
		{`{"a":"\u0001"}`, nil},
		{"{\"a\":\"\x00\"}", ErrNUL},
		{"{\"a\":\"\xff\"}", ErrNotUTF8},
		{"{\"a\":\"\xc0\x80\"}", ErrNotUTF8},
		{"{\"a\":\"\xed\xa0\x80\"}", ErrNotUTF8},
		{`"\`, nil},
	}
	for _, c := range cases {
		if err := CheckJSONText([]byte(c.in)); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%q: %v, want %v", c.in, err, c.want)
		}
	}
}

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{
		"ok":                    "ok",
		"a\x00b":                "ab",
		"a\xffb":                "a\uFFFDb",
		strings.Repeat("я", 10): strings.Repeat("я", 2) + "…", // cut on a rune boundary, after 5 bytes at most
	} {
		if got := SafeText(in, 5); got != want || CheckText(got) != nil {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEventCheckAt: the times an event may carry, and its texts.
func TestEventCheckAt(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	base := func() Event {
		e := Event{ID: "01900000-0000-7000-8000-000000000001", Office: "IRK", Window: 3, Seq: 1, At: now, Kind: EvTicketIssued,
			TicketID: "01900000-0000-7000-8000-000000000002", Payload: json.RawMessage(`{"number":"A-301","service":"advertising_permit"}`)}
		return e
	}
	cases := []struct {
		name string
		set  func(*Event)
		want string // a piece of the error; "" for none
	}{
		{"now", func(*Event) {}, ""},
		{"2000-01-01 exactly", func(e *Event) { e.At = EarliestEventTime }, ""},
		{"a nanosecond before", func(e *Event) { e.At = EarliestEventTime.Add(-time.Nanosecond) }, "at: 1999-12-31T23:59:59Z is before 2000-01-01"},
		{"year 1", func(e *Event) { e.At = time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC) }, "is before"},
		{"24 h ahead", func(e *Event) { e.At = now.Add(MaxEventAhead) }, ""},
		{"24 h and a nanosecond ahead, in another zone", func(e *Event) {
			e.At = now.Add(MaxEventAhead + time.Nanosecond).In(time.FixedZone("+08", 8*3600))
		}, "more than 24h0m0s after the checker's clock"},
		{"9999-12-31", func(e *Event) { e.At = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) }, "runs ahead"},
		{"actor NUL", func(e *Event) { e.Actor = "a\x00" }, "actor: contains a NUL"},
		{"case_id not UTF-8", func(e *Event) { e.CaseID = "\xff" }, "case_id: is not valid UTF-8"},
		{"payload \\u0000", func(e *Event) { e.Payload = json.RawMessage(`{"number":"\u0000","service":"advertising_permit"}`) }, "payload: contains a NUL"},
		{"payload not UTF-8", func(e *Event) {
			e.Payload = json.RawMessage("{\"number\":\"\xff\",\"service\":\"advertising_permit\"}")
		}, "payload: is not valid UTF-8"},
	}
	for _, c := range cases {
		e := base()
		c.set(&e)
		e.Seal("")
		err := e.CheckAt(now)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrInvalid)) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	for at, want := range map[time.Time]bool{EarliestEventTime: true, EarliestEventTime.Add(-1): false,
		now.Add(MaxEventAhead): true, now.Add(MaxEventAhead + 1): false} {
		if InTimeRange(at, now) != want {
			t.Errorf("InTimeRange(%s) = %v", at.Format(time.RFC3339Nano), !want)
		}
	}
}
