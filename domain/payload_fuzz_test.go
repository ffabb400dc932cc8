package domain

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sync/atomic"
	"testing"
)

// FuzzPayloadAsEncodingJSON: DecodePayload decodes on go-json-experiment's
// engine with encoding/json's rules; for any one JSON value it must take
// and refuse what encoding/json (unknown fields refused) takes and refuses,
// and decode the same values, or the central and a window of an older okno
// would judge the same signed event apart.
func FuzzPayloadAsEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{"visitor":{"id":"x","full_name":"Иван","doc_type":"passport_ru","doc_number":"1"}}`,
		`{"doc":"passport","presented":true,"form":"original","count":1}`,
		`{"Doc":"passport","DOC":"x","count":1.0}`, `{"doc":"a\ud800b","count":null}`,
		`{"department":"x","deadline":"2026-03-02","department":"y"}`, `{"number":"A-1","service":"s","colour":1}`,
	} {
		f.Add([]byte(s))
	}
	var accepted atomic.Int64
	f.Cleanup(func() {
		if accepted.Load() == 0 {
			f.Error("no payload was accepted: the comparison saw only refusals")
		}
	})
	f.Fuzz(func(t *testing.T, b []byte) {
		var one json.RawMessage
		if json.Unmarshal(b, &one) != nil {
			return // not one JSON value: never a payload
		}
		for _, kind := range []EventKind{EvVisitorRegistered, EvDocumentChecked, EvCaseHandedOff, EvTicketIssued} {
			const id = "01900000-0000-7000-8000-000000000001"
			e := Event{Kind: kind, Payload: b, CaseID: id, TicketID: id, VisitorID: id}
			got, err := e.DecodePayload()
			want := newPayload(kind)
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			werr := dec.Decode(want)
			if werr == nil {
				werr = checkPayload(&e, want)
			}
			if (err == nil) != (werr == nil) {
				t.Fatalf("%s %q: DecodePayload %v; encoding/json %v", kind, b, err, werr)
			}
			if err == nil {
				accepted.Add(1)
			}
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %q: DecodePayload %+v; encoding/json %+v", kind, b, got, want)
			}
		}
	})
}
