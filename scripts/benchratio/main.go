// Command benchratio reads `go test -bench` output on stdin and prints, for
// every benchmark that has a baseline beside it, the ratio between the two
// measured in the same run. A baseline is named like its benchmark with
// "Baseline" appended to the last part of its name (BenchmarkIngest →
// BenchmarkIngestBaseline, BenchmarkX/register → BenchmarkX/registerBaseline).
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func main() {
	metrics := map[string]map[string]float64{} // name → unit → value
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name := m[1]
		f := strings.Fields(m[2])
		vals := map[string]float64{}
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				vals[f[i+1]] = v
			}
		}
		if _, seen := metrics[name]; !seen {
			order = append(order, name)
		}
		metrics[name] = vals
	}
	fmt.Println("\n== ratios against the baselines of the same run ==")
	found := false
	for _, name := range order {
		base, ok := metrics[name+"Baseline"]
		if !ok {
			continue
		}
		found = true
		units := make([]string, 0)
		for u := range metrics[name] {
			if _, ok := base[u]; ok && base[u] != 0 {
				units = append(units, u)
			}
		}
		sort.Strings(units)
		for _, u := range units {
			fmt.Printf("%-60s %-14s %14.4g vs %-14.4g ratio %.2f×\n", strings.TrimPrefix(name, "Benchmark"), u, metrics[name][u], base[u], metrics[name][u]/base[u])
		}
	}
	// Benchmarks that measure their baseline in the same function report
	// it as "baseline-UNIT" beside "UNIT".
	for _, name := range order {
		units := make([]string, 0)
		for u := range metrics[name] {
			if b, ok := metrics[name]["baseline-"+u]; ok && b != 0 {
				units = append(units, u)
			}
		}
		sort.Strings(units)
		for _, u := range units {
			found = true
			v, b := metrics[name][u], metrics[name]["baseline-"+u]
			fmt.Printf("%-60s %-14s %14.4g vs %-14.4g ratio %.2f×\n", strings.TrimPrefix(name, "Benchmark"), u, v, b, v/b)
		}
	}
	// Benchmarks that interleave their baseline report the ratio themselves.
	for _, name := range order {
		for _, u := range []string{"×raw", "p50×raw"} {
			if r, ok := metrics[name][u]; ok {
				found = true
				fmt.Printf("%-60s %-14s %14.4g vs %-14.4g ratio %.2f×\n", strings.TrimPrefix(name, "Benchmark"), u, metrics[name]["ns/op"], metrics[name]["raw-ns/op"], r)
			}
		}
	}
	if !found {
		fmt.Println("(no benchmark with a baseline in this output)")
	}
}
