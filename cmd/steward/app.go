package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"riverqueue.com/riverui"

	_ "time/tzdata" // business dates are reckoned in Asia/Shanghai on any machine

	"steward/api"
	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/localpg"
	"steward/frontend"
	"steward/jobs"
)

var errUsage = errors.New("usage")

// loopbackWebhooks lets webhooks post to loopback addresses; only a binary built with the
// steward_test_loopback tag sets it (the end-to-end tests, whose receivers listen on 127.0.0.1).
var loopbackWebhooks = false

const usage = `steward — 项目管家, the district business-environment bureau's CRM

Usage:
  steward dev                  zero-config: private PostgreSQL, migrate, serve web + API + workers
  steward serve [--no-worker]  API and web app (and workers unless --no-worker)
  steward worker               background workers only
  steward migrate [up|status]  apply or list schema and River migrations
  steward openapi [--yaml]     print the OpenAPI document
  steward user create --username U --role R [--display-name N] [--department ID]
                      [--enterprise ID] [--phone P] [--email E] --password-stdin
                               create a user (the password is read from standard input)
  steward audit verify [--head ID:HASH]
                               check the audit log's hash chain (and that a published head is still in it)
  steward backup --out FILE    a consistent dump of the database (pg_dump, custom format)
  steward restore --in FILE    replace the database's contents with a dump
  steward seed demo            the demo district, on an empty database
  steward seed scale [--enterprises 20000] [--projects 5000] [--users 600] [--visits 1000000] [--tickets 300000]
                               a large synthetic district for benchmarks (COPY)
  steward bench [--quick] [--clients 16] [--duration 10s]
                               the benchmark harness: the scale district (in <state dir>/bench), every
                               scenario under N clients, the baselines, a table and JSON in <state dir>/bench

Flags of dev, serve and worker:
  --addr ADDR        listen address (STEWARD_ADDR, default :8080)
  --state-dir DIR    state directory (STEWARD_STATE_DIR, default ./var)

Environment: DATABASE_URL (unset: a private PostgreSQL under the state directory),
STEWARD_ADDR, STEWARD_STATE_DIR, STEWARD_BASE_URL, STEWARD_LOG_FORMAT (text|json),
STEWARD_MIGRATE_URL (the schema owner migrations run as), STEWARD_SMTP_URL (unset: no email),
STEWARD_WEBHOOK_ALLOW, STEWARD_AUDIT_ANCHOR_URL, STEWARD_SECURE_COOKIES, STEWARD_TRUSTED_PROXIES,
STEWARD_LOGIN_RATE (default 20/10m), STEWARD_METRICS_TOKEN (unset: /metrics for loopback callers
only), STEWARD_DEMO_PASSWORD.
`

// Main is the program, testable: Run starts it (or runs a one-shot command to completion), Close
// stops it in order.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment; tests replace it.
	Getenv func(string) string
	Logger *slog.Logger
	// Addr is the address the HTTP server listens on, known after Run.
	Addr string

	local   *localpg.Server
	dbURL   string
	db      *postgres.DB
	river   *river.Client[*sql.Tx]
	working bool
	http    *http.Server
	failed  chan error

	// ownerURL connects as the schema's owner, who migrates it (STEWARD_MIGRATE_URL, or the
	// private server's superuser); "" when one role does everything.
	ownerURL string

	// hub pushes new notifications to event streams; stopRiverUI stops River UI's background work.
	hub         *postgres.NotificationHub
	stopRiverUI context.CancelFunc
	// stopProfile ends the CPU profile STEWARD_CPU_PROFILE asked for (steward bench --cpu-profile).
	stopProfile func()
}

// NewMain returns a Main on the process's standard streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, failed: make(chan error, 2)}
}

// Serving reports whether Run started a long-running server or worker.
func (m *Main) Serving() bool { return m.http != nil || m.working }

// Failed delivers the error of a component that stopped on its own.
func (m *Main) Failed() <-chan error { return m.failed }

