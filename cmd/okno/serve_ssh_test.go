package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// TestServeSSH: okno serve --ssh-addr makes the host key (0600) and logs
// its fingerprint; a supervisor whose key okno user key add registered
// opens the board with ssh and sees the fingerprint logged; SIGTERM ends
// the session with a word and the server.
func TestServeSSH(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "central.db")
	var errOut bytes.Buffer
	if _, code := runWith(t, strings.NewReader("long enough 1\n"), &errOut, "user", "add", "--db", db, "--login", "boss", "--role", "supervisor", "--office", "IRK"); code != 0 {
		t.Fatal(errOut.String())
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := gossh.NewSignerFromKey(priv)
	if _, code := runWith(t, bytes.NewReader(gossh.MarshalAuthorizedKey(signer.PublicKey())), &errOut, "user", "key", "add", "--db", db, "--login", "boss"); code != 0 {
		t.Fatal(errOut.String())
	}

	var logs lockedBuffer
	done := make(chan int, 1)
	go func() {
		_, code := runWith(t, nil, &logs, "serve", "--addr", "127.0.0.1:0", "--db", db, "--ssh-addr", "127.0.0.1:0")
		done <- code
	}()
	re := regexp.MustCompile(`board over SSH" addr=(\S+) host_key=(\S+) fingerprint=(\S+)`)
	var m []string
	for deadline := time.Now().Add(10 * time.Second); m == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		m = re.FindStringSubmatch(logs.String())
	}
	if m == nil {
		t.Fatalf("the board did not start:\n%s", logs.String())
	}
	addr, keyFile, fp := m[1], m[2], m[3]
	if keyFile != filepath.Join(dir, "central-ssh-host.key") {
		t.Errorf("host key at %s", keyFile)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v %v", fi, err)
	}
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "boss", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)}, Timeout: 5 * time.Second,
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
			if got := gossh.FingerprintSHA256(k); got != fp {
				t.Errorf("the server shows %s, the log says %s", got, fp)
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, _ := c.NewSession()
	var out lockedBuffer
	sess.Stdout = &out
	sess.Setenv("LANG", "en_GB.UTF-8")
	sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
	sess.StdinPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waitText := func(s string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(ansi.Strip(out.String()), s); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%q not shown:\n%s", s, ansi.Strip(out.String()))
			}
		}
	}
	waitText("Supervisor · IRK")

	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	waitText("the server is stopping")
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(logs.String(), "ended=shutdown") {
			t.Fatalf("exit %d:\n%s", code, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop on SIGTERM")
	}
}

func TestServeSSHFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--ssh-host-key", "k"}, "without --ssh-addr"},
		{[]string{"--ssh-addr", "2222"}, "give HOST:PORT"},
		{[]string{"--ssh-addr", ":2222", "--ssh-idle", "10s"}, "at least 1m"},
		{[]string{"--ssh-addr", ":2222", "--db", "postgres://x/y"}, "give --ssh-host-key"},
	} {
		var errOut bytes.Buffer
		if _, code := runWith(t, nil, &errOut, append([]string{"serve"}, c.args...)...); code != 2 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: %d %s", c.args, code, errOut.String())
		}
	}
	// The variables (and so the config file) give the flags' defaults.
	var errOut, out bytes.Buffer
	e := &env{stdout: &out, stderr: &errOut, getenv: func(k string) string {
		return map[string]string{"OKNO_SSH_ADDR": ":2222", "OKNO_SSH_IDLE": "soon", "OKNO_DB": "postgres://x/y"}[k]
	}}
	if code := e.main([]string{"serve"}); code != 2 || !strings.Contains(errOut.String(), `OKNO_SSH_IDLE (or serve.ssh_idle) "soon"`) {
		t.Errorf("a bad OKNO_SSH_IDLE: %d %s", code, errOut.String())
	}
	errOut.Reset()
	if code := e.main([]string{"serve", "--ssh-idle", "10m"}); code != 2 || !strings.Contains(errOut.String(), "give --ssh-host-key") {
		t.Errorf("OKNO_SSH_ADDR with PostgreSQL: %d %s", code, errOut.String())
	}
}
