package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type benchMachine struct {
	Cores     int    `json:"cores"`
	CPU       string `json:"cpu"`
	MemoryMB  int    `json:"memory_mb"`
	OS        string `json:"os"`
	Go        string `json:"go"`
	LoadStart string `json:"load_average_start"`
	LoadEnd   string `json:"load_average_end"`
}

type benchRiverResult struct {
	Jobs           int     `json:"jobs"`
	Workers        int     `json:"workers"`
	NoopSeconds    float64 `json:"noop_seconds"`
	DeliverSeconds float64 `json:"deliver_seconds"`
	NoopPerSec     float64 `json:"noop_per_second"`
	DeliverPerSec  float64 `json:"deliver_per_second"`
	Ratio          float64 `json:"deliver_to_noop"`
}

type benchPlan struct {
	Name string   `json:"name"`
	SQL  string   `json:"sql"`
	Plan []string `json:"plan"`
}

// benchTarget is one of DESIGN.md §7's targets, checked against this run.
type benchTarget struct {
	Target string `json:"target"`
	Actual string `json:"actual"`
	Met    bool   `json:"met"`
}

// benchReport is everything one run measured; it is printed and saved as JSON.
type benchReport struct {
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Quick    bool      `json:"quick"`
	Clients  int       `json:"clients"`
	Duration string    `json:"duration"`
	// Only is the --only pattern of a partial run ("" for a whole one).
	Only      string        `json:"only,omitempty"`
	Machine   benchMachine  `json:"machine"`
	District  string        `json:"district"`
	Scenarios []benchResult `json:"scenarios"`
	Baselines []benchResult `json:"baselines"`
	Server    struct {
		Process   string  `json:"process"`
		PeakRSSMB float64 `json:"peak_rss_mb_under_load"`
		RSSMB     float64 `json:"rss_mb_at_end"`
		HWMMB     float64 `json:"vm_hwm_mb"`
	} `json:"server"`
	River    benchRiverResult   `json:"river"`
	Ratios   map[string]float64 `json:"ratios"`
	Targets  []benchTarget      `json:"targets"`
	InboxSQL string             `json:"inbox_sql"`
	Plans    []benchPlan        `json:"plans"`
	// Browser is the browser part's (nil when --only left it out).
	Browser *benchBrowser `json:"browser,omitempty"`
}

func (r benchResult) line() string {
	if r.Skipped != "" {
		return fmt.Sprintf("| %s | | | | | | | %s — skipped: %s |", padRight(r.Name, 24), r.What, r.Skipped)
	}
	rss := "–"
	if r.RSS > 0 {
		rss = fmt.Sprintf("%.0f", r.RSS)
	}
	return fmt.Sprintf("| %s | %7.0f | %6s | %6s | %6s | %6d | %5s | %s |", padRight(r.Name, 24), r.PerSec, fmtMS(r.P50), fmtMS(r.P95), fmtMS(r.P99), r.Errors, rss, r.What)
}

func (r *benchReport) result(name string) *benchResult {
	for i := range r.Scenarios {
		if r.Scenarios[i].Name == name {
			return &r.Scenarios[i]
		}
	}
	for i := range r.Baselines {
		if r.Baselines[i].Name == name {
			return &r.Baselines[i]
		}
	}
	return nil
}

// judge works out the ratios and checks the targets of DESIGN.md §7.
func (r *benchReport) judge() {
	r.Ratios = map[string]float64{}
	inbox, bare, pg := r.result("officer inbox"), r.result("bare net/http + pgx"), r.result("PostgreSQL (pgx, prepared)")
	if inbox != nil && bare != nil && bare.PerSec > 0 {
		r.Ratios["inbox_to_bare"] = inbox.PerSec / bare.PerSec
	}
	if inbox != nil && pg != nil && pg.PerSec > 0 {
		r.Ratios["inbox_to_postgres"] = inbox.PerSec / pg.PerSec
	}
	if bare != nil && pg != nil && pg.PerSec > 0 {
		r.Ratios["bare_to_postgres"] = bare.PerSec / pg.PerSec
	}
	r.Ratios["deliver_to_noop"] = r.River.Ratio
	r.Targets = nil
	worst := func(kind string) (float64, string) {
		var p99 float64
		var name string
		for _, s := range r.Scenarios {
			if s.Kind == kind && s.Skipped == "" && s.P99 > p99 {
				p99, name = s.P99, s.Name
			}
		}
		return p99, name
	}
	// A partial run judges what it ran: no list scenario, no list target.
	if lp, ln := worst("list"); ln != "" || r.Only == "" {
		r.Targets = append(r.Targets, benchTarget{"list p99 ≤ 20 ms", fmt.Sprintf("worst %s ms (%s)", fmtMS(lp), ln), lp <= 20})
	}
	if sp, sn := worst("stats"); sn != "" || r.Only == "" {
		r.Targets = append(r.Targets, benchTarget{"statistics p99 ≤ 100 ms", fmt.Sprintf("worst %s ms (%s)", fmtMS(sp), sn), sp <= 100})
	}
	if _, ok := r.Ratios["inbox_to_bare"]; ok || r.Only == "" {
		ratio := r.Ratios["inbox_to_bare"]
		r.Targets = append(r.Targets, benchTarget{"inbox ≥ 70% of the bare handler", fmt.Sprintf("%.0f%%", 100*ratio), ratio >= 0.7})
	}
	if r.River.Jobs > 0 || r.Only == "" {
		r.Targets = append(r.Targets, benchTarget{"deliver ≥ 50% of River's no-op", fmt.Sprintf("%.0f%%", 100*r.River.Ratio), r.River.Ratio >= 0.5})
	}
	if len(r.Scenarios) > 0 || r.Only == "" {
		r.Targets = append(r.Targets, benchTarget{"server RSS ≤ 150 MB under load", fmt.Sprintf("%.0f MB", r.Server.PeakRSSMB), r.Server.PeakRSSMB <= 150})
	}
	r.Targets = append(r.Targets, r.Browser.judge()...)
	errs := r.Browser.errors()
	for _, s := range append(append([]benchResult{}, r.Scenarios...), r.Baselines...) {
		errs += s.Errors
	}
	r.Targets = append(r.Targets, benchTarget{"no errors", fmt.Sprintf("%d", errs), errs == 0})
}