type config struct {
	file                                 string // backup --out, restore --in
	addr, stateDir, databaseURL, baseURL string
	migrateURL                           string
	noWorker, yaml, demo, secureCookies  bool
}

func (m *Main) env(name, def string) string {
	if v := m.Getenv(name); v != "" {
		return v
	}
	return def
}

// Run runs the command named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if m.Logger == nil {
		m.Logger = newLogger(m.Stderr, m.Getenv("STEWARD_LOG_FORMAT"))
	}
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return errUsage
	}
	cmd, args := args[0], args[1:]
	cfg := config{
		addr:        m.env("STEWARD_ADDR", ":8080"),
		stateDir:    m.env("STEWARD_STATE_DIR", "var"),
		databaseURL: m.Getenv("DATABASE_URL"),
		migrateURL:  m.Getenv("STEWARD_MIGRATE_URL"),
		baseURL:     m.Getenv("STEWARD_BASE_URL"),
		demo:        cmd == "dev",
	}
	cfg.secureCookies, _ = strconv.ParseBool(m.env("STEWARD_SECURE_COOKIES", "false"))
	fs := flag.NewFlagSet("steward "+cmd, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() { fmt.Fprint(m.Stderr, usage) }
	switch cmd {
	case "dev", "serve", "worker":
		fs.StringVar(&cfg.addr, "addr", cfg.addr, "listen address")
		fs.StringVar(&cfg.stateDir, "state-dir", cfg.stateDir, "state directory")
		if cmd == "serve" {
			fs.BoolVar(&cfg.noWorker, "no-worker", false, "do not work background jobs")
		}
	case "migrate":
		fs.StringVar(&cfg.stateDir, "state-dir", cfg.stateDir, "state directory")
	case "openapi":
		fs.BoolVar(&cfg.yaml, "yaml", false, "print YAML instead of JSON")
	case "seed":
		fs.StringVar(&cfg.stateDir, "state-dir", cfg.stateDir, "state directory")
	case "user", "audit", "backup", "restore":
		fs.StringVar(&cfg.stateDir, "state-dir", cfg.stateDir, "state directory")
		if cmd == "backup" {
			fs.StringVar(&cfg.file, "out", "", "the dump to write")
		} else if cmd == "restore" {
			fs.StringVar(&cfg.file, "in", "", "the dump to read")
		}
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	case "bench":
		return m.benchCommand(ctx, cfg, args) // its own flags
	default:
		fmt.Fprintf(m.Stderr, "unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}

	switch cmd {
	case "openapi":
		return m.openapi(cfg.yaml)
	case "migrate":
		return m.migrate(ctx, cfg, fs.Args())
	case "seed":
		return m.seedCommand(ctx, cfg, fs.Args())
	case "user":
		return m.userCommand(ctx, cfg, fs.Args())
	case "audit":
		return m.auditCommand(ctx, cfg, fs.Args())
	case "backup", "restore":
		return m.backupCommand(ctx, cfg, cmd)
	case "worker":
		return m.serve(ctx, cfg, false, true)
	default:
		return m.serve(ctx, cfg, true, !cfg.noWorker)
	}
}

func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return s.Value[:12]
			}
		}
	}
	return "dev"
}

func (m *Main) openapi(yaml bool) error {
	s := api.New(api.Config{Version: version(), Logger: m.Logger})
	var b []byte
	var err error
	if yaml {
		b, err = s.API.OpenAPI().YAML()
	} else {
		b, err = s.API.OpenAPI().MarshalJSON()
	}
	if err != nil {
		return err
	}
	_, err = m.Stdout.Write(append(b, '\n'))
	return err
}

