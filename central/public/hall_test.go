package public_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/public"
	"github.com/okno-mfc/okno/central/public/browsertest"
	"github.com/okno-mfc/okno/domain"
)

// office is the test office: Russian, open around the clock.
var office = domain.Office{Code: "IRK", Name: "МФЦ «Мои документы», Иркутск", Lang: "ru", AlwaysOpen: true}

// start runs a central with the test office's profile and a workstation
// of window 3, and returns the central and a function that pushes events
// of window 3.
func start(t *testing.T, opts ...centraltest.Option) (*centraltest.Server, *centraltest.Chain, func(...domain.Event)) {
	t.Helper()
	opts = append([]centraltest.Option{centraltest.Config(func(c *httpapi.Config) {
		c.Public = public.Config{Heartbeat: 300 * time.Millisecond, OfflineAfter: 1500 * time.Millisecond}
	})}, opts...)
	srv := centraltest.Start(t, opts...)
	if err := srv.Store.PutOffice(context.Background(), office); err != nil {
		t.Fatal(err)
	}
	ws := srv.Enrol(t, "IRK", 3)
	cl := srv.Client(t, ws.Token)
	ch := centraltest.NewChain("IRK", 3)
	var mu sync.Mutex
	push := func(evs ...domain.Event) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		res, err := cl.PushEvents(context.Background(), evs)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Results {
			if r.Status != "accepted" {
				t.Fatalf("push: %+v", r)
			}
		}
	}
	return srv, ch, push
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHallPage: the board page without a browser: the office's name, the
// calls, the waiting counts, the language; nobody's name; 404 pages.
func TestHallPage(t *testing.T) {
	t.Parallel()
	srv, ch, push := start(t)
	iss1, t1 := ch.Issue("advertising_permit", "")
	iss2, _ := ch.Issue("advertising_permit", "")
	push(iss1, iss2, ch.Move(domain.EvTicketCalled, t1))
	number := numberOf(t, iss1)
	st, body := get(t, srv.URL+"/hall/IRK")
	if st != http.StatusOK {
		t.Fatalf("GET /hall/IRK: %d %s", st, body)
	}
	for _, want := range []string{`lang="ru"`, "МФЦ «Мои документы», Иркутск", "Приглашаются", number, `class="call newest"`, "Ожидают"} {
		if !strings.Contains(body, want) {
			t.Errorf("the board lacks %q:\n%s", want, body)
		}
	}
	for _, bad := range []string{"ws-IRK-03", "operator"} {
		if strings.Contains(body, bad) {
			t.Errorf("the board shows %q", bad)
		}
	}
	st, body = get(t, srv.URL+"/hall/MSK")
	if st != http.StatusNotFound || !strings.Contains(body, "Такого отделения нет") {
		t.Errorf("GET /hall/MSK: %d %s", st, body)
	}
	st, _ = get(t, srv.URL+"/hall/irk%3Cscript")
	if st != http.StatusNotFound {
		t.Errorf("GET /hall/irk<script: %d", st)
	}
	// The stream: the board's data at once.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/hall/IRK/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 64<<10)
	var got strings.Builder
	for !strings.Contains(got.String(), "\n\n"+"id: 1") || !strings.Contains(got.String(), "}\n\n") {
		n, err := resp.Body.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			t.Fatalf("stream: %v (%s)", err, got.String())
		}
	}
	for _, want := range []string{"event: board", `"speech":"Талон А `, `"window":3`, `"current":true`} {
		if !strings.Contains(got.String(), want) {
			t.Errorf("the stream lacks %q: %s", want, got.String())
		}
	}
	if strings.Contains(got.String(), "ws-IRK-03") {
		t.Errorf("the stream names the operator: %s", got.String())
	}
}

// TestHallPageLanguage: the page follows the office's language; the
// profiles are kept by both stores.
func TestHallPageLanguage(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			hallLanguage(t, centraltest.Kind(t, kind))
		})
	}
}

func hallLanguage(t *testing.T, kind centraltest.Option) {
	srv, _, _ := start(t, kind)
	for _, o := range []domain.Office{
		{Code: "KYIV", Name: "ЦНАП", Country: "UA", AlwaysOpen: true},
		{Code: "LON", Name: "Civic centre", Lang: "en", AlwaysOpen: true},
	} {
		if err := srv.Store.PutOffice(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	}
	for path, want := range map[string]string{"/hall/KYIV": "Запрошуються", "/hall/LON": "Now serving", "/hall/IRK": "Приглашаются"} {
		if st, body := get(t, srv.URL+path); st != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, want %q in %s", path, st, want, body)
		}
	}
}

// TestHallLimited: an address that asks too often gets 429s; another
// address (behind a trusted proxy) does not.
func TestHallLimited(t *testing.T) {
	t.Parallel()
	srv, _, _ := start(t, centraltest.Config(func(c *httpapi.Config) {
		c.PagesPerSecond, c.PagesBurst = 1, 5
	}))
	var limited bool
	for range 10 {
		if st, _ := get(t, srv.URL+"/hall/IRK"); st == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("10 requests at once with a burst of 5: no 429")
	}
}

