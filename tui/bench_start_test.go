package tui

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// firstFrameEnv makes the test binary, run as a child, open the store it
// names, draw the first frame and report its peak memory, then exit.
const firstFrameEnv = "OKNO_TUI_FIRST_FRAME_DB"

func TestMain(m *testing.M) {
	if path := os.Getenv(firstFrameEnv); path != "" {
		os.Exit(firstFrameChild(path))
	}
	os.Exit(m.Run())
}

// firstFrame is what `okno` does before the clerk sees anything: open the
// store, start the link, build the TUI, size it and draw it.
func firstFrame(path string) (string, func(), error) {
	ctx := context.Background()
	st, err := localdb.Open(ctx, path, localdb.Options{Catalog: fake.Catalog()})
	if err != nil {
		return "", nil, err
	}
	l := link.New(link.Config{Store: st}) // not enrolled: offline
	ctx, cancel := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		_ = l.Run(ctx)
	}()
	c := common.New(ctx, common.Options{Lang: i18n.RU, Place: st, Link: l})
	m := New(c, st)
	m.Init() // the commands it returns run in the background in the real program
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m.View(), func() { cancel(); <-ran; st.Close() }, nil
}

func firstFrameChild(path string) int {
	t0 := time.Now()
	frame, done, err := firstFrame(path)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	elapsed := time.Since(t0)
	fmt.Printf("frame %d %d\n", elapsed.Nanoseconds(), len(frame))
	fmt.Printf("hwm %d\n", peakRSS())
	done()
	return 0
}

// peakRSS is the process's peak resident set, in KiB (0 where /proc is not).
func peakRSS() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

// BenchmarkStartToFirstFrame opens the store of many visitors (1M when
// localdb's fixture is there) and draws the first frame, in this process
// (p50/p99 of that), and in a fresh process each time: exec-to-frame-ms is
// from starting the process to the frame being drawn, peak-rss-MB is that
// process's peak resident memory.
func BenchmarkStartToFirstFrame(b *testing.B) {
	path, visitors := fake.VisitorStorePath(b)
	n := fake.Samples(b, 10)
	lat := make(fake.Latencies, 0, n)
	var execTotal time.Duration
	peak := 0
	for i := 0; i < n; i++ {
		t0 := time.Now()
		frame, done, err := firstFrame(path)
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if !strings.Contains(frame, "IRK") && !strings.Contains(frame, "окно") {
			b.Fatalf("the first frame:\n%s", frame)
		}
		done()

		elapsed, hwm, err := childFirstFrame(path)
		if err != nil {
			b.Fatal(err)
		}
		execTotal += elapsed
		peak = max(peak, hwm)
	}
	lat.Report(b, "")
	b.ReportMetric(float64(execTotal.Microseconds())/1000/float64(n), "exec-to-frame-ms")
	b.ReportMetric(float64(peak)/1024, "peak-rss-MB")
	b.ReportMetric(float64(visitors), "visitors")
}

// childFirstFrame starts this test binary as a child that draws the first
// frame, and returns the time from starting it to the frame and its peak
// memory in KiB.
func childFirstFrame(path string) (time.Duration, int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), firstFrameEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	r := bufio.NewReader(out)
	line, err := r.ReadString('\n')
	elapsed := time.Since(t0)
	if err != nil || !strings.HasPrefix(line, "frame ") {
		cmd.Wait()
		return 0, 0, fmt.Errorf("the child said %q: %w", line, err)
	}
	rest, _ := r.ReadString('\n')
	var hwm int
	fmt.Sscanf(rest, "hwm %d", &hwm)
	if err := cmd.Wait(); err != nil {
		return 0, 0, err
	}
	return elapsed, hwm, nil
}