// open connects to DATABASE_URL or, when it is unset, to a private PostgreSQL under the state
// directory, started for this process. The private server's cluster superuser owns the schema;
// Steward connects as the runtime role postgres.RuntimeRole, created here.
func (m *Main) open(ctx context.Context, cfg config) error {
	url := cfg.databaseURL
	m.ownerURL = cfg.migrateURL
	if url == "" {
		if cfg.migrateURL != "" {
			return errors.New("STEWARD_MIGRATE_URL is set but DATABASE_URL is not: set both, or neither for the private server")
		}
		s, err := localpg.Start(ctx, localpg.Options{Dir: cfg.stateDir, Logger: m.Logger})
		if err != nil {
			return err
		}
		m.local = s
		if err := s.EnsureDatabase(ctx, "steward"); err != nil {
			return err
		}
		if err := s.EnsureRole(ctx, postgres.RuntimeRole); err != nil {
			return fmt.Errorf("create the runtime role: %w", err)
		}
		url, m.ownerURL = s.URLAs(postgres.RuntimeRole, "steward"), s.URL("steward")
	}
	db, err := postgres.Open(ctx, url)
	if err != nil {
		return err
	}
	m.db, m.dbURL = db, url
	return nil
}

func (m *Main) migrate(ctx context.Context, cfg config, args []string) error {
	sub := "up"
	if len(args) > 0 {
		sub = args[0]
	}
	if sub != "up" && sub != "status" {
		fmt.Fprintf(m.Stderr, "unknown migrate command %q (up or status)\n", sub)
		return errUsage
	}
	if err := m.open(ctx, cfg); err != nil {
		return err
	}
	if sub == "up" {
		if err := m.migrateSchema(ctx); err != nil {
			return err
		}
	}
	st, err := postgres.Status(ctx, m.db.SQL)
	if err != nil {
		return err
	}
	for _, mg := range st {
		state := "pending"
		if mg.Applied {
			state = "applied"
			if !mg.AppliedAt.IsZero() {
				state += " " + mg.AppliedAt.Local().Format(time.DateTime)
			}
		}
		fmt.Fprintf(m.Stdout, "%-48s %s\n", mg.Name, state)
	}
	fmt.Fprintf(m.Stdout, "%d applied, %d pending\n", len(st)-st.Pending(), st.Pending())
	return nil
}