// TestHallBoardBrowser: a call made through the API shows on the board in
// a real browser within a second, highlighted, and is announced; a recall
// is announced again; the board fits a 1280×720 screen.
func TestHallBoardBrowser(t *testing.T) {
	t.Parallel()
	srv, ch, push := start(t)
	b := browsertest.New(t, 1280, 720) // after the server: closed before it
	iss, first := ch.Issue("advertising_permit", "")
	push(iss, ch.Move(domain.EvTicketCalled, first))
	b.Do(t, chromedp.Navigate(srv.URL+"/hall/IRK"), chromedp.WaitVisible("#calls tbody tr.newest"))
	if fits := browsertest.Eval[bool](t, b, `document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth`); !fits {
		t.Error("the board does not fit 1280×720")
	}
	// Wait until the stream is open.
	b.Do(t, chromedp.Poll[chromedp.Void](`document.body.dataset.live === "1"`))

	// Three calls; on a loaded machine one may be late, all three may not
	// (the figure itself is BenchmarkCallToBoard's).
	var second string
	best := time.Hour
	for range 3 {
		iss2, id := ch.Issue("advertising_permit", "")
		second = id
		number := numberOf(t, iss2)
		push(iss2)
		time.Sleep(100 * time.Millisecond)
		called := time.Now()
		push(ch.Move(domain.EvTicketCalled, second))
		sel := `document.querySelector("#calls tbody tr.newest td.num")?.textContent === ` + jsString(number)
		if err := b.DoErr(5*time.Second, chromedp.Poll[chromedp.Void](sel, chromedp.WithPollingInterval(10*time.Millisecond))); err != nil {
			t.Fatalf("the call of %s never showed: %v", number, err)
		}
		d := time.Since(called)
		t.Logf("call → board: %v", d)
		best = min(best, d)
		push(ch.Move(domain.EvTicketServed, second))
		iss3, third := ch.Issue("advertising_permit", "")
		push(iss3, ch.Move(domain.EvTicketCalled, third))
		second = third
	}
	if best > time.Second {
		t.Errorf("call → board took %v at best of 3, want ≤ 1 s", best)
	}
	spoken := `document.body.getAttribute("data-last-spoken")`
	wantSpeech := "Талон А " // the number in words follows
	b.Do(t, chromedp.Poll[chromedp.Void](spoken+`?.startsWith(`+jsString(wantSpeech)+`) && `+spoken+`.endsWith("окно три")`))

	// A recall is announced again.
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.body.removeAttribute("data-last-spoken")`))
	time.Sleep(20 * time.Millisecond) // the recall's time must differ from the call's
	push(ch.Move(domain.EvTicketRecalled, second))
	if err := b.DoErr(5*time.Second, chromedp.Poll[chromedp.Void](spoken+` !== null`)); err != nil {
		t.Errorf("the recall was not announced: %v", err)
	}
}

// TestHallOffline: the board fits a 1920×1080 screen; when the central
// cannot be reached it says so within the offline time, and comes back
// by itself.
func TestHallOffline(t *testing.T) {
	t.Parallel()
	srv, _, _ := start(t)
	var down atomic.Bool
	var mu sync.Mutex
	var cuts []context.CancelFunc
	target, _ := url.Parse(srv.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.FlushInterval = -1
	rp.Transport = srv.HTTP.Client().Transport
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		mu.Lock()
		cuts = append(cuts, cancel)
		mu.Unlock()
		rp.ServeHTTP(w, r.WithContext(ctx))
	}))
	t.Cleanup(func() {
		mu.Lock()
		for _, c := range cuts {
			c()
		}
		mu.Unlock()
		proxy.CloseClientConnections()
		proxy.Close()
	})
	b := browsertest.New(t)
	b.Do(t, chromedp.Navigate(proxy.URL+"/hall/IRK"), chromedp.WaitVisible("#calls"))
	if fits := browsertest.Eval[bool](t, b, `document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth`); !fits {
		t.Error("the board does not fit 1920×1080")
	}
	time.Sleep(time.Second)
	if off := browsertest.Eval[bool](t, b, `!document.getElementById("offline").hidden`); off {
		t.Fatal("offline while the central answers")
	}
	down.Store(true)
	mu.Lock()
	for _, c := range cuts {
		c()
	}
	mu.Unlock()
	cut := time.Now()
	if err := b.DoErr(10*time.Second, chromedp.WaitVisible("#offline")); err != nil {
		t.Fatalf("the board never said it lost the central: %v", err)
	}
	if d := time.Since(cut); d < time.Second {
		t.Errorf("offline shown after %v, before the offline time", d)
	}
	down.Store(false)
	if err := b.DoErr(10*time.Second, chromedp.WaitNotVisible("#offline")); err != nil {
		t.Fatalf("the board did not come back: %v", err)
	}
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// numberOf is the number of a ticket.issued event.
func numberOf(t testing.TB, e domain.Event) string {
	var p domain.TicketIssuedPayload
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		panic(err)
	}
	return p.Number
}
