package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"steward/domain/postgres"
	"steward/domain/postgres/localpg"
)

// benchPassword is every scale-district login's password: the district is synthetic and lives in
// its own database, never beside real or demo data.
const benchPassword = "Bench#2026-steward"

// benchOptions configure one run of the benchmark harness (`steward bench`).
type benchOptions struct {
	Quick    bool
	Clients  int
	Duration time.Duration
	// Warmup runs each scenario unmeasured first.
	Warmup time.Duration
	Scale  postgres.ScaleOptions
	// Out is the folder the JSON results go to.
	Out string

	// DatabaseURL and OwnerURL name an existing, migrated database instead of the private
	// server under the state directory (the harness's own test); InProcess serves from this
	// process instead of a child `steward serve`.
	DatabaseURL, OwnerURL string
	InProcess             bool
	// RiverJobs is how many jobs of each kind the River baseline works.
	RiverJobs int
	// Only, when set, runs just the scenarios whose names it matches (and no baselines unless
	// it matches "baselines"): for working on one slow path.
	Only *regexp.Regexp
	// CPUProfile, when set, is where the server under test writes its CPU profile of the whole
	// run (go tool pprof), to see where a request's time goes besides the database.
	CPUProfile string
	// Browser runs the browser part (bench_browser.go) after the scenarios when Chromium and
	// the web app are there; BrowserRuns is how many times each home is navigated to.
	Browser     bool
	BrowserRuns int
	// BrowserProfile saves the last navigation's JavaScript CPU profile of each home.
	BrowserProfile bool
}

// Scale districts: the full one of DESIGN.md §7, and a small one for --quick.
var (
	benchFullScale  = postgres.ScaleOptions{Enterprises: 20000, Projects: 5000, Users: 600, Visits: 1000000, Tickets: 300000}
	benchQuickScale = postgres.ScaleOptions{Enterprises: 4000, Projects: 1000, Users: 200, Visits: 150000, Tickets: 45000}
)

// benchCommand runs `steward bench [--quick] [--clients N] [--duration D]`.
func (m *Main) benchCommand(ctx context.Context, cfg config, args []string) error {
	fs := flag.NewFlagSet("steward bench", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	quick := fs.Bool("quick", false, "a small district and short runs (under a minute after the first seed)")
	clients := fs.Int("clients", 16, "concurrent clients per scenario")
	duration := fs.Duration("duration", 0, "how long each scenario is measured (default 10s, --quick 1s)")
	stateDir := fs.String("state-dir", cfg.stateDir, "state directory (the bench district lives in <state dir>/bench)")
	only := fs.String("only", "", "run only the scenarios whose names match this regular expression (\"baselines\" for the baselines, \"browser\" for the browser part)")
	browser := fs.Bool("browser", true, "measure the staff homes and the login route in Chromium after the scenarios (skipped with a note when Chromium or the web app is missing)")
	browserProfile := fs.Bool("browser-profile", false, "save each home's last navigation as a JavaScript CPU profile (<state dir>/bench/home-<role>.cpuprofile)")
	browserRuns := fs.Int("browser-runs", 5, "navigations to each home (the first cold)")
	harnessProfile := fs.String("harness-profile", "", "write a CPU profile of this process (the load generator, the baselines and River's run) to this file")
	cpuProfile := fs.String("cpu-profile", "", "write the server's CPU profile of the run to this file (go tool pprof; pair with --only)")
	serveBare := fs.Bool("serve-bare", false, "internal: serve the bare baseline handler (the harness starts it)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *serveBare {
		return m.serveBare(ctx)
	}
	o := benchOptions{Quick: *quick, Clients: *clients, Duration: *duration, Scale: benchFullScale, RiverJobs: 5000,
		Warmup: 2 * time.Second, Out: filepath.Join(*stateDir, "bench"), Browser: *browser, BrowserRuns: *browserRuns, BrowserProfile: *browserProfile,
		CPUProfile: *cpuProfile}
	if o.Quick {
		o.Scale, o.RiverJobs, o.Warmup = benchQuickScale, 500, 200*time.Millisecond
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
		if o.Quick {
			o.Duration = time.Second
		}
	}
	if *harnessProfile != "" {
		f, err := os.Create(*harnessProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			return fmt.Errorf("--only: %w", err)
		}
		o.Only = re
	}
	if o.BrowserRuns < 1 || o.BrowserRuns > 100 {
		return fmt.Errorf("--browser-runs must be 1…100")
	}
	if o.Clients < 1 || o.Clients > 256 {
		return fmt.Errorf("--clients must be 1…256")
	}
	_, err := m.bench(ctx, o)
	return err
}

// benchEnv is what a run works on: the database (as the runtime role and as its owner) and the
// server under test.
type benchEnv struct {
	o             benchOptions
	db            *postgres.DB
	url, ownerURL string
	base          string // the server's base URL
	pid           int    // the server's process
	stop          func()
}

// bench runs the whole harness and prints its report; it returns the report for tests.
func (m *Main) bench(ctx context.Context, o benchOptions) (*benchReport, error) {
	rep := &benchReport{Started: time.Now().UTC(), Quick: o.Quick, Clients: o.Clients, Duration: o.Duration.String()}
	if o.Only != nil {
		rep.Only = o.Only.String()
	}
	rep.Machine = machineInfo()
	fmt.Fprintf(m.Stdout, "machine: %d cores (%s), load average %s at start\n", rep.Machine.Cores, rep.Machine.CPU, rep.Machine.LoadStart)

	env := &benchEnv{o: o, url: o.DatabaseURL, ownerURL: o.OwnerURL}
	defer func() {
		if env.stop != nil {
			env.stop()
		}
		if env.db != nil {
			env.db.Close()
		}
		m.Close()
	}()
	if env.url == "" {
		name := "steward_bench"
		if o.Quick {
			name = "steward_bench_quick"
		}
		s, err := localpg.Start(ctx, localpg.Options{Dir: o.Out, Logger: m.Logger})
		if err != nil {
			return nil, err
		}
		m.local = s
		if err := s.EnsureDatabase(ctx, name); err != nil {
			return nil, err
		}
		if err := s.EnsureRole(ctx, postgres.RuntimeRole); err != nil {
			return nil, err
		}
		env.url, env.ownerURL = s.URLAs(postgres.RuntimeRole, name), s.URL(name)
		db, err := postgres.Open(ctx, env.url)
		if err != nil {
			return nil, err
		}
		m.db, m.ownerURL = db, env.ownerURL
		if err := m.migrateSchema(ctx); err != nil {
			return nil, err
		}
		m.db = nil // closed by env
		env.db = db
	} else {
		db, err := postgres.Open(ctx, env.url)
		if err != nil {
			return nil, err
		}
		env.db = db
	}
	if err := env.seed(ctx, m); err != nil {
		return nil, err
	}
	rep.District, _ = env.district(ctx)
	fmt.Fprintf(m.Stdout, "district: %s\n", rep.District)

	if err := env.startServer(ctx, m); err != nil {
		return nil, err
	}
	if err := runBench(ctx, m, env, rep); err != nil {
		return rep, err
	}
	rep.Machine.LoadEnd = loadAverage()
	rep.Finished = time.Now().UTC()
	rep.print(m.Stdout)
	if err := rep.save(o.Out); err != nil {
		return rep, err
	}
	return rep, nil
}

// seed writes the scale district unless the bench database has it already.
func (e *benchEnv) seed(ctx context.Context, m *Main) error {
	var n int
	if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE username = 'bench1'`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	fmt.Fprintf(m.Stdout, "seeding the scale district (%d enterprises, %d projects, %d users, %d visits, %d tickets) — once\n",
		e.o.Scale.Enterprises, e.o.Scale.Projects, e.o.Scale.Users, e.o.Scale.Visits, e.o.Scale.Tickets)
	target := e.db
	if e.ownerURL != "" {
		owner, err := postgres.Open(ctx, withPoolSize(e.ownerURL, 2))
		if err != nil {
			return err
		}
		defer owner.Close()
		target = owner
	}
	o := e.o.Scale
	o.Password = benchPassword
	res, err := postgres.SeedScale(ctx, target, o)
	if err != nil {
		return fmt.Errorf("seed the scale district: %w", err)
	}
	fmt.Fprintf(m.Stdout, "seeded in %s\n", res.Took.Round(time.Second))
	return nil
}

func (e *benchEnv) district(ctx context.Context) (string, error) {
	var ent, proj, users, visits, tickets int
	err := e.db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM enterprises), (SELECT count(*) FROM projects),
		(SELECT count(*) FROM users), (SELECT count(*) FROM visits), (SELECT count(*) FROM tickets)`).Scan(&ent, &proj, &users, &visits, &tickets)
	return fmt.Sprintf("%d enterprises, %d projects, %d users, %d visits, %d tickets", ent, proj, users, visits, tickets), err
}

