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
	for _, want := range []string{"ops/s", "p99", "bare net/http + pgx", "River", "load average", "peak RSS"} {
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

// The bare handler writes column text as JSON strings by hand; what it writes must read back.
func TestBareJSONString(t *testing.T) {
	for _, s := range []string{"", "中国电力", `a"b\c`, "line\nbreak\ttab\x01", "{\"k\": [1]}"} {
		var back string
		if err := json.Unmarshal(appendJSONString(nil, s), &back); err != nil || back != s {
			t.Errorf("%q → %s → %q, %v", s, appendJSONString(nil, s), back, err)
		}
	}
}
