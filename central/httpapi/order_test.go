package httpapi_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// TestBatchesTakeTurns: a window's batches reach the writer in the order
// they arrived (central/ingest: Arrive), which lets a workstation keep two
// on the wire (link.push). The first batch arrives and is asked for its
// body (100 Continue), but its body is held back; the second arrives
// whole on another connection, and is not answered while the first is
// held (without the turns it would be answered "retry" at once: its
// first event follows the first batch's). Once the first batch's body is
// sent, both are accepted.
func TestBatchesTakeTurns(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		reg, vid := ch.Register()
		open, _ := ch.Open(vid, "advertising_permit")
		t1, _ := ch.Issue("advertising_permit", "")
		t2, _ := ch.Issue("advertising_permit", "")
		first, second := []domain.Event{reg, open}, []domain.Event{t1, t2}
		addr := strings.TrimPrefix(srv.URL, "http://")

		head := func(body []byte, expect bool) string {
			h := fmt.Sprintf("POST /v1/events HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", addr, ws.Token, len(body))
			if expect {
				h += "Expect: 100-continue\r\n"
			}
			return h + "\r\n"
		}
		type answer struct {
			resp *http.Response
			err  error
		}
		read := func(c net.Conn, br *bufio.Reader, out chan<- answer) {
			c.SetReadDeadline(time.Now().Add(30 * time.Second))
			resp, err := http.ReadResponse(br, nil)
			out <- answer{resp, err}
		}
		results := func(a answer) []api.IngestResult {
			t.Helper()
			if a.err != nil {
				t.Fatal(a.err)
			}
			defer a.resp.Body.Close()
			if a.resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", a.resp.StatusCode)
			}
			b, err := io.ReadAll(a.resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			out := decode[api.IngestResponse](t, b)
			return out.Results
		}

		// The first batch: headers only, until the central asks for the body.
		b1 := mustJSON(t, api.IngestRequest{Events: first})
		c1, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c1.Close()
		br1 := bufio.NewReader(c1)
		if _, err := c1.Write([]byte(head(b1, true))); err != nil {
			t.Fatal(err)
		}
		c1.SetReadDeadline(time.Now().Add(30 * time.Second))
		cont, err := http.ReadResponse(br1, nil)
		if err != nil || cont.StatusCode != http.StatusContinue {
			t.Fatalf("the first batch was not asked for its body: %v %v", cont, err)
		}

		// The second batch, whole, on its own connection.
		b2 := mustJSON(t, api.IngestRequest{Events: second})
		c2, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c2.Close()
		if _, err := c2.Write(append([]byte(head(b2, false)), b2...)); err != nil {
			t.Fatal(err)
		}
		a2 := make(chan answer, 1)
		go read(c2, bufio.NewReader(c2), a2)
		select {
		case a := <-a2:
			t.Fatalf("the second batch was answered while the first was held: %+v", results(a))
		case <-time.After(300 * time.Millisecond):
		}

		if _, err := c1.Write(b1); err != nil {
			t.Fatal(err)
		}
		a1 := make(chan answer, 1)
		go read(c1, br1, a1)
		for i, a := range []answer{<-a1, <-a2} {
			rs := results(a)
			if got := statuses(rs); !equal(got, []api.IngestStatus{api.IngestAccepted, api.IngestAccepted}) {
				t.Errorf("batch %d: %v (%+v)", i+1, got, rs)
			}
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE office = 'IRK' AND win = 3"); n != 4 {
			t.Errorf("%d events stored, want 4", n)
		}
	})
}
