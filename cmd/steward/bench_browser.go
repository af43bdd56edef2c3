package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The bench's browser part: DESIGN.md §7 says a staff home shows its first rows within 1 s of
// navigation on the scale district, measured in the browser, and that the login route loads at
// most 300 KB of JavaScript gzipped. A Node script (frontend/e2e/bench-home.mjs) drives Debian's
// Chromium through playwright-core — the browser tests' harness and launch options — against the
// bench's own server, which serves the web app built into the binary.

// benchBrowserRoles are the staff homes measured, each named "browser <role>" for --only.
var benchBrowserRoles = []string{"officer", "dispatcher", "leader", "steward"}

const benchLoginJSName = "browser login js"

type benchBrowser struct {
	// Skipped says why the browser part did not run (no Chromium, no web app…); not a failure.
	Skipped  string        `json:"skipped,omitempty"`
	Chromium string        `json:"chromium,omitempty"`
	Runs     int           `json:"runs,omitempty"`
	Homes    []benchHome   `json:"homes,omitempty"`
	Login    *benchLoginJS `json:"login_js,omitempty"`
}

type benchLoginJS struct {
	Scripts   int    `json:"scripts"`
	Bytes     int    `json:"bytes"`
	GzipBytes int    `json:"gzip_bytes"`
	Error     string `json:"error,omitempty"`
}

// benchHome is one role's home, navigated to Runs times (the first cold, then warm).
type benchHome struct {
	Name       string         `json:"name"`
	Role       string         `json:"role"`
	Username   string         `json:"username"`
	List       string         `json:"list"` // the selector of a row of the home's main list
	Screenshot string         `json:"screenshot,omitempty"`
	Profile    string         `json:"profile,omitempty"` // --browser-profile's CPU profile
	Error      string         `json:"error,omitempty"`
	PageErrors []string       `json:"errors,omitempty"`
	Runs       []benchHomeRun `json:"runs"`

	// Over the runs, in ms from navigation start: the first row shown (median, worst, the cold
	// run's), the first API answer, and the main list's request (when it was sent and answered).
	MedianMS      float64 `json:"first_row_median_ms"`
	WorstMS       float64 `json:"first_row_worst_ms"`
	ColdMS        float64 `json:"first_row_cold_ms"`
	FirstAnswerMS float64 `json:"first_answer_median_ms"`
	ListStartMS   float64 `json:"list_request_start_median_ms"`
	ListEndMS     float64 `json:"list_request_end_median_ms"`
	Requests      int     `json:"api_requests"`
}

type benchHomeRun struct {
	Cold               bool    `json:"cold"`
	FirstRowMS         float64 `json:"first_row_ms"` // 0: no row (see Empty)
	Empty              bool    `json:"empty"`
	Rows               int     `json:"rows"`
	DocumentMS         float64 `json:"document_ms"`
	DOMContentLoadedMS float64 `json:"dom_content_loaded_ms"`
	FirstAnswerMS      float64 `json:"first_answer_ms"`
	FirstAnswer        string  `json:"first_answer"`
	ListRequestStartMS float64 `json:"list_request_start_ms"`
	ListRequestEndMS   float64 `json:"list_request_end_ms"`
	LastAnswerMS       float64 `json:"last_answer_ms"`
	Requests           int     `json:"requests"`
	API                []struct {
		Path    string  `json:"path"`
		StartMS float64 `json:"start_ms"`
		EndMS   float64 `json:"end_ms"`
	} `json:"api"`
}

// benchFrontendDir is the web app's source folder holding the bench script: beside the working
// directory (the repository, as `make bench` runs) or beside the binary's folder (bin/steward).
func benchFrontendDir() string {
	cands := []string{"frontend"}
	if exe, err := os.Executable(); err == nil {
		cands = append(cands, filepath.Join(filepath.Dir(exe), "..", "frontend"))
	}
	for _, d := range cands {
		if _, err := os.Stat(filepath.Join(d, "e2e", "bench-home.mjs")); err == nil {
			abs, err := filepath.Abs(d)
			if err != nil {
				return d
			}
			return abs
		}
	}
	return ""
}