func (r *benchReport) print(w io.Writer) {
	r.judge()
	fmt.Fprintf(w, "\nSteward bench, %s — %s\n", r.Started.Format(time.RFC3339), r.District)
	fmt.Fprintf(w, "machine: %d cores (%s), %d MB, %s, %s; load average %s at start, %s at end\n",
		r.Machine.Cores, r.Machine.CPU, r.Machine.MemoryMB, r.Machine.OS, r.Machine.Go, r.Machine.LoadStart, r.Machine.LoadEnd)
	fmt.Fprintf(w, "%d clients, %s per scenario (after a warm-up); latency in ms; RSS: the server's largest resident set during the scenario, MB\n\n", r.Clients, r.Duration)
	header := fmt.Sprintf("| %s | %7s | %6s | %6s | %6s | %6s | %5s | %s |", padRight("scenario", 24), "ops/s", "p50", "p95", "p99", "errors", "RSS", "requests")
	fmt.Fprintln(w, header)
	fmt.Fprintln(w, "|"+strings.Repeat("-", 26)+"|--------:|-------:|-------:|-------:|-------:|------:|---|")
	for _, s := range r.Scenarios {
		fmt.Fprintln(w, s.line())
	}
	for _, s := range r.Baselines {
		fmt.Fprintln(w, s.line())
	}
	if r.Browser != nil {
		r.Browser.printTable(w)
	}
	if r.Only != "" {
		fmt.Fprintf(w, "\npartial run (--only %q): what it did not run is not judged\n", r.Only)
	}
	fmt.Fprintf(w, "\nofficer inbox: %.0f%% of the bare handler, %.0f%% of PostgreSQL alone (the bare handler: %.0f%% of PostgreSQL)\n",
		100*r.Ratios["inbox_to_bare"], 100*r.Ratios["inbox_to_postgres"], 100*r.Ratios["bare_to_postgres"])
	fmt.Fprintf(w, "River, %d jobs, %d workers: no-op %.0f/s, deliver (in-app notification + webhook post) %.0f/s — %.0f%%\n",
		r.River.Jobs, r.River.Workers, r.River.NoopPerSec, r.River.DeliverPerSec, 100*r.River.Ratio)
	fmt.Fprintf(w, "server (%s): peak RSS under load %.0f MB, %.0f MB at the end (VmHWM %.0f MB)\n\n",
		r.Server.Process, r.Server.PeakRSSMB, r.Server.RSSMB, r.Server.HWMMB)
	for _, t := range r.Targets {
		mark := "met"
		if !t.Met {
			mark = "MISSED"
		}
		fmt.Fprintf(w, "  %-6s %s: %s\n", mark, t.Target, t.Actual)
	}
	fmt.Fprintln(w, "\nQuery plans (EXPLAIN ANALYZE, after the load):")
	for _, p := range r.Plans {
		fmt.Fprintf(w, "\n-- %s\n", p.Name)
		for _, l := range p.Plan {
			fmt.Fprintln(w, "   "+l)
		}
	}
}

// save writes the report as JSON to dir, as bench-<time>.json and (a whole run) latest.json.
func (r *benchReport) save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	name := filepath.Join(dir, "bench-"+r.Started.Format("20060102T150405Z")+".json")
	if err := os.WriteFile(name, b, 0o644); err != nil {
		return err
	}
	if r.Only != "" {
		return nil // latest.json is a whole run's
	}
	return os.WriteFile(filepath.Join(dir, "latest.json"), b, 0o644)
}
