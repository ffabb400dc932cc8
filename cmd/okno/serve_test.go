package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServe starts okno serve on all addresses (it warns about plain
// HTTP), asks /healthz, and stops it with SIGTERM.
func TestServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "central.db")
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() {
		_, code := runWith(t, nil, &logs, "serve", "--addr", "0.0.0.0:0", "--db", db)
		done <- code
	}()
	addrRe := regexp.MustCompile(`okno serve started" addr=\S*:(\d+)`)
	var port string
	for deadline := time.Now().Add(10 * time.Second); port == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(logs.String()); m != nil {
			port = m[1]
		}
	}
	if port == "" {
		t.Fatalf("the server did not start:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "plain HTTP on a non-loopback address") {
		t.Errorf("no warning about plain HTTP:\n%s", logs.String())
	}
	resp, err := http.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"store":"sqlite"`) {
		t.Fatalf("healthz: %d %s", resp.StatusCode, body)
	}
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(logs.String(), "okno serve stopped") {
			t.Fatalf("exit %d:\n%s", code, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop on SIGTERM")
	}
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("database file mode: %v %v", fi.Mode(), err)
	}
}

func TestServeFlags(t *testing.T) {
	var errOut bytes.Buffer
	if _, code := runWith(t, nil, &errOut, "serve", "--tls-cert", "x.pem"); code != 2 || !strings.Contains(errOut.String(), "--tls-key") {
		t.Fatalf("cert without key: %d %s", code, errOut.String())
	}
	for _, v := range []string{"-3", "0", "thirty", "3651"} {
		errOut.Reset()
		if _, code := runWith(t, nil, &errOut, "serve", "--unclaimed-days", v); code != 2 || !strings.Contains(errOut.String(), "--unclaimed-days") || !strings.Contains(errOut.String(), "1 to 3650") {
			t.Errorf("--unclaimed-days %s: %d %s", v, code, errOut.String())
		}
	}
	if n, err := parseUnclaimedDays(" 45 "); n != 45 || err != nil {
		t.Errorf("45: %d %v", n, err)
	}
	if n, err := parseUnclaimedDays(""); n != 0 || err != nil {
		t.Errorf("none: %d %v", n, err)
	}
}
