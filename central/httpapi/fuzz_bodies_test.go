package httpapi

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// The decoders of the API's request bodies, fuzzed: each must answer any
// body with a value or a 4xx carrying a code — never panic, never a 5xx —
// and the checks after it must hold for what they let through. Run one
// with: go test ./central/httpapi -run '^$' -fuzz FuzzDecodeSignIn -fuzztime 30s

// decodeOK reports whether body decodes into v; a refusal must be a 4xx
// with a code.
func decodeOK(t *testing.T, body []byte, v any) bool {
	t.Helper()
	err := decodeBytes(body, v)
	if err == nil {
		if domain.CheckJSONText(body) != nil {
			t.Fatalf("a body with bad bytes decoded: %q", body)
		}
		return true
	}
	checkRefusal(t, err)
	return false
}

func checkRefusal(t *testing.T, err error) {
	t.Helper()
	he := asHTTP(err)
	if he.status < 400 || he.status >= 500 || he.code == "" || he.msg == "" {
		t.Fatalf("refusal answered %d %q %q (%v)", he.status, he.code, he.msg, err)
	}
}

func addSeeds(f *testing.F, seeds ...string) {
	for _, s := range append(seeds, ``, `null`, `[]`, `{}`, `{"x": 1}`, `{`, `"str"`, `{} {}`, "{\"a\":\"\xff\"}",
		`{"login":"\u0000"}`, `{"login":"\\u0000"}`, "{\"login\":\"\xc0\x80\"}") {
		f.Add([]byte(s))
	}
}

func FuzzDecodeSignIn(f *testing.F) {
	addSeeds(f, `{"login":"anna","password":"pass-anna-secret","window":3}`, `{"login":"ws-IRK-03","password":"x"}`,
		`{"login":1}`, `{"login":"a","password":"b","window":-1}`, `{"login":"a","password":"b","window":1e3}`,
		`{"login":"Фёдорова","password":"112-233-445 95"}`, `{"login":"a","login":"b"}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		var req api.SignInRequest
		if !decodeOK(t, body, &req) {
			return
		}
		if err := checkSignIn(&req); err != nil {
			checkRefusal(t, err)
			return
		}
		if req.Window < 0 || req.Window > 999 || len(req.Login) > 200 || len(req.Password) > 1024 {
			t.Fatalf("let through: %+v", req)
		}
	})
}

func FuzzDecodeStatus(f *testing.F) {
	addSeeds(f, `{"status":"accepted"}`, `{"status":"ready","note":"готово"}`, `{"status":"flying"}`,
		`{"status":"refused","note":"`+string(make([]byte, 10))+`"}`, `{"status":null}`, `{"note":""}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		var req api.StatusRequest
		if !decodeOK(t, body, &req) {
			return
		}
		err := store.CheckStatus(&req)
		var se *store.StatusError
		switch {
		case err == nil:
			if !req.Status.Valid() || len([]rune(req.Note)) > 2000 {
				t.Fatalf("let through: %+v", req)
			}
		case !errors.As(err, &se) || !se.Invalid:
			t.Fatalf("refused with %#v, want an invalid StatusError", err)
		default:
			checkRefusal(t, err)
		}
	})
}

func FuzzDecodeCallNext(f *testing.F) {
	addSeeds(f, `{"window":3}`, `{"window":3,"services":["foreign_passport"]}`, `{"window":0}`, `{"window":1000}`,
		`{"services":[1]}`, `{"window":3,"services":null}`)
	callers := []*store.Session{
		{Operator: domain.Operator{Login: "ws-IRK-03", Role: domain.RoleWorkstation, Office: "IRK", Window: 3}},
		{Operator: domain.Operator{Login: "admin", Role: domain.RoleAdmin, Office: store.AllOffices}},
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, c := range callers {
			var req api.CallNextRequest
			if !decodeOK(t, body, &req) {
				return
			}
			if err := checkCallNext(&req, c); err != nil {
				checkRefusal(t, err)
				continue
			}
			if req.Window < 1 || req.Window > 999 || (c.Window > 0 && req.Window != c.Window) {
				t.Fatalf("let through for %s: %+v", c.Login, req)
			}
		}
	})
}

func FuzzDecodeEnrol(f *testing.F) {
	addSeeds(f, `{"office":"IRK","window":3,"public_key":"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=","equipment":["biometric"],"last_seq":12}`,
		`{"office":"irk","window":3}`, `{"office":"IRK","window":0}`, `{"office":"IRK","window":3,"public_key":"AAAA"}`,
		`{"office":"IRK","window":3,"equipment":["a,b"]}`, `{"office":"IRK","window":3,"last_seq":-1}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		var req api.EnrolRequest
		if !decodeOK(t, body, &req) {
			return
		}
		if err := store.CheckEnrol(&req); err != nil {
			if !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("refused with %#v, want an InvalidError", err)
			}
			checkRefusal(t, err)
			return
		}
		if !domain.ValidOffice(req.Office) || req.Window < 1 || req.Window > 999 || req.LastSeq < 0 {
			t.Fatalf("let through: %+v", req)
		}
		if req.PublicKey != "" {
			if _, err := domain.ParsePublicKey(req.PublicKey); err != nil {
				t.Fatalf("let through a key that does not parse: %q", req.PublicKey)
			}
		}
	})
}

// FuzzDecodeCatalog: the body of PUT /v1/catalog. What validates must
// survive its own JSON: the same hash, valid again.
func FuzzDecodeCatalog(f *testing.F) {
	addSeeds(f, string(domain.DefaultCatalog().JSON()), `{"version":"x","services":[]}`,
		`{"version":"x","services":[{"code":"a","names":{"ru":"а","uk":"а","en":"a"},"department":"d","deadline":{"days":1},"prefix":"A","documents":[]}]}`,
		`{"version":1}`, `{"services":null}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		var c domain.Catalog
		if !decodeOK(t, body, &c) {
			return
		}
		if err := c.Validate(); err != nil {
			checkRefusal(t, err)
			return
		}
		var again domain.Catalog
		if err := json.Unmarshal(c.JSON(), &again); err != nil {
			t.Fatalf("a valid catalogue's JSON does not decode: %v", err)
		}
		if err := again.Validate(); err != nil || again.Hash() != c.Hash() {
			t.Fatalf("round trip: %v, hash %s → %s", err, c.Hash(), again.Hash())
		}
	})
}