// startServer starts the server under test: a child `steward serve --no-worker` on the bench
// database (so its memory is its own), or the program in this process for the harness's test.
// Workers stay off in the server so periodic sweeps do not run during the measurements; the
// River baseline measures the workers on their own.
func (e *benchEnv) startServer(ctx context.Context, m *Main) error {
	getenv := map[string]string{"DATABASE_URL": e.url, "STEWARD_MIGRATE_URL": e.ownerURL,
		"STEWARD_LOGIN_RATE": "100000/1m", "STEWARD_LOG_FORMAT": "text"}
	if e.o.CPUProfile != "" {
		path, err := filepath.Abs(e.o.CPUProfile)
		if err != nil {
			return err
		}
		getenv["STEWARD_CPU_PROFILE"] = path
	}
	if e.o.InProcess {
		srv := &Main{Stdin: strings.NewReader(""), Stdout: m.Stdout, Stderr: m.Stderr, failed: make(chan error, 2),
			Getenv: func(k string) string { return getenv[k] }, Logger: quietLogger()}
		if err := srv.Run(ctx, []string{"serve", "--no-worker", "--addr", "127.0.0.1:0"}); err != nil {
			srv.Close()
			return err
		}
		e.base, e.pid, e.stop = "http://"+srv.Addr, os.Getpid(), func() { srv.Close() }
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(e.o.Out, 0o755); err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(e.o.Out, "server.log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, "serve", "--no-worker", "--addr", addr)
	cmd.Env = os.Environ()
	for k, v := range getenv {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }() //nolint:errcheck
	e.base, e.pid = "http://"+addr, cmd.Process.Pid
	e.stop = func() {
		cmd.Process.Signal(os.Interrupt) //nolint:errcheck
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill() //nolint:errcheck
			<-exited
		}
		logFile.Close()
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		res, err := http.Get(e.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return fmt.Errorf("the server exited at start; see %s", logFile.Name())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("the server was not ready within 90 s; see " + logFile.Name())
		}
	}
}

// machineInfo describes where the numbers were taken.
func machineInfo() benchMachine {
	mi := benchMachine{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version(), LoadStart: loadAverage()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				mi.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "MemTotal:") {
				f := strings.Fields(line)
				if len(f) >= 2 {
					kb, _ := strconv.Atoi(f[1])
					mi.MemoryMB = kb / 1024
				}
			}
		}
	}
	return mi
}

// loadAverage is the 1, 5 and 15 minute load average (/proc/loadavg).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// processMemory reads a process's resident set size and its peak (kB → MB) from /proc.
func processMemory(pid int) (rss, peak float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}
