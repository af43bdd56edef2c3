package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// TestBenchEndToEnd runs the benchmark harness on a tiny district for a few seconds, so that it
// cannot rot: every scenario is measured (or, for an endpoint another branch adds, skipped on
// its 404) with no errors, the baselines and River ran, the plans were taken, and the table
// and the JSON were written. Speed itself is `steward bench`'s business, not this test's.
func TestBenchEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a district and drives every scenario")
	}
	t.Parallel()
	out := t.TempDir()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	m := &Main{Stdout: stdout, Stderr: stderr, Getenv: func(string) string { return "" }, Logger: quietLogger(), failed: make(chan error, 2)}
	o := benchOptions{Clients: 2, Duration: 250 * time.Millisecond, Out: out, DatabaseURL: pgtest.URL(t), InProcess: true, RiverJobs: 40,
		Scale: postgres.ScaleOptions{Enterprises: 300, Projects: 60, Users: 60, Visits: 3000, Tickets: 1500}}
	rep, err := m.bench(context.Background(), o)
	if err != nil {
		t.Fatalf("bench: %v\n%s\n%s", err, stdout, stderr)
	}
	fx := &benchFixtures{}
	scenarios := benchScenarios(fx)
	if len(rep.Scenarios) != len(scenarios) {
		t.Fatalf("%d scenarios in the report, want %d", len(rep.Scenarios), len(scenarios))
	}
	for i, sc := range scenarios {
		r := rep.Scenarios[i]
		switch {
		case r.Name != sc.Name:
			t.Errorf("scenario %d is %q, want %q", i, r.Name, sc.Name)
		case r.Skipped != "" && !(sc.Optional && strings.Contains(r.Skipped, "404")):
			t.Errorf("%s skipped: %s", r.Name, r.Skipped)
		case r.Skipped == "" && (r.Ops == 0 || r.Errors != 0 || r.P99 <= 0):
			t.Errorf("%s: %d ops, %d errors (%s), p99 %.1f ms", r.Name, r.Ops, r.Errors, r.FirstErr, r.P99)
		}
		if !strings.Contains(stdout.String(), "| "+sc.Name) {
			t.Errorf("the table has no row for %s", sc.Name)
		}
	}
	if len(rep.Baselines) != 2 {
		t.Fatalf("%d baselines, want 2", len(rep.Baselines))
	}
	for _, b := range rep.Baselines {
		if b.Ops == 0 || b.Errors != 0 {
			t.Errorf("baseline %s: %d ops, %d errors (%s)", b.Name, b.Ops, b.Errors, b.FirstErr)
		}
	}
	if rep.River.NoopPerSec <= 0 || rep.River.DeliverPerSec <= 0 {
		t.Errorf("River: %+v", rep.River)
	}
	if !strings.Contains(rep.InboxSQL, "FROM \"tickets\"") {
		t.Errorf("captured inbox SQL: %s", rep.InboxSQL)
	}
	plans := map[string]bool{}
	for _, p := range rep.Plans {
		if len(p.Plan) == 0 || !strings.Contains(strings.Join(p.Plan, "\n"), "Execution Time") {
			t.Errorf("plan of %s has no EXPLAIN ANALYZE output", p.Name)
		}
		plans[p.Name] = true
	}
	for _, want := range []string{"officer inbox", "officer inbox red", "search 中国", "due visits", "stats overview", "stats departments"} {
		if !plans[want] {
			t.Errorf("no plan for %s", want)
		}
	}
	if rep.Server.PeakRSSMB <= 0 || rep.Machine.Cores <= 0 || rep.Machine.LoadStart == "" {
		t.Errorf("server %+v, machine %+v", rep.Server, rep.Machine)
	}
	// The browser part is left off here (Browser false): Chromium on a busy machine is the
	// browser tests' business; its report and judgement are TestBenchBrowserReport's.
	if rep.Browser == nil || !strings.Contains(rep.Browser.Skipped, "off") {
		t.Errorf("browser: %+v, want skipped as off", rep.Browser)
	}
	for _, want := range []string{"ops/s", "p99", "bare net/http + pgx", "River", "load average", "peak RSS", "browser: skipped — off"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the output lacks %q", want)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "latest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var saved benchReport
	if err := json.Unmarshal(b, &saved); err != nil || len(saved.Scenarios) != len(scenarios) || len(saved.Targets) == 0 {
		t.Fatalf("latest.json: %v, %d scenarios, %d targets", err, len(saved.Scenarios), len(saved.Targets))
	}
}