// browserMissing says what the browser part lacks on this machine, "" when it can run.
func browserMissing(ctx context.Context, base string) (chromium, frontend, why string) {
	chromium = os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if st, err := os.Stat(chromium); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return "", "", "no " + chromium + " (make bench installs it; Debian: apt-get install chromium fonts-wqy-microhei)"
	}
	frontend = benchFrontendDir()
	if frontend == "" {
		return "", "", "no frontend/e2e/bench-home.mjs beside the working directory or the binary"
	}
	if _, err := os.Stat(filepath.Join(frontend, "node_modules", "playwright-core")); err != nil {
		return "", "", "no frontend/node_modules/playwright-core (cd frontend && npm ci)"
	}
	if _, err := exec.LookPath("node"); err != nil {
		return "", "", "node is not on PATH"
	}
	// The binary serves the web app it was built with; without `make web` first it has none.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	if err != nil {
		return "", "", err.Error()
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", "", "the server's /login: " + err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode != http.StatusOK || !bytes.Contains(b, []byte("/assets/")) {
		return "", "", "the server has no web app built in (make web before go build, as make bench does)"
	}
	return chromium, frontend, ""
}

// runBrowser measures the staff homes and the login route's JavaScript in Chromium, as the users
// of the bench's first client (an officer whose department has tickets, a dispatcher, a leader,
// a steward).
func runBrowser(ctx context.Context, m *Main, env *benchEnv, rep *benchReport, c *benchClient) {
	o := env.o
	want := func(name string) bool { return o.Only == nil || o.Only.MatchString(name) }
	var homes []map[string]string
	for _, r := range benchBrowserRoles {
		if name := "browser " + r; want(name) {
			homes = append(homes, map[string]string{"name": name, "role": r, "username": c.users[r].Username})
		}
	}
	login := want(benchLoginJSName)
	if len(homes) == 0 && !login {
		return // --only chose other things
	}
	b := &benchBrowser{Runs: o.BrowserRuns}
	rep.Browser = b
	if !o.Browser {
		b.Skipped = "off (--browser=false)"
	} else if chromium, frontend, why := browserMissing(ctx, env.base); why != "" {
		b.Skipped = why
	} else if err := b.run(ctx, m, env, chromium, frontend, homes, login); err != nil {
		b.Skipped = "the browser script failed: " + err.Error()
	}
	if b.Skipped != "" {
		fmt.Fprintf(m.Stdout, "browser: skipped — %s\n", b.Skipped)
		return
	}
	b.printTable(m.Stdout)
}