// serve starts the database, migrates, and starts the HTTP server and/or the job workers.
func (m *Main) serve(ctx context.Context, cfg config, web, work bool) error {
	setMemoryLimit(os.Getenv) // the process's own environment: the runtime reads GOMEMLIMIT there
	if path := m.Getenv("STEWARD_CPU_PROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("STEWARD_CPU_PROFILE: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("STEWARD_CPU_PROFILE: %w", err)
		}
		m.stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
	}
	if err := m.open(ctx, cfg); err != nil {
		return err
	}
	err := m.migrateSchema(ctx)
	if err != nil {
		return err
	}
	roleWarning, err := m.db.RoleWarning(ctx)
	if err != nil {
		return err
	}
	var warnings []string
	if roleWarning != "" {
		m.Logger.Warn(roleWarning)
		warnings = append(warnings, roleWarning)
	}

	auth := postgres.NewAuthService(m.db)
	if auth.LoginRate.Max, auth.LoginRate.Window, err = parseRate(m.env("STEWARD_LOGIN_RATE", "20/10m")); err != nil {
		return fmt.Errorf("STEWARD_LOGIN_RATE: %w", err)
	}
	if cfg.demo {
		if err := m.seedDemo(ctx, cfg); err != nil {
			return err
		}
	}

	// The services both the API and the workers use.
	allow, err := domain.ParseWebhookAllow(m.Getenv("STEWARD_WEBHOOK_ALLOW"))
	if err != nil {
		return fmt.Errorf("STEWARD_WEBHOOK_ALLOW: %w", err)
	}
	targets := &domain.WebhookTargets{Allow: allow, Loopback: loopbackWebhooks}
	webhooks := postgres.NewWebhookService(m.db)
	webhooks.Targets = targets
	webhooks.Poster = jobs.NewWebhookTester(targets, linkBase(cfg))
	calendars := postgres.NewCalendarService(m.db)
	notifier := postgres.NewNotifier(m.db, postgres.WorkingTimeOf(calendars))
	mailer, err := m.mailer()
	if err != nil {
		return err
	}
	notifier.Email = mailer != nil
	auth.Notifier = notifier // a lockout tells the account's owner
	tickets := postgres.NewTicketService(m.db, postgres.WorkingDaysOf(calendars), notifier)
	projects := postgres.NewProjectService(m.db)
	visits := postgres.NewVisitService(m.db, tickets)
	plans := postgres.NewPlanService(m.db, tickets)

	riverCfg := &river.Config{Logger: m.Logger}
	if roleWarning == "" {
		// A runtime role owns no index, so River's nightly REINDEX would only fail; it is the
		// owner's maintenance to run (README, Operations).
		riverCfg.ReindexerIndexNames = []string{}
	}
	if work {
		workers := river.NewWorkers()
		jobs.Register(workers, jobs.Deps{Logger: m.Logger, Sessions: auth, Imports: postgres.NewImportService(m.db),
			Reminders:  postgres.NewReminders(m.db, tickets, visits, projects, notifier),
			Deliveries: postgres.NewDeliveryStore(m.db), Mailer: mailer, BaseURL: linkBase(cfg), WebhookTargets: targets,
			AuditAnchors: postgres.NewAuditAnchors(m.db), AuditAnchorURL: m.Getenv("STEWARD_AUDIT_ANCHOR_URL"),
			Plans: plans})
		riverCfg.Workers = workers
		riverCfg.Queues = jobs.Queues()
		// A job a killed process left running is tried again after this (River's default is an
		// hour; it must stay at least JobTimeout). Kinds with a longer Timeout are left alone
		// until that has passed too, so no job still at work is started twice.
		riverCfg.RescueStuckJobsAfter = 5 * time.Minute
		riverCfg.PeriodicJobs = jobs.Periodic()
		m.working = true
	}
	rc, err := river.NewClient(riverdatabasesql.NewWithPgxListener(m.db.SQL, m.db.Pool), riverCfg)
	if err != nil {
		return err
	}
	m.river = rc
	m.db.River = rc

	if web {
		reg := prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), m.db.Collector())
		m.hub = postgres.NewNotificationHub(m.db, m.Logger)
		m.hub.Start(ctx)
		riverUI, err := riverui.NewHandler(&riverui.HandlerOpts{Endpoints: riverui.NewEndpoints(rc, nil), Logger: m.Logger, Prefix: api.RiverUIPath})
		if err != nil {
			return fmt.Errorf("River UI: %w", err)
		}
		uiCtx, stopUI := context.WithCancel(context.WithoutCancel(ctx))
		m.stopRiverUI = stopUI
		if err := riverUI.Start(uiCtx); err != nil {
			return fmt.Errorf("River UI: %w", err)
		}
		proxies, err := parseProxies(m.Getenv("STEWARD_TRUSTED_PROXIES"))
		if err != nil {
			return fmt.Errorf("STEWARD_TRUSTED_PROXIES: %w", err)
		}
		stats := postgres.NewStatsService(m.db, calendars)
		stats.NoCache = m.Getenv("STEWARD_STATS_CACHE") == "off"
		apiCfg := api.Config{
			Version:        version(),
			Logger:         m.Logger,
			Auth:           auth,
			Users:          postgres.NewUserService(m.db),
			Audit:          postgres.NewAuditService(m.db),
			SecureCookies:  cfg.secureCookies,
			BaseURL:        cfg.baseURL,
			TrustedProxies: proxies,
			Departments:    postgres.NewDepartmentService(m.db),
			Enterprises:    postgres.NewEnterpriseService(m.db),
			Projects:       projects,
			Assignments:    postgres.NewAssignmentService(m.db),
			Timeline:       postgres.NewTimelineService(m.db),
			Categories:     postgres.NewCategoryService(m.db),
			Calendar:       calendars,
			Tickets:        tickets,
			Attachments:    postgres.NewAttachmentService(m.db, tickets),
			Visits:         visits,
			Imports:        postgres.NewImportService(m.db),
			Ready:          m.db.Ready,
			Warnings:       warnings,
			Metrics:        reg,
			MetricsToken:   m.Getenv("STEWARD_METRICS_TOKEN"),
			WebApp:         frontend.Dist(),

			Notifications:    postgres.NewNotificationService(m.db),
			NotificationFeed: m.hub,
			Webhooks:         webhooks,
			Stats:            stats,
			Plans:            plans,
			RiverUI:          riverUI,
		}
		if err := apiCfg.Complete(); err != nil {
			return err
		}
		handler := api.New(apiCfg)
		ln, err := net.Listen("tcp", cfg.addr)
		if err != nil {
			return err
		}
		m.Addr = ln.Addr().String()
		// Timeouts: a slow client is cut off; uploads, exports and event streams set their own.
		m.http = handler.HTTPServer(api.DefaultTimeouts, slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn))
		go func() {
			if err := m.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				m.failed <- fmt.Errorf("HTTP server: %w", err)
			}
		}()
		m.Logger.Info("Steward is serving", "url", m.url(cfg), "version", version())
	}
	if m.working {
		// Not ctx itself: River takes the end of its Start context for a hard stop that cancels
		// the running jobs (a webhook post cut off half-way, sent again later). Close stops it
		// softly instead, letting running jobs finish within a grace period.
		if err := rc.Start(context.WithoutCancel(ctx)); err != nil {
			return err
		}
		m.Logger.Info("working background jobs")
	}
	if m.local != nil {
		go func() {
			select {
			case <-m.local.Done():
				m.failed <- errors.New("the private PostgreSQL server exited")
			case <-ctx.Done():
			}
		}()
	}
	return nil
}

// migrateSchema applies the migrations: as the owner when there is one (STEWARD_MIGRATE_URL,
// the private server's superuser), then granting the runtime role what it needs; otherwise as
// the one role there is (which then owns the schema — the server warns of that).
func (m *Main) migrateSchema(ctx context.Context) error {
	if m.ownerURL == "" {
		return postgres.Migrate(ctx, m.db.SQL)
	}
	owner, err := postgres.Open(ctx, withPoolSize(m.ownerURL, 2))
	if err != nil {
		return fmt.Errorf("STEWARD_MIGRATE_URL: %w", err)
	}
	defer owner.Close()
	if err := postgres.Migrate(ctx, owner.SQL); err != nil {
		return err
	}
	role, err := m.db.CurrentRole(ctx)
	if err != nil {
		return err
	}
	if ownerRole, err := owner.CurrentRole(ctx); err != nil || ownerRole == role {
		return err // one role after all: nothing to grant
	}
	return postgres.GrantRuntime(ctx, owner.SQL, role)
}

// withPoolSize sets pool_max_conns on a connection string that does not set it.
func withPoolSize(dsn string, n int) string {
	if strings.Contains(dsn, "pool_max_conns") {
		return dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "pool_max_conns=" + strconv.Itoa(n)
}

func (m *Main) url(cfg config) string {
	if cfg.baseURL != "" {
		return cfg.baseURL
	}
	host, port, err := net.SplitHostPort(m.Addr)
	if err != nil {
		return "http://" + m.Addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Close stops everything in order: stop accepting and drain HTTP requests (event streams are
// ended as draining begins), stop the notification hub and River UI, let running jobs finish
// within a grace period, close the pool, stop the private PostgreSQL.
func (m *Main) Close() error {
	var errs []error
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		if err := m.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("drain HTTP: %w", err))
		}
		cancel()
	}
	if m.stopProfile != nil {
		m.stopProfile()
	}
	if m.stopRiverUI != nil {
		m.stopRiverUI()
	}
	if m.hub != nil {
		m.hub.Stop()
	}
	if m.river != nil && m.working {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := m.river.Stop(ctx); err != nil {
			m.Logger.Warn("jobs still running after the grace period; cancelling them", "err", err)
			cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = m.river.StopAndCancel(cctx)
			ccancel()
		}
		cancel()
	}
	if m.db != nil {
		m.db.Close()
	}
	if m.local != nil {
		m.local.Stop()
	}
	return errors.Join(errs...)
}