// The browser part's numbers: medians and worst from the runs, the table, the targets (a home
// without a row is a miss, not a pass), and page errors counted as errors.
func TestBenchBrowserReport(t *testing.T) {
	run := func(cold bool, row, start, end float64) benchHomeRun {
		return benchHomeRun{Cold: cold, FirstRowMS: row, FirstAnswerMS: 100, ListRequestStartMS: start, ListRequestEndMS: end, Requests: 8}
	}
	fast := benchHome{Name: "browser officer", Role: "officer", Username: "bench4", List: `[data-testid="inbox-red"] tr.ant-table-row`,
		Runs: []benchHomeRun{run(true, 1500, 900, 1000), run(false, 600, 300, 350), run(false, 500, 250, 300), run(false, 700, 320, 400), run(false, 650, 310, 360)}}
	fast.summarize()
	if fast.MedianMS != 650 || fast.WorstMS != 1500 || fast.ColdMS != 1500 || fast.ListStartMS != 310 || fast.ListEndMS != 360 || fast.Requests != 8 {
		t.Fatalf("summary: %+v", fast)
	}
	rep := &benchReport{Only: "browser", Browser: &benchBrowser{Chromium: "156", Runs: 5, Homes: []benchHome{fast},
		Login: &benchLoginJS{Scripts: 20, Bytes: 800 << 10, GzipBytes: 250 << 10}}}
	target := func(name string) *benchTarget {
		for i := range rep.Targets {
			if rep.Targets[i].Target == name {
				return &rep.Targets[i]
			}
		}
		return nil
	}
	var out strings.Builder
	rep.print(&out)
	if tg := target("staff home first rows ≤ 1 s"); tg == nil || !tg.Met || !strings.Contains(tg.Actual, "650 ms (officer)") {
		t.Errorf("first rows target: %+v", tg)
	}
	if tg := target("login route JS ≤ 300 KB gzipped"); tg == nil || !tg.Met {
		t.Errorf("login JS target: %+v", tg)
	}
	if tg := target("list p99 ≤ 20 ms"); tg != nil {
		t.Errorf("a browser-only run judged the lists: %+v", tg)
	}
	for _, want := range []string{"officer (bench4)", "650", "1500", "310 → 360", "250 KB gzipped"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the browser table lacks %q:\n%s", want, out.String())
		}
	}

	empty := benchHome{Name: "browser steward", Role: "steward", Username: "bench2", Runs: []benchHomeRun{{Cold: true, Empty: true}},
		PageErrors: []string{"TypeError: x is undefined"}}
	empty.summarize()
	rep.Browser.Homes = append(rep.Browser.Homes, empty)
	rep.Browser.Login.GzipBytes = 301 << 10
	rep.judge()
	if tg := target("staff home first rows ≤ 1 s"); tg == nil || tg.Met || !strings.Contains(tg.Actual, "not measured: steward") {
		t.Errorf("a home without rows: %+v", tg)
	}
	if tg := target("login route JS ≤ 300 KB gzipped"); tg == nil || tg.Met {
		t.Errorf("301 KB: %+v", tg)
	}
	if tg := target("no errors"); tg == nil || tg.Met {
		t.Errorf("a page error: %+v", tg)
	}
}

// The bare handler writes column text as JSON strings by hand; what it writes must read back.
func TestBareJSONString(t *testing.T) {
	for _, s := range []string{"", "中国电力", `a"b\c`, "line\nbreak\ttab\x01", "{\"k\": [1]}"} {
		var back string
		if err := json.Unmarshal(appendJSONString(nil, s), &back); err != nil || back != s {
			t.Errorf("%q → %s → %q, %v", s, appendJSONString(nil, s), back, err)
		}
	}
}