func (b *benchBrowser) run(ctx context.Context, m *Main, env *benchEnv, chromium, frontend string, homes []map[string]string, login bool) error {
	fmt.Fprintf(m.Stdout, "browser: %d homes × %d navigations in %s\n", len(homes), b.Runs, chromium)
	shots, err := filepath.Abs(env.o.Out)
	if err != nil {
		return err
	}
	arg, err := json.Marshal(map[string]any{"base": env.base, "password": benchPassword, "runs": b.Runs, "shots": shots,
		"homes": homes, "login": login, "profile": env.o.BrowserProfile})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "e2e/bench-home.mjs", string(arg))
	cmd.Dir = frontend
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium)
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: 4000}
	cmd.Stdout, cmd.Stderr = &stdout, io.MultiWriter(stderr, m.Stderr) // its progress, as it goes
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var out struct {
		Chromium string        `json:"chromium"`
		Homes    []benchHome   `json:"homes"`
		Login    *benchLoginJS `json:"login"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return fmt.Errorf("its output: %v", err)
	}
	b.Chromium, b.Homes, b.Login = out.Chromium, out.Homes, out.Login
	for i := range b.Homes {
		b.Homes[i].summarize()
	}
	return nil
}

// summarize works out a home's medians and worst from its runs.
func (h *benchHome) summarize() {
	var rows, answers, starts, ends []float64
	for _, r := range h.Runs {
		if r.FirstRowMS > 0 {
			rows = append(rows, r.FirstRowMS)
			h.WorstMS = max(h.WorstMS, r.FirstRowMS)
			if r.Cold {
				h.ColdMS = r.FirstRowMS
			}
		}
		if r.FirstAnswerMS > 0 {
			answers = append(answers, r.FirstAnswerMS)
		}
		if r.ListRequestEndMS > 0 {
			starts, ends = append(starts, r.ListRequestStartMS), append(ends, r.ListRequestEndMS)
		}
		h.Requests = max(h.Requests, r.Requests)
	}
	h.MedianMS, h.FirstAnswerMS, h.ListStartMS, h.ListEndMS = median(rows), median(answers), median(starts), median(ends)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// measured says whether the home has a first-row time (no failure, not an empty list).
func (h *benchHome) measured() bool { return h.Error == "" && h.MedianMS > 0 }

func (h *benchHome) line() string {
	if !h.measured() {
		why := h.Error
		if why == "" {
			why = "no row: the main list is empty for this user"
		}
		return fmt.Sprintf("| %s | | | | | | | %s — %s |", padRight(fmt.Sprintf("%s (%s)", h.Role, h.Username), 24), h.List, why)
	}
	return fmt.Sprintf("| %s | %6s | %6s | %6s | %6s | %13s | %4d | %s |", padRight(fmt.Sprintf("%s (%s)", h.Role, h.Username), 24),
		fmtMS(h.MedianMS), fmtMS(h.WorstMS), fmtMS(h.ColdMS), fmtMS(h.FirstAnswerMS), fmtMS(h.ListStartMS)+" → "+fmtMS(h.ListEndMS), h.Requests, h.List)
}

func (b *benchBrowser) printTable(w io.Writer) {
	if b.Skipped != "" {
		fmt.Fprintf(w, "\nbrowser: skipped — %s\n", b.Skipped)
		return
	}
	fmt.Fprintf(w, "\nbrowser (Chromium %s, headless, 1280×800): each home %d times, the first cold (empty profile), then warm; ms from navigation start\n", b.Chromium, b.Runs)
	fmt.Fprintf(w, "| %s | %6s | %6s | %6s | %6s | %13s | %4s | %s |\n", padRight("home", 24), "p50", "worst", "cold", "answer", "list request", "reqs", "first row of")
	fmt.Fprintln(w, "|"+strings.Repeat("-", 26)+"|-------:|-------:|-------:|-------:|--------------:|-----:|---|")
	for i := range b.Homes {
		fmt.Fprintln(w, b.Homes[i].line())
	}
	fmt.Fprintln(w, "p50, worst, cold: the first row of the main list shown; answer: the first API answer; list request: the main list's, sent → answered (medians); reqs: API requests per load")
	for _, h := range b.Homes {
		if len(h.PageErrors) > 0 {
			fmt.Fprintf(w, "%s: page errors: %s\n", h.Name, strings.Join(h.PageErrors, "; "))
		}
	}
	if l := b.Login; l != nil {
		if l.Error != "" {
			fmt.Fprintf(w, "login route JavaScript: not measured — %s\n", l.Error)
		} else {
			fmt.Fprintf(w, "login route JavaScript: %d scripts, %.0f KB, %.0f KB gzipped (target ≤ 300 KB)\n", l.Scripts, float64(l.Bytes)/1024, float64(l.GzipBytes)/1024)
		}
	}
}

// judge adds the browser's targets: every home's median first row within 1 s, the login route's
// JavaScript within 300 KB gzipped. What was not measured is not judged.
func (b *benchBrowser) judge() []benchTarget {
	if b == nil || b.Skipped != "" {
		return nil
	}
	var out []benchTarget
	if len(b.Homes) > 0 {
		var worstMedian, worstRun float64
		var medianOf, runOf string
		var failed []string
		for _, h := range b.Homes {
			if !h.measured() {
				failed = append(failed, h.Role)
				continue
			}
			if h.MedianMS > worstMedian {
				worstMedian, medianOf = h.MedianMS, h.Role
			}
			if h.WorstMS > worstRun {
				worstRun, runOf = h.WorstMS, h.Role
			}
		}
		actual := fmt.Sprintf("worst median %s ms (%s), worst run %s ms (%s)", fmtMS(worstMedian), medianOf, fmtMS(worstRun), runOf)
		if len(failed) > 0 {
			actual += "; not measured: " + strings.Join(failed, ", ")
		}
		out = append(out, benchTarget{"staff home first rows ≤ 1 s", actual, len(failed) == 0 && worstMedian <= 1000})
	}
	if l := b.Login; l != nil {
		if l.Error != "" {
			out = append(out, benchTarget{"login route JS ≤ 300 KB gzipped", "not measured: " + l.Error, false})
		} else {
			out = append(out, benchTarget{"login route JS ≤ 300 KB gzipped", fmt.Sprintf("%.0f KB in %d scripts", float64(l.GzipBytes)/1024, l.Scripts), l.GzipBytes <= 300*1024})
		}
	}
	return out
}

// errors counts the page errors (uncaught exceptions, requests to other hosts) and failed homes.
func (b *benchBrowser) errors() int {
	if b == nil {
		return 0
	}
	n := 0
	for _, h := range b.Homes {
		n += len(h.PageErrors)
		if h.Error != "" {
			n++
		}
	}
	return n
}

// tailBuffer keeps the last max bytes written to it (a child's stderr, for an error message).
type tailBuffer struct {
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }
