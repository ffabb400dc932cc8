package link

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/internal/seed"
	"github.com/okno-mfc/okno/localdb"
)

// The child side of TestSyncKilled: sync one workstation's data folder
// until its outbox is empty, then say so.
func TestSyncChild(t *testing.T) {
	dir := os.Getenv("OKNO_SYNC_CHILD")
	if dir == "" {
		t.Skip("runs only as TestSyncKilled's child process")
	}
	ctx := context.Background()
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	cred, err := LoadCredential(dir)
	if err != nil {
		fmt.Println("credential:", err)
		os.Exit(3)
	}
	// A generous timeout: on a loaded machine a 2 s one fired and resent
	// batches the central had taken, which the bound below counts as kills'.
	cl, _ := client.New(cred.Central, client.WithTimeout(30*time.Second))
	l := New(Config{Store: st, Client: cl, Cred: cred, Hash: passwd.Fast, Batch: 25, FeedPage: 25})
	fmt.Println("ready")
	for {
		sum, err := l.SyncOnce(ctx)
		fmt.Printf("round sent=%d dup=%d pulled=%d left=%d err=%v\n", sum.Sent, sum.Duplicate, sum.Pulled, sum.Left, err)
		if err == nil && sum.Left == 0 {
			fmt.Println("done")
			return
		}
	}
}

// TestSyncKilled kills the sync process with SIGKILL at random moments
// during push and pull, restarts it, and checks nothing was lost or stored
// twice. The resent volume after each kill stays within three batches.
func TestSyncKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	kills := 8
	if v := os.Getenv("OKNO_SYNC_KILLS"); v != "" {
		kills, _ = strconv.Atoi(v)
	}
	dsn := filepath.Join(t.TempDir(), "central.db")
	c := startCentral(t, dsn)
	defer c.stop()
	s := newStationTimeout(t, c, 5, 30*time.Second)
	other := newStationTimeout(t, c, 6, 30*time.Second) // fills the feed the child pulls
	if err := SaveCredential(s.dir, s.link.cfg.Cred); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 5))
	g := seed.New(5)
	work(t, other.st, g, r, 30)
	drain(t, other)
	duplicates := 0
	for k := 0; k < kills; k++ {
		work(t, s.st, g, r, 10+r.IntN(20))
		before, _ := s.st.Outbox(context.Background())
		cmd := exec.Command(os.Args[0], "-test.run=^TestSyncChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "OKNO_SYNC_CHILD="+s.dir)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "ready" {
				// The push of a backlog this size takes some 50–300 ms here.
				time.AfterFunc(time.Duration(r.IntN(150_000))*time.Microsecond, func() { cmd.Process.Signal(syscall.SIGKILL) })
			}
		}
		cmd.Wait()
		after, _ := s.st.Outbox(context.Background())
		t.Logf("kill %d: pending %d → %d", k, before.Pending, after.Pending)
	}
	sum, err := s.link.SyncOnce(context.Background())
	for i := 0; err != nil || sum.Left > 0; i++ {
		if i > 10 {
			t.Fatalf("the outbox does not drain after the kills: %+v %v", sum, err)
		}
		sum, err = s.link.SyncOnce(context.Background())
	}
	// What the central answered "duplicate" is what was sent again.
	duplicates = c.ingested(t, "duplicate")
	if res := check(t, dsn, s.st); res.Lost+res.Twice+res.Mismatch > 0 {
		t.Fatalf("after %d kills: %+v", kills, res)
	}
	// Each kill can cost at most three batches (25 events each here): the
	// two on the wire and the one whose answers were being stored (the
	// push is pipelined, link.push).
	if duplicates > kills*3*25 {
		t.Fatalf("%d events were sent again after %d kills: more than three batches per kill", duplicates, kills)
	}
	t.Logf("%d kills: 0 lost, 0 twice; %d events resent (answered duplicate)", kills, duplicates)
}

// District office: a week of work with no central at all, then one sync
// brings everything. make test runs a short week; OKNO_DISTRICT=full runs
// 7 days × 500 visitors (make soak).
func TestDistrictOffice(t *testing.T) {
	days, perDay := 2, 20
	if os.Getenv("OKNO_DISTRICT") == "full" {
		days, perDay = 7, 500
	}
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "central.db")
	c := startCentral(t, dsn)
	defer c.stop()
	s := newStationTimeout(t, c, 7, 30*time.Second) // enrolled, but the link stays unused during the week
	start := time.Now()
	tot, err := seed.Run(ctx, s.st, seed.Plan{Days: days, PerDay: perDay, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	seeded := time.Since(start)
	start = time.Now()
	var total Summary
	for i := 0; ; i++ {
		sum, err := s.link.SyncOnce(ctx)
		total.Sent += sum.Sent
		total.Duplicate += sum.Duplicate
		if err == nil && sum.Left == 0 {
			break
		}
		if i > 5 {
			t.Fatalf("sync does not finish: %+v %v", sum, err)
		}
	}
	took := time.Since(start)
	// A batch whose answer was lost to the client's timeout on a loaded
	// machine is sent again and answered "duplicate": each event is
	// answered accepted or duplicate, and the central holds it once.
	if res := check(t, dsn, s.st); res.Lost+res.Twice+res.Mismatch > 0 || res.Local != tot.Events || total.Sent+total.Duplicate < tot.Events {
		t.Fatalf("check %+v, seeded %d events, sent %d, answered duplicate %d", res, tot.Events, total.Sent, total.Duplicate)
	}
	msg := fmt.Sprintf("district office: %d days × %d visitors = %d events recorded offline in %s; one sync sent them all in %s (%.0f events/s), 0 lost, 0 twice",
		days, perDay, tot.Events, seeded.Round(time.Millisecond), took.Round(time.Millisecond), float64(tot.Events)/took.Seconds())
	t.Log(msg)
	if os.Getenv("OKNO_DISTRICT") == "full" {
		fmt.Println(msg)
	}
}
