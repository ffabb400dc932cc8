// Package browsertest drives the public pages in a real browser: headless
// Chromium (Debian's chromium, /usr/bin/chromium; .ci/run installs it)
// through github.com/chromedp/chromedp. New skips the test when there is
// no Chromium, so `make test` stays green on a machine without one.
//
//	b := browsertest.New(t)
//	b.Do(t, chromedp.Navigate(srv.URL+"/hall/IRK"), chromedp.WaitVisible("#calls"))
//	n := browsertest.Eval[int](t, b, `document.querySelectorAll("#calls tr").length`)
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path is where the tests look for Chromium first; OKNO_CHROMIUM
// overrides it.
const Path = "/usr/bin/chromium"

// Browser is one headless Chromium with a fresh profile, closed when the
// test ends.
type Browser struct {
	ctx context.Context
}

// Find returns the Chromium to run, or "" when there is none.
func Find() string {
	if p := os.Getenv("OKNO_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat(Path); err == nil {
		return Path
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// New starts Chromium at size (1920×1080 when zero) or skips the test when
// there is none.
func New(t testing.TB, size ...int) *Browser {
	t.Helper()
	exe := Find()
	if exe == "" {
		t.Skip("no Chromium (" + Path + "): install Debian's chromium to run the browser tests")
	}
	w, h := 1920, 1080
	if len(size) == 2 {
		w, h = size[0], size[1]
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(t.TempDir()), // a fresh profile every time
		chromedp.WindowSize(w, h),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser now, so a failure to start is reported here. The
	// first call's context lives as long as the browser: no timeout on it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", exe, err)
	}
	return &Browser{ctx: ctx}
}

// Context is the browser's first tab; chromedp.NewContext(b.Context())
// opens another.
func (b *Browser) Context() context.Context { return b.ctx }

// Do runs steps in the first tab, failing the test after 30 s.
func (b *Browser) Do(t testing.TB, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := b.DoErr(30*time.Second, steps...); err != nil {
		t.Fatal(err)
	}
}

// DoErr runs steps in the first tab within timeout.
func (b *Browser) DoErr(timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	return chromedp.Do(ctx, steps...)
}

// Eval evaluates a JavaScript expression in b's first tab and decodes its
// value, failing the test on an error.
func Eval[T any](t testing.TB, b *Browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}
