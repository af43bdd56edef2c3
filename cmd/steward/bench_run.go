package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"steward/domain"
	"steward/domain/postgres"
)

// benchFixtures are the rows scenarios pick from.
type benchFixtures struct {
	byRole      map[string][]benchUser
	deptTickets map[string][]string // department → some of its tickets
	stewardEnts map[string][]string // steward → the enterprises assigned to them now
	category    string
	fragments   []string // two characters out of enterprise names, URL-escaped
	initials    []string // the first four initials of enterprise names
}

func loadFixtures(ctx context.Context, db *postgres.DB) (*benchFixtures, error) {
	fx := &benchFixtures{byRole: map[string][]benchUser{}, deptTickets: map[string][]string{}, stewardEnts: map[string][]string{}}
	rows, err := db.Pool.Query(ctx, `SELECT id::text, username, role, coalesce(department_id::text, '') FROM users
		WHERE username LIKE 'bench%' AND status = 'active' ORDER BY length(username), username`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var u benchUser
		if err := rows.Scan(&u.ID, &u.Username, &u.Role, &u.DepartmentID); err != nil {
			return nil, err
		}
		fx.byRole[u.Role] = append(fx.byRole[u.Role], u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range []string{"officer", "dispatcher", "leader", "steward"} {
		if len(fx.byRole[r]) == 0 {
			return nil, fmt.Errorf("the bench district has no %s", r)
		}
	}
	lists := func(q string, into map[string][]string) error {
		rows, err := db.Pool.Query(ctx, q)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k string
			var v []string
			if err := rows.Scan(&k, &v); err != nil {
				return err
			}
			into[k] = v
		}
		return rows.Err()
	}
	if err := lists(`SELECT department_id::text, array_agg(id::text) FROM (SELECT department_id, id,
		row_number() OVER (PARTITION BY department_id ORDER BY id DESC) AS n FROM tickets WHERE department_id IS NOT NULL) x
		WHERE n <= 200 GROUP BY 1`, fx.deptTickets); err != nil {
		return nil, err
	}
	if err := lists(`SELECT steward_id::text, (array_agg(subject_id::text))[1:200] FROM assignments
		WHERE to_date IS NULL AND subject_type = 'enterprise' GROUP BY 1`, fx.stewardEnts); err != nil {
		return nil, err
	}
	if err := db.Pool.QueryRow(ctx, `SELECT id::text FROM categories WHERE active ORDER BY name LIMIT 1`).Scan(&fx.category); err != nil {
		return nil, fmt.Errorf("no active category: %w", err)
	}
	rows, err = db.Pool.Query(ctx, `SELECT substr(name, 3, 2), left(name_initials, 4) FROM enterprises
		WHERE length(name) >= 6 AND length(name_initials) >= 4 ORDER BY md5(id::text) LIMIT 30`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var frag, ini string
		if err := rows.Scan(&frag, &ini); err != nil {
			return nil, err
		}
		fx.fragments, fx.initials = append(fx.fragments, url.QueryEscape(frag)), append(fx.initials, url.QueryEscape(ini))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(fx.fragments) == 0 {
		return nil, errors.New("the bench district has no enterprises")
	}
	return fx, nil
}

// captureHook records the SQL bun sends for calls whose context asks for it, so the baselines
// and the plans run exactly what the services run.
type captureHook struct{}

type captureKey struct{}

type captured struct {
	mu      sync.Mutex
	queries []string
}

func (captureHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (captureHook) AfterQuery(ctx context.Context, e *bun.QueryEvent) {
	if c, ok := ctx.Value(captureKey{}).(*captured); ok && e.Err == nil {
		c.mu.Lock()
		c.queries = append(c.queries, e.Query)
		c.mu.Unlock()
	}
}

// capture runs fn as actor and returns the SELECTs it sent.
func capture(ctx context.Context, a *domain.Actor, fn func(ctx context.Context) error) ([]string, error) {
	c := &captured{}
	ctx = context.WithValue(domain.WithActor(ctx, a), captureKey{}, c)
	if err := fn(ctx); err != nil {
		return nil, err
	}
	var out []string
	for _, q := range c.queries {
		t := strings.ToUpper(strings.TrimSpace(q))
		if strings.HasPrefix(t, "SELECT") || strings.HasPrefix(t, "WITH") {
			out = append(out, q)
		}
	}
	return out, nil
}

func actorOf(u benchUser) *domain.Actor {
	return &domain.Actor{UserID: u.ID, Username: u.Username, Role: domain.Role(u.Role), DepartmentID: u.DepartmentID}
}

// runBench drives every scenario, then the baselines, and fills rep.
func runBench(ctx context.Context, m *Main, env *benchEnv, rep *benchReport) error {
	o := env.o
	fx, err := loadFixtures(ctx, env.db)
	if err != nil {
		return err
	}
	// Logins, one at a time (argon2 is meant to be slow; the server's peak memory is read under
	// load, not at login).
	hc := httpClient(o.Clients)
	// A run of the browser part alone needs one client's users, not N clients' logins.
	n := o.Clients
	if o.Only != nil && !o.Only.MatchString("baselines") && !slices.ContainsFunc(benchScenarios(fx), func(sc benchScenario) bool { return o.Only.MatchString(sc.Name) }) {
		n = 1
	}
	clients := make([]*benchClient, n)
	roles := []string{"officer", "dispatcher", "leader", "steward"}
	for i := range clients {
		c := &benchClient{n: i, base: env.base, http: hc, sessions: map[string]string{}, users: map[string]benchUser{},
			rand: mrand.New(mrand.NewPCG(uint64(i), 15)), fx: fx}
		for _, r := range roles {
			us := fx.byRole[r]
			u := us[i%len(us)]
			if r == "officer" { // an officer whose department has tickets
				for k := range us {
					if len(fx.deptTickets[us[(i+k)%len(us)].DepartmentID]) > 0 {
						u = us[(i+k)%len(us)]
						break
					}
				}
			}
			tok, err := login(ctx, hc, env.base, u)
			if err != nil {
				return err
			}
			c.sessions[r], c.users[r] = tok, u
		}
		clients[i] = c
	}
	fmt.Fprintf(m.Stdout, "%d clients logged in as %d users; %d s per scenario\n", n, n*len(roles), int(o.Duration.Seconds()))

	// The server's memory, sampled while the scenarios run.
	var (
		memMu            sync.Mutex
		peakRSS, scenRSS float64
	)
	sampling, stopSampling := context.WithCancel(ctx)
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for sampling.Err() == nil {
			rss, _ := processMemory(env.pid)
			memMu.Lock()
			peakRSS, scenRSS = max(peakRSS, rss), max(scenRSS, rss)
			memMu.Unlock()
			select {
			case <-sampling.Done():
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	for _, sc := range benchScenarios(fx) {
		if ctx.Err() != nil {
			break
		}
		if o.Only != nil && !o.Only.MatchString(sc.Name) {
			continue
		}
		memMu.Lock()
		scenRSS = 0
		memMu.Unlock()
		r := benchResult{Name: sc.Name, What: sc.What, Kind: sc.Kind, Clients: o.Clients}
		if err := sc.Do(clients[0]); errors.Is(err, errNotFound) && sc.Optional {
			r.Skipped = "the endpoint answers 404 (not on this branch yet)"
		} else if err != nil {
			r.Skipped, r.Errors = "probe failed: "+err.Error(), 1
		} else {
			measured := drive(ctx, o.Clients, o.Warmup, o.Duration, func(i int) error { return sc.Do(clients[i]) })
			measured.Name, measured.What, measured.Kind = sc.Name, sc.What, sc.Kind
			r = measured
			memMu.Lock()
			r.RSS = scenRSS
			memMu.Unlock()
		}
		rep.Scenarios = append(rep.Scenarios, r)
		fmt.Fprintln(m.Stdout, r.line())
	}
	stopSampling()
	<-sampled
	rep.Server.PeakRSSMB = peakRSS
	rep.Server.RSSMB, rep.Server.HWMMB = processMemory(env.pid)
	rep.Server.Process = "child steward serve --no-worker"
	if o.InProcess {
		rep.Server.Process = "in-process (includes the load generator)"
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	// The browser after the scenarios (and outside the memory sampling: Chromium's requests
	// are a handful, not load), before the baselines take the machine.
	runBrowser(ctx, m, env, rep, clients[0])
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if o.Only != nil && !o.Only.MatchString("baselines") {
		return nil
	}
	return runBaselines(ctx, m, env, rep, clients)
}

// runBaselines measures the officer inbox's own SQL without Steward (a bare net/http + pgx
// handler, and PostgreSQL alone), River's no-op throughput beside deliveries, and the plans.
func runBaselines(ctx context.Context, m *Main, env *benchEnv, rep *benchReport, clients []*benchClient) error {
	o := env.o
	db := env.db
	db.AddQueryHook(captureHook{})
	calendars := postgres.NewCalendarService(db)
	tickets := postgres.NewTicketService(db, postgres.WorkingDaysOf(calendars), postgres.NewNotifier(db, postgres.WorkingTimeOf(calendars)))
	inbox := domain.TicketFilter{Mine: true, Urgent: true}
	sqls := make([]string, len(clients))
	for i, c := range clients {
		q, err := capture(ctx, actorOf(c.users["officer"]), func(ctx context.Context) error {
			_, err := tickets.Tickets(ctx, inbox, domain.Page{Limit: 50})
			return err
		})
		if err != nil {
			return err
		}
		if len(q) != 1 {
			return fmt.Errorf("the officer inbox sent %d queries, expected one", len(q))
		}
		sqls[i] = q[0]
	}
	rep.InboxSQL = sqls[0]

	// PostgreSQL alone: the same statements, prepared (pgx caches them), from N goroutines.
	r := drive(ctx, o.Clients, o.Warmup, o.Duration, func(i int) error {
		rows, err := db.Pool.Query(ctx, sqls[i%len(sqls)])
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		rows.Close()
		return rows.Err()
	})
	r.Name, r.Kind, r.What = "PostgreSQL (pgx, prepared)", "baseline", "the officer inbox's SQL from N goroutines on the pool, no HTTP"
	rep.Baselines = append(rep.Baselines, r)
	fmt.Fprintln(m.Stdout, r.line())

	// The bare handler: the same SQL, rows to JSON, no framework, no session — in a process of
	// its own like the server, so that both get the same share of a busy machine.
	bareBase, stopBare, err := env.startBare(ctx, sqls)
	if err != nil {
		return fmt.Errorf("bare handler: %w", err)
	}
	defer stopBare()
	hc := httpClient(o.Clients)
	bareURL := bareBase + "/inbox?i="
	r = drive(ctx, o.Clients, o.Warmup, o.Duration, func(i int) error {
		res, err := hc.Get(bareURL + strconv.Itoa(i))
		if err != nil {
			return err
		}
		defer res.Body.Close()
		// Read and dropped, as the scenarios' responses are: the load generator must not
		// spend more on one side of the comparison than on the other.
		if _, err := io.Copy(io.Discard, res.Body); err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("bare handler: %d", res.StatusCode)
		}
		return nil
	})
	r.Name, r.Kind, r.What = "bare net/http + pgx", "baseline", "the officer inbox's SQL (captured from bun), rows to JSON, no session"
	rep.Baselines = append(rep.Baselines, r)
	fmt.Fprintln(m.Stdout, r.line())

	if err := benchRiver(ctx, env, rep); err != nil {
		return fmt.Errorf("River baseline: %w", err)
	}
	fmt.Fprintf(m.Stdout, "River: no-op %.0f jobs/s, deliver %.0f jobs/s\n", rep.River.NoopPerSec, rep.River.DeliverPerSec)
	return explainAll(ctx, db, tickets, calendars, clients[0], rep)
}

// explainAll records EXPLAIN ANALYZE of the list and statistics queries, as the services send them.
func explainAll(ctx context.Context, db *postgres.DB, tickets *postgres.TicketService, calendars *postgres.CalendarService, c *benchClient, rep *benchReport) error {
	ents := postgres.NewEnterpriseService(db)
	visits := postgres.NewVisitService(db, tickets)
	stats := postgres.NewStatsService(db, calendars)
	officer, dispatcher, steward, leader := actorOf(c.users["officer"]), actorOf(c.users["dispatcher"]), actorOf(c.users["steward"]), actorOf(c.users["leader"])
	page := domain.Page{Limit: 50}
	list := func(f domain.TicketFilter) func(ctx context.Context) error {
		return func(ctx context.Context) error { _, err := tickets.Tickets(ctx, f, page); return err }
	}
	search := func(q string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := ents.Enterprises(ctx, domain.EnterpriseFilter{Q: q, Status: domain.EnterpriseActive}, page)
			return err
		}
	}
	ini, _ := url.QueryUnescape(c.fx.initials[0])
	cases := []struct {
		name string
		a    *domain.Actor
		fn   func(ctx context.Context) error
	}{
		{"officer inbox", officer, list(domain.TicketFilter{Mine: true, Urgent: true})},
		{"officer inbox red", officer, list(domain.TicketFilter{Mine: true, Urgent: true, Light: domain.LightRed})},
		{"officer inbox yellow", officer, list(domain.TicketFilter{Mine: true, Urgent: true, Light: domain.LightYellow})},
		{"dispatcher overdue", dispatcher, list(domain.TicketFilter{Urgent: true, Light: domain.LightRed})},
		{"dispatcher intake", dispatcher, list(domain.TicketFilter{Mine: true})},
		{"leader portfolio", leader, list(domain.TicketFilter{Mine: true, Urgent: true})},
		{"search 中国", dispatcher, search("中国")},
		{"search initials " + ini, dispatcher, search(ini)},
		{"due visits", steward, func(ctx context.Context) error { _, err := visits.DueVisits(ctx, ""); return err }},
		{"stats overview", dispatcher, func(ctx context.Context) error { _, err := stats.Overview(ctx, domain.StatsPeriod{}); return err }},
		{"stats departments", dispatcher, func(ctx context.Context) error { _, err := stats.Departments(ctx, domain.StatsPeriod{}); return err }},
	}
	for _, cs := range cases {
		qs, err := capture(ctx, cs.a, cs.fn)
		if err != nil {
			return fmt.Errorf("plan of %s: %w", cs.name, err)
		}
		for _, q := range qs {
			rows, err := db.Pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+q)
			if err != nil {
				return fmt.Errorf("EXPLAIN %s: %w", cs.name, err)
			}
			var lines []string
			for rows.Next() {
				var l string
				if err := rows.Scan(&l); err != nil {
					return err
				}
				lines = append(lines, l)
			}
			if err := rows.Err(); err != nil {
				return err
			}
			rep.Plans = append(rep.Plans, benchPlan{Name: cs.name, SQL: q, Plan: lines})
		}
	}
	return nil
}
