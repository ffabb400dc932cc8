package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/domain"
)

// matrixRoles are the callers of the matrix, in the order of want.
var matrixRoles = []string{"clerk", "workstation", "supervisor", "department", "admin", "none"}

type matrixRow struct {
	method, path string
	want         [6]int // by matrixRoles
	body         func(role string) []byte
	pathFor      func(role string) string // when the path differs by role
	fresh        bool                     // the call ends the session: use a new one
	stream       bool                     // Server-Sent Events: only the status is read
	page         bool                     // an HTML page: its errors are pages, not the JSON error body
}

// matrixLimits lets the matrix's many public requests from one address
// through: it checks roles, ratelimit_test.go the limits.
var matrixLimits = centraltest.Config(func(c *httpapi.Config) { c.PagesBurst = 1000 })

// TestRoleMatrix calls every endpoint as every role and with no session,
// and checks the status against one table.
func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			runMatrix(t, centraltest.Start(t, centraltest.Kind(t, kind), matrixLimits))
		})
	}
	t.Run("sqlite+tls", func(t *testing.T) {
		t.Parallel()
		runMatrix(t, centraltest.Start(t, centraltest.TLS(), matrixLimits))
	})
}

func runMatrix(t *testing.T, srv *centraltest.Server) {
	ws := srv.Enrol(t, "IRK", 3)
	tokens := map[string]string{
		"clerk":       srv.Session(t, "clerk1", domain.RoleClerk, "IRK", 3),
		"workstation": ws.Token,
		"supervisor":  srv.Session(t, "sup1", domain.RoleSupervisor, "IRK", 0),
		"department":  srv.Session(t, "dep1", domain.RoleDepartment, "*", 0),
		"admin":       srv.AdminToken,
		"none":        "",
	}
	roleOf := map[string]domain.Role{"clerk": domain.RoleClerk, "supervisor": domain.RoleSupervisor, "department": domain.RoleDepartment, "admin": domain.RoleAdmin}
	srv.AddUser(t, "sam", domain.RoleClerk, "IRK")

	// Seed: a handed-off case and three waiting tickets of window 3, a blob.
	ch := centraltest.NewChain("IRK", 3)
	reg, vid := ch.Register()
	open, caseID := ch.Open(vid, "advertising_permit")
	number := centraltest.Number(open)
	seed := []domain.Event{reg, open, ch.HandOffCode(caseID, number, "123456")}
	var seedTickets []string
	for range 3 {
		iss, id := ch.Issue("advertising_permit", "")
		seed = append(seed, iss)
		seedTickets = append(seedTickets, id)
	}
	for _, w := range []int{4, 5, 6} {
		srv.Enrol(t, "IRK", w)
	}
	for _, r := range push(t, srv, ws.Token, seed...) {
		if r.Status != api.IngestAccepted {
			t.Fatalf("seed: %+v", r)
		}
	}
	if err := srv.Store.PutOffice(context.Background(), domain.Office{Code: "IRK", Name: "МФЦ Иркутск", AlwaysOpen: true}); err != nil {
		t.Fatal(err)
	}
	blob := []byte("scan of a passport page")
	sum := sha256.Sum256(blob)
	blobSHA := hex.EncodeToString(sum[:])
	if st, b, _ := call(t, srv, http.MethodPut, "/v1/blobs/"+blobSHA, ws.Token, blob); st != http.StatusCreated {
		t.Fatalf("seed blob: %d %s", st, b)
	}
	_, catBody, _ := call(t, srv, http.MethodGet, "/v1/catalog", srv.AdminToken, nil)
	cat := decode[api.CatalogResponse](t, catBody).Catalog
	perRole := func(role string) []byte { return []byte(role) }
	blobFor := func(role string) (string, []byte) {
		b := perRole("attachment of " + role)
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:]), b
	}
	windows := map[string]int{"clerk": 10, "workstation": 11, "supervisor": 12, "department": 13, "admin": 14, "none": 15}

	const (
		ok   = http.StatusOK
		made = http.StatusCreated
		gone = http.StatusNoContent
		deny = http.StatusForbidden
		anon = http.StatusUnauthorized
	)
	rows := []matrixRow{
		{method: "GET", path: "/healthz", want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "GET", path: "/v1/openapi.yaml", want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "POST", path: "/v1/sessions", want: [6]int{made, made, made, made, made, made},
			body: func(string) []byte {
				return mustJSON(t, api.SignInRequest{Login: "sam", Password: centraltest.Password("sam"), Window: 2})
			}},
		{method: "DELETE", path: "/v1/sessions/current", want: [6]int{gone, gone, gone, gone, gone, anon}, fresh: true},
		{method: "GET", path: "/v1/catalog", want: [6]int{ok, ok, ok, ok, ok, anon}},
		{method: "PUT", path: "/v1/catalog", want: [6]int{deny, deny, deny, deny, ok, anon},
			body: func(string) []byte { return mustJSON(t, cat) }},
		// The admin's session is not at a window: 403 (a person pushes the
		// events of the window they signed in at only).
		{method: "POST", path: "/v1/events", want: [6]int{ok, ok, deny, deny, deny, anon},
			body: func(string) []byte {
				iss, _ := ch.Issue("advertising_permit", "")
				return mustJSON(t, api.IngestRequest{Events: []domain.Event{iss}})
			}},
		{method: "GET", path: "/v1/feed?after=0", want: [6]int{ok, ok, ok, deny, ok, anon}},
		{method: "GET", path: "/v1/cases", want: [6]int{ok, ok, ok, ok, ok, anon}},
		{method: "GET", path: "/v1/cases/" + caseID, want: [6]int{ok, ok, ok, ok, ok, anon}},
		{method: "POST", path: "/v1/cases/" + caseID + "/status", want: [6]int{deny, deny, deny, ok, ok, anon},
			body: func(role string) []byte {
				s := domain.CaseAccepted
				if role == "admin" {
					s = domain.CaseInWork
				}
				return mustJSON(t, api.StatusRequest{Status: s})
			}},
		{method: "POST", path: "/v1/cases/" + caseID + "/deadline", want: [6]int{deny, deny, deny, ok, ok, anon},
			body: func(role string) []byte {
				d := "2099-01-01"
				if role == "admin" {
					d = "2099-06-01"
				}
				return mustJSON(t, api.DeadlineRequest{Deadline: d, Basis: "ч. 2 ст. 26 ЖК РФ"})
			}},
		{method: "GET", path: "/v1/offices/IRK/queue", want: [6]int{ok, ok, ok, deny, ok, anon}},
		{method: "GET", path: "/v1/offices/IRK/queue/stream", want: [6]int{ok, ok, ok, deny, ok, anon}, stream: true},
		// MSK: an office the central knows nothing of (no user, workstation or event).
		{method: "GET", path: "/v1/offices/MSK/queue", want: [6]int{deny, deny, deny, deny, 404, anon}},
		{method: "GET", path: "/v1/offices", want: [6]int{deny, deny, ok, deny, ok, anon}},
		{method: "GET", path: "/v1/offices/IRK/report?from=2025-03-01&to=2025-03-02", want: [6]int{deny, deny, ok, deny, ok, anon}},
		{method: "GET", path: "/v1/offices/MSK/report", want: [6]int{deny, deny, deny, deny, 404, anon}},
		{method: "GET", path: "/v1/offices/IRK/attention", want: [6]int{deny, deny, ok, deny, ok, anon}},
		{method: "POST", want: [6]int{deny, deny, ok, deny, ok, anon},
			pathFor: func(role string) string {
				return "/v1/offices/IRK/tickets/" + seedTickets[map[string]int{"supervisor": 0, "admin": 1}[role]] + "/priority"
			},
			body: func(role string) []byte {
				return mustJSON(t, api.PriorityRequest{Rank: 2, Reason: "the matrix, as " + role})
			}},
		{method: "POST", want: [6]int{deny, deny, ok, deny, ok, anon},
			pathFor: func(role string) string {
				return "/v1/offices/IRK/tickets/" + seedTickets[map[string]int{"supervisor": 0, "admin": 1}[role]] + "/move"
			},
			body: func(role string) []byte {
				return mustJSON(t, api.MoveTicketRequest{Window: map[string]int{"supervisor": 3, "admin": 4}[role]})
			}},
		{method: "POST", path: "/v1/offices/MSK/tickets/x/move", want: [6]int{deny, deny, deny, deny, 404, anon},
			body: func(string) []byte { return mustJSON(t, api.MoveTicketRequest{}) }},
		{method: "POST", want: [6]int{deny, deny, ok, deny, ok, anon},
			pathFor: func(role string) string {
				return fmt.Sprintf("/v1/offices/IRK/windows/%d/close", map[string]int{"supervisor": 5, "admin": 6}[role])
			},
			body: func(string) []byte { return mustJSON(t, api.CloseWindowRequest{Reason: "the clerk has gone"}) }},
		{method: "POST", path: "/v1/offices/IRK/windows/3/heartbeat", want: [6]int{gone, gone, deny, deny, gone, anon}},
		{method: "POST", path: "/v1/offices/IRK/queue/next", want: [6]int{ok, ok, deny, deny, ok, anon},
			body: func(string) []byte { return mustJSON(t, api.CallNextRequest{Window: 3}) }},
		{method: "GET", path: "/v1/offices/IRK/windows/3/events", want: [6]int{deny, ok, ok, deny, ok, anon}},
		{method: "GET", path: "/v1/offices/IRK/windows/4/events?after=0&limit=10", want: [6]int{deny, deny, ok, deny, ok, anon}},
		{method: "GET", path: "/v1/offices/MSK/windows/3/events", want: [6]int{deny, deny, deny, deny, 404, anon}},
		{method: "GET", path: "/v1/offices/IRK/keys", want: [6]int{ok, ok, ok, deny, ok, anon}},
		{method: "GET", path: "/v1/offices/MSK/keys", want: [6]int{deny, deny, deny, deny, 404, anon}},
		{method: "HEAD", path: "/v1/blobs/" + blobSHA, want: [6]int{ok, ok, deny, ok, ok, anon}},
		{method: "GET", path: "/v1/blobs/" + blobSHA, want: [6]int{ok, ok, deny, ok, ok, anon}},
		{method: "PUT", want: [6]int{made, made, deny, deny, made, anon},
			pathFor: func(role string) string { s, _ := blobFor(role); return "/v1/blobs/" + s },
			body:    func(role string) []byte { _, b := blobFor(role); return b }},
		{method: "POST", path: "/v1/workstations", want: [6]int{deny, deny, deny, deny, made, anon},
			body: func(role string) []byte {
				return mustJSON(t, api.EnrolRequest{Office: "IRK", Window: windows[role]})
			}},
		{method: "GET", path: "/metrics", want: [6]int{deny, deny, ok, deny, ok, anon}},
		{method: "GET", path: "/v1/public/cases/" + number + "?code=123456", want: [6]int{ok, ok, ok, ok, ok, ok}},
		// Pre-booking: no session, the same for everyone (an office with no
		// profile is a 404 before anything else).
		{method: "GET", path: "/v1/public/offices/IRK/slots?service=advertising_permit&date=" + time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly),
			want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "HEAD", path: "/v1/public/offices/MSK/slots?service=advertising_permit&date=2026-01-01", want: [6]int{404, 404, 404, 404, 404, 404}},
		{method: "POST", path: "/v1/public/bookings", want: [6]int{404, 404, 404, 404, 404, 404},
			body: func(string) []byte {
				return mustJSON(t, api.BookingRequest{Office: "MSK", Service: "advertising_permit", Slot: time.Now().Add(time.Hour), Name: "A", Phone: "+79140000000"})
			}},
		{method: "GET", path: "/book/IRK", want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "HEAD", path: "/book/MSK", want: [6]int{404, 404, 404, 404, 404, 404}, page: true},
		{method: "DELETE", path: "/v1/public/bookings/ZZZZZZ", want: [6]int{404, 404, 404, 404, 404, 404}},
		{method: "POST", path: "/v1/public/offices/IRK/bookings/ZZZZZZ/checkin", want: [6]int{404, 404, 404, 404, 404, 404}},
		{method: "GET", path: "/v1/offices/IRK/notices?status=failed", want: [6]int{deny, deny, ok, deny, ok, anon}},
		// Unclaimed results: the seed's case is at the department, so the
		// roles that may act get past the table to the case's state (409).
		{method: "GET", path: "/v1/offices/IRK/unclaimed", want: [6]int{deny, deny, ok, deny, ok, anon}},
		{method: "HEAD", path: "/v1/offices/IRK/unclaimed", want: [6]int{deny, deny, ok, deny, ok, anon}},
		{method: "POST", path: "/v1/offices/IRK/unclaimed/" + caseID + "/return", want: [6]int{deny, deny, 409, deny, 409, anon},
			body: func(string) []byte { return mustJSON(t, api.ReturnResultRequest{Reason: "not collected"}) }},
		{method: "POST", path: "/v1/offices/IRK/unclaimed/" + caseID + "/extend", want: [6]int{deny, deny, 409, deny, 409, anon},
			body: func(string) []byte { return mustJSON(t, api.ExtendCollectRequest{Days: 14, Reason: "in hospital"}) }},
		// The visitors' side: no session, the same for everyone.
		{method: "GET", path: "/public/static/okno.css", want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "GET", path: "/hall/IRK", want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "GET", path: "/status?number=" + number + "&code=123456", want: [6]int{ok, ok, ok, ok, ok, ok}, page: true},
		{method: "GET", path: "/hall/MSK", want: [6]int{404, 404, 404, 404, 404, 404}, page: true},
		{method: "GET", path: "/hall/IRK/events", want: [6]int{ok, ok, ok, ok, ok, ok}, stream: true},
		{method: "GET", path: "/hall/IRK/t/A-101", want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "GET", path: "/hall/IRK/t/A-101/events", want: [6]int{ok, ok, ok, ok, ok, ok}, stream: true},
		{method: "GET", path: "/hall/IRK/t/A-101/qr.png", want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "GET", path: "/kiosk/IRK", want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "GET", path: "/v1/public/offices/IRK/services", want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "POST", path: "/v1/public/offices/IRK/tickets", want: [6]int{made, made, made, made, made, made},
			body: func(string) []byte { return []byte(`{"service":"advertising_permit"}`) }},
		// Ratings: an unknown code is the same 404 for everyone.
		{method: "GET", path: "/v1/public/ratings/K7M2-9QXA-3FHD", want: [6]int{404, 404, 404, 404, 404, 404}},
		{method: "POST", path: "/v1/public/ratings/K7M2-9QXA-3FHD", want: [6]int{404, 404, 404, 404, 404, 404},
			body: func(string) []byte { return []byte(`{"score":5}`) }},
		{method: "GET", path: "/rate", want: [6]int{ok, ok, ok, ok, ok, ok}},
		{method: "GET", path: "/rate/K7M29QXA3FHD", want: [6]int{404, 404, 404, 404, 404, 404}, page: true},
		{method: "POST", path: "/rate/K7M29QXA3FHD", want: [6]int{404, 404, 404, 404, 404, 404}, page: true,
			body: func(string) []byte { return []byte(`score=5`) }},
		{method: "GET", path: "/v1/nothing-here", want: [6]int{404, 404, 404, 404, 404, 404}},
		{method: "PATCH", path: "/v1/catalog", want: [6]int{405, 405, 405, 405, 405, 405}},
		{method: "HEAD", path: "/v1/offices/IRK/queue/stream", want: [6]int{405, 405, 405, 405, 405, 405}},
		{method: "HEAD", path: "/hall/IRK/events", want: [6]int{405, 405, 405, 405, 405, 405}, page: true},
		{method: "HEAD", path: "/hall/IRK/t/A-101/events", want: [6]int{405, 405, 405, 405, 405, 405}, page: true},
	}
	// Every GET answers HEAD alike (but the stream, above), without a body.
	for _, r := range rows {
		if r.method == "GET" && !r.stream && r.path != "/v1/nothing-here" {
			r.method = "HEAD"
			rows = append(rows, r)
		}
	}

	// Every route of the server's table has a row.
	covered := map[string]bool{}
	for _, r := range rows {
		p := r.path
		if r.pathFor != nil {
			p = r.pathFor("admin")
		}
		covered[r.method+" "+p] = true
	}
	for _, rt := range srv.API.Routes() {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		found := false
		for k := range covered {
			m, p, _ := strings.Cut(k, " ")
			p, _, _ = strings.Cut(p, "?")
			found = found || m == method && matches(pattern, p)
		}
		if !found {
			t.Errorf("route %s has no row in the matrix", rt.Pattern)
		}
	}

	for _, row := range rows {
		for i, role := range matrixRoles {
			path := row.path
			if row.pathFor != nil {
				path = row.pathFor(role)
			}
			token := tokens[role]
			if row.fresh && role != "none" {
				if role == "workstation" {
					token = srv.Enrol(t, "IRK", 20).Token
				} else {
					token = srv.Session(t, role+"-fresh", roleOf[role], map[bool]string{true: "*", false: "IRK"}[role == "admin" || role == "department"], 0)
				}
			}
			var body []byte
			if row.body != nil {
				body = row.body(role)
			}
			var got int
			var resp []byte
			if row.stream {
				got = streamStatus(t, srv, path, token)
			} else {
				got, resp, _ = call(t, srv, row.method, path, token, body)
			}
			if row.method == "HEAD" && len(resp) > 0 {
				t.Errorf("HEAD %s as %s: a body of %d bytes", path, role, len(resp))
			}
			if got != row.want[i] {
				t.Errorf("%s %s as %s: status %d, want %d (%s)", row.method, path, role, got, row.want[i], resp)
			}
			if got >= 400 && row.method != "HEAD" && !row.stream && !row.page {
				if code := errCode(t, resp); code == "" {
					t.Errorf("%s %s as %s: error answer without a code: %s", row.method, path, role, resp)
				}
			}
		}
	}
}

// matches reports whether path fits a ServeMux pattern with {wildcards}.
func matches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], "{") && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

// streamStatus opens a queue stream and returns its status.
func streamStatus(t *testing.T, srv *centraltest.Server, path, token string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(fmt.Errorf("stream: %w", err))
	}
	defer resp.Body.Close()
	return resp.StatusCode
}
