package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/uptrace/bun"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/localpg"
	"steward/domain/postgres/pgtest"
)

// adminOf creates an administrator on the database of env with the command line and returns
// its id.
func adminOf(t *testing.T, env map[string]string, username string) {
	t.Helper()
	m, stdout, stderr := run(t, env, "user", "create", "--username", username, "--role", "admin", "--password-stdin")
	m.Close()
	if !strings.Contains(stdout.String(), "created user "+username) {
		t.Fatalf("user create said:\n%s%s", stdout, stderr)
	}
}

// openRiver is a handle on the database at url that can insert jobs (for notifications).
func openRiver(t *testing.T, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if db.River, err = river.NewClient(riverdatabasesql.New(db.SQL), &river.Config{}); err != nil {
		t.Fatal(err)
	}
	return db
}

// notifyUrgent records n urgent notifications for user (each with a webhook delivery job when a
// webhook exists), as a reminder job would.
func notifyUrgent(t *testing.T, db *postgres.DB, user string, n int, title string) {
	t.Helper()
	ctx := context.Background()
	notifier := postgres.NewNotifier(db, postgres.WorkingTimeOf(postgres.NewCalendarService(db)))
	if err := db.InTx(ctx, func(tx bun.Tx) error {
		for i := range n {
			if _, err := notifier.Notify(ctx, tx, domain.Notification{Kind: domain.NotifyTicketDue, Title: title, Body: strconv.Itoa(i),
				Link: "/tickets/x", Urgent: true}, []string{user}, ""); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func userID(t *testing.T, c *apiClient) string {
	t.Helper()
	b, _ := c.must(t, 200, "GET", "/api/v1/me", nil, nil)
	return decode[struct{ ID string }](t, b).ID
}

// TestReliabilitySIGTERMDrains: the real server is under load — clients creating departments
// and reading, deliveries being posted to a slow receiver — and some writes are held in flight
// by a lock when SIGTERM arrives. Every request the server accepted is answered as it would be
// without the signal (the held ones too, once the lock goes), no request fails other than by
// finding the port closed, the process exits 0, and no job is left running or half-done.
func TestReliabilitySIGTERMDrains(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	t.Parallel()
	ctx := context.Background()
	runtimeURL, ownerURL := pgtest.URLs(t)
	env := map[string]string{"DATABASE_URL": runtimeURL}
	adminOf(t, env, "drain-admin")
	db := openRiver(t, runtimeURL)
	owner, err := postgres.Open(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(owner.Close)

	rcv := &deliveryReceiver{secret: "drain-secret-0123456789", seen: map[string]int{}}
	var inPost atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inPost.Add(1)
		defer inPost.Add(-1)
		time.Sleep(300 * time.Millisecond) // a slow receiver: posts are in flight at the signal
		rcv.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	p := startProc(t, "server", []string{"DATABASE_URL=" + runtimeURL}, "serve", "--addr", "127.0.0.1:0")
	admin := mustLogin(t, p.base, "drain-admin", adminPassword)
	admin.must(t, 201, "POST", "/api/v1/webhooks", map[string]string{"name": "督办平台", "format": "json", "url": srv.URL + "/hook", "secret": rcv.secret}, nil)
	notifyUrgent(t, db, userID(t, admin), 2000, "诉求已到期（督办）")

	// The load: each client creates departments with unique names and reads them back.
	var created sync.Map // name → true, for every 201
	var answered, refused atomic.Int64
	var mu sync.Mutex
	var failures []string
	fail := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, s)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 6 {
		c := mustLogin(t, p.base, "drain-admin", adminPassword)
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("负载部门-%d-%d", w, i)
				// The key lets the transport resend a request the server closed its idle
				// connection on before reading it; had the server taken it, the resend would
				// be a 409 duplicate name, which fails the test.
				code, b, _, err := c.do("POST", "/api/v1/departments", map[string]string{"name": name, "kind": "government"},
					map[string]string{"Idempotency-Key": name})
				if err == nil && code == 201 {
					created.Store(name, true)
					answered.Add(1)
				} else if isRefused(err) {
					refused.Add(1)
					return
				} else {
					fail(fmt.Sprintf("POST %s: %d %s %v", name, code, b, err))
					return
				}
				code, b, _, err = c.do("GET", "/api/v1/departments?limit=5", nil, nil)
				if isRefused(err) {
					refused.Add(1)
					return
				} else if err != nil || code != 200 {
					fail(fmt.Sprintf("GET departments: %d %s %v", code, b, err))
					return
				}
				answered.Add(1)
			}
		})
	}
	waitUntil(t, "the load and the deliveries are under way", time.Minute, func() bool {
		_, received := rcv.counts()
		return answered.Load() > 100 && received > 50
	})

	// Hold some writes in flight: a lock on departments, the held ones waiting on it.
	tx, err := owner.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() // were the test to fail with the lock held
	if _, err := tx.Exec(`LOCK TABLE departments IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	held := func() int {
		var n int
		_ = owner.SQL.QueryRow(`SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'departments'::regclass`).Scan(&n)
		return n
	}
	waitUntil(t, "writes are held by the lock", 30*time.Second, func() bool { return held() >= 3 })
	inFlightPosts := inPost.Load()
	heldAtSignal := held()
	signalled := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The server no longer accepts, but waits for the held requests: release them.
	host := strings.TrimPrefix(p.base, "http://")
	waitUntil(t, "the listener closes", 30*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", host, time.Second)
		if err == nil {
			c.Close()
		}
		return isRefused(err) || p.exited()
	})
	if p.exited() {
		t.Fatalf("the server exited with requests held in flight: %v", p.err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	select {
	case <-p.done:
	case <-time.After(time.Minute):
		t.Fatal("the server did not exit within a minute of SIGTERM")
	}
	exitTook := time.Since(signalled)
	if p.err != nil {
		t.Errorf("the server exited with %v", p.err)
	}
	for _, f := range failures {
		t.Errorf("a request failed during the drain: %s", f)
	}
	// Every 201 is in the database, and nothing else was created.
	var inDB, want int
	created.Range(func(any, any) bool { want++; return true })
	if err := db.SQL.QueryRow(`SELECT count(*) FROM departments WHERE name LIKE '负载部门-%'`).Scan(&inDB); err != nil {
		t.Fatal(err)
	}
	if inDB != want {
		t.Errorf("%d load departments in the database, %d answered 201", inDB, want)
	}
	var running, sentNotReceived int
	if err := db.SQL.QueryRow(`SELECT count(*) FROM river_job WHERE state = 'running'`).Scan(&running); err != nil {
		t.Fatal(err)
	}
	rows, err := db.SQL.Query(`SELECT notification_id FROM deliveries WHERE status = 'sent'`)
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	rcv.mu.Lock()
	for rows.Next() {
		var id string
		_ = rows.Scan(&id)
		sent++
		if rcv.seen[id] == 0 {
			sentNotReceived++
		}
	}
	received := len(rcv.seen)
	rcv.mu.Unlock()
	rows.Close()
	if sent == 0 {
		var summary string
		_ = db.SQL.QueryRow(`SELECT coalesce(string_agg(status || ' ' || coalesce(last_error, ''), '; '), 'none') FROM (SELECT DISTINCT status, last_error FROM deliveries) d`).Scan(&summary)
		t.Errorf("no delivery was sent before the exit: the drain had no job at work (deliveries: %s)", summary)
	}
	if running != 0 || sentNotReceived != 0 || received != sent {
		t.Errorf("after the drain: %d jobs still running, %d deliveries recorded sent that never arrived, %d received, %d recorded sent", running, sentNotReceived, received, sent)
	}
	t.Logf("FIGURE sigterm: %d requests answered under load, %d writes held by a lock and %d webhook posts in flight at the signal; "+
		"0 failed, exit 0 after %s; %d departments created = %d in the database; %d deliveries sent before the exit (%d received), 0 jobs left running",
		answered.Load(), heldAtSignal, inFlightPosts, exitTook.Round(time.Millisecond), want, inDB, sent, received)
}

// TestReliabilityLeaderKilled: two worker processes on one database; the one River elected
// leader is killed with SIGKILL. The other takes over within seconds and the periodic jobs go
// on from it (a run-on-start job whose row was removed, as if its period had not run yet, is
// inserted again by the new leader), and no periodic job is inserted twice for its period.
func TestReliabilityLeaderKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary twice")
	}
	t.Parallel()
	url := pgtest.URL(t)
	db := openRiver(t, url)
	env := []string{"DATABASE_URL=" + url}
	a := startProc(t, "worker a", env, "worker", "--addr", "127.0.0.1:0")
	b := startProc(t, "worker b", env, "worker", "--addr", "127.0.0.1:0")
	clientID := regexp.MustCompile(`msg="River client started" client_id=(\S+)`)
	idOf := func(p *proc) string {
		if m := clientID.FindStringSubmatch(p.logs.String()); m != nil {
			return m[1]
		}
		return ""
	}
	leader := func() string {
		var id string
		_ = db.SQL.QueryRow(`SELECT leader_id FROM river_leader WHERE expires_at > now()`).Scan(&id)
		return id
	}
	count := func(kind string) int {
		var n int
		if err := db.SQL.QueryRow(`SELECT count(*) FROM river_job WHERE kind = $1`, kind).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitUntil(t, "a leader is elected and inserts the run-on-start jobs", time.Minute, func() bool {
		return leader() != "" && count("session_sweep") == 1 && count("project_watch") == 1
	})
	var dead, survivor *proc
	switch leader() {
	case idOf(a):
		dead, survivor = a, b
	case idOf(b):
		dead, survivor = b, a
	default:
		t.Fatalf("leader %q is neither %q nor %q", leader(), idOf(a), idOf(b))
	}
	// As if the session sweep of this period had not run yet: the next leader must insert it.
	if _, err := db.SQL.Exec(`DELETE FROM river_job WHERE kind = 'session_sweep'`); err != nil {
		t.Fatal(err)
	}
	dead.kill()
	killed := time.Now()
	waitUntil(t, "the survivor becomes leader", time.Minute, func() bool { return leader() == idOf(survivor) })
	elected := time.Since(killed)
	waitUntil(t, "the new leader inserts the periodic job", time.Minute, func() bool { return count("session_sweep") == 1 })
	resumed := time.Since(killed)
	// A bounded look for a second insert of any periodic job of this period.
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		for _, kind := range []string{"session_sweep", "project_watch", "import_file_sweep", "audit_anchor"} {
			if n := count(kind); n > 1 {
				t.Fatalf("%d %s jobs after the failover, want at most 1 per period", n, kind)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := survivor.terminate(t, time.Minute); err != nil {
		t.Errorf("the survivor exited with %v", err)
	}
	t.Logf("FIGURE leader-killed: the survivor was leader %s after the SIGKILL and had inserted the periodic job %s after it; no periodic job twice",
		elected.Round(time.Millisecond), resumed.Round(time.Millisecond))
}

// privatePG is a PostgreSQL server of this test's own, which it may stop and start.
type privatePG struct {
	dir string
	s   *localpg.Server
}

func startPrivatePG(t *testing.T) *privatePG {
	t.Helper()
	dir, err := os.MkdirTemp("", "steward-reliab-pg-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // the postgres user must enter it when tests run as root
	pg := &privatePG{dir: dir}
	pg.start(t)
	t.Cleanup(func() {
		pg.s.Stop()
		os.RemoveAll(dir)
	})
	ctx := context.Background()
	if err := pg.s.EnsureDatabase(ctx, "steward"); err != nil {
		t.Fatal(err)
	}
	if err := pg.s.EnsureRole(ctx, postgres.RuntimeRole); err != nil {
		t.Fatal(err)
	}
	return pg
}

func (pg *privatePG) start(t *testing.T) {
	t.Helper()
	s, err := localpg.Start(context.Background(), localpg.Options{Dir: pg.dir, NoSync: true,
		Settings: map[string]string{"fsync": "off", "full_page_writes": "off", "shared_buffers": "32MB"}})
	if err != nil {
		t.Fatal(err)
	}
	pg.s = s
}

// TestReliabilityDatabaseStopped: PostgreSQL stops for 30 seconds (5 in the quick mode) while
// clients write and read and a notification stream is open. Meanwhile every request answers
// 503 problem+json `unavailable`, fast; afterwards the server recovers by itself, every write
// answered 201 is there, and the notification stream delivers again.
func TestReliabilityDatabaseStopped(t *testing.T) {
	if testing.Short() {
		t.Skip("stops and starts a PostgreSQL server")
	}
	t.Parallel()
	outage := sized(5*time.Second, 30*time.Second)
	pg := startPrivatePG(t)
	runtimeURL, ownerURL := pg.s.URLAs(postgres.RuntimeRole, "steward"), pg.s.URL("steward")
	env := map[string]string{"DATABASE_URL": runtimeURL, "STEWARD_MIGRATE_URL": ownerURL}
	adminOf(t, env, "outage-admin")
	p := startProc(t, "server", []string{"DATABASE_URL=" + runtimeURL, "STEWARD_MIGRATE_URL=" + ownerURL}, "serve", "--addr", "127.0.0.1:0")
	admin := mustLogin(t, p.base, "outage-admin", adminPassword)
	me := userID(t, admin)

	// The notification stream, reconnecting like EventSource (with Last-Event-ID).
	events := make(chan sseEvent, 100)
	streamCtx, stopStream := context.WithCancel(context.Background())
	defer stopStream()
	var reconnects atomic.Int64
	go func() {
		last := ""
		for streamCtx.Err() == nil {
			req, _ := http.NewRequestWithContext(streamCtx, "GET", p.base+"/api/v1/notifications/stream", nil)
			if last != "" {
				req.Header.Set("Last-Event-ID", last)
			}
			streamClient := &http.Client{Jar: admin.hc.Jar}
			if res, err := streamClient.Do(req); err == nil {
				if res.StatusCode == 200 {
					ch := make(chan sseEvent)
					go func() {
						for ev := range ch {
							last = ev.id
							events <- ev
						}
					}()
					_ = readEvents(res.Body, ch)
					close(ch)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
			reconnects.Add(1)
			select {
			case <-streamCtx.Done():
			case <-time.After(500 * time.Millisecond): // the stream's retry interval, roughly
			}
		}
	}()
	// A first notification proves the stream open (and gives it a Last-Event-ID to resume from).
	db := openRiver(t, runtimeURL)
	awaitEvent := func(title string, limit time.Duration) {
		t.Helper()
		deadline := time.After(limit)
		for {
			select {
			case ev := <-events:
				if strings.Contains(ev.data, title) {
					return
				}
			case <-deadline:
				t.Fatalf("no notification %q on the stream within %s (%d reconnects)", title, limit, reconnects.Load())
			}
		}
	}
	for i := 0; ; i++ { // the stream may open after the first one was recorded: send until one arrives
		title := "停库前的通知 " + strconv.Itoa(i)
		notifyUrgent(t, db, me, 1, title)
		select {
		case ev := <-events:
			if strings.Contains(ev.data, "停库前的通知") {
				goto open
			}
		case <-time.After(3 * time.Second):
		}
		if i == 10 {
			t.Fatal("the notification stream never opened")
		}
	}
open:

	// Writers and readers, through the outage.
	type answer struct {
		code int
		kind string // problem code
		took time.Duration
		at   time.Time
		err  error
	}
	var mu sync.Mutex
	var answers []answer
	var created sync.Map
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		c := mustLogin(t, p.base, "outage-admin", adminPassword)
		c.hc.Timeout = 20 * time.Second
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("停库部门-%d-%d", w, i)
				began := time.Now()
				code, b, h, err := c.do("POST", "/api/v1/departments", map[string]string{"name": name, "kind": "government"}, nil)
				a := answer{code: code, kind: problemCode(h, b), took: time.Since(began), at: began, err: err}
				if code == 201 {
					created.Store(name, true)
				}
				began = time.Now()
				code, b, h, err = c.do("GET", "/api/v1/departments?limit=5", nil, nil)
				r := answer{code: code, kind: problemCode(h, b), took: time.Since(began), at: began, err: err}
				mu.Lock()
				answers = append(answers, a, r)
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
	count := func(pred func(answer) bool) int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, a := range answers {
			if pred(a) {
				n++
			}
		}
		return n
	}
	waitUntil(t, "writes before the outage", time.Minute, func() bool { return count(func(a answer) bool { return a.code == 201 }) >= 20 })

	pg.s.Stop()
	stopped := time.Now()
	waitUntil(t, "503s during the outage", 30*time.Second, func() bool {
		return count(func(a answer) bool { return a.at.After(stopped) && a.code == 503 }) >= 20
	})
	if code, _ := get(t, p.base+"/readyz"); code != 503 {
		t.Errorf("/readyz during the outage = %d, want 503", code)
	}
	for time.Since(stopped) < outage { // the outage lasts its time; the requests go on meanwhile
		time.Sleep(100 * time.Millisecond)
	}
	restarting := time.Now()
	pg.start(t)
	restarted := time.Now()
	waitUntil(t, "the server recovers by itself", time.Minute, func() bool {
		return count(func(a answer) bool { return a.at.After(restarted) && a.code == 201 }) >= 10
	})
	recovered := time.Since(restarted)
	close(stop)
	wg.Wait()

	// During the outage: 503 unavailable, fast. Outside it: success.
	var during, slow int
	var slowest time.Duration
	mu.Lock()
	for _, a := range answers {
		inOutage := a.at.After(stopped.Add(time.Second)) && a.at.Add(a.took).Before(restarting)
		switch {
		case a.err != nil:
			t.Errorf("a request failed without an answer: %v", a.err)
		case inOutage:
			during++
			if a.code != 503 || a.kind != "unavailable" {
				t.Errorf("during the outage: %d %q, want 503 unavailable", a.code, a.kind)
			}
			slowest = max(slowest, a.took)
			if a.took > 3*time.Second {
				slow++
			}
		case a.code != 201 && a.code != 200 && a.code != 503:
			t.Errorf("around the outage: %d %q", a.code, a.kind)
		}
	}
	mu.Unlock()
	if slow > 0 {
		t.Errorf("%d answers during the outage took more than 3 s (slowest %s)", slow, slowest)
	}
	// No committed write lost.
	check, err := postgres.Open(context.Background(), ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	lost, total := 0, 0
	created.Range(func(k, _ any) bool {
		total++
		var n int
		if err := check.SQL.QueryRow(`SELECT count(*) FROM departments WHERE name = $1`, k).Scan(&n); err != nil || n != 1 {
			lost++
		}
		return true
	})
	if lost > 0 {
		t.Errorf("%d of %d writes answered 201 are not in the database", lost, total)
	}
	// The notification stream delivers again.
	notifyUrgent(t, db, me, 1, "恢复后的第一条通知")
	awaitEvent("恢复后的第一条通知", time.Minute)
	t.Logf("FIGURE db-stopped: PostgreSQL stopped %s under load: %d answers in the outage, all 503 unavailable, slowest %s; "+
		"recovered %s after the restart without a restart of Steward; %d writes answered 201, 0 lost; the stream delivered again (%d reconnects)",
		outage, during, slowest.Round(time.Millisecond), recovered.Round(time.Millisecond), total, reconnects.Load())
	if err := p.terminate(t, time.Minute); err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("the server exited with %v", err)
	}
}

// TestReliabilityPoolExhausted: slow requests (held by a lock) take every connection of a small
// pool. Other requests answer 503 `unavailable` within the acquire deadline rather than queue
// without end; once the slow ones finish, everything answers again and the server's goroutines
// are back to where they were (no leak).
func TestReliabilityPoolExhausted(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	t.Parallel()
	ctx := context.Background()
	runtimeURL, ownerURL := pgtest.URLs(t)
	env := map[string]string{"DATABASE_URL": runtimeURL}
	adminOf(t, env, "pool-admin")
	owner, err := postgres.Open(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(owner.Close)
	p := startProc(t, "server", []string{"DATABASE_URL=" + runtimeURL + "&pool_max_conns=4"}, "serve", "--no-worker", "--addr", "127.0.0.1:0")
	admin := mustLogin(t, p.base, "pool-admin", adminPassword)
	goroutines := func() int {
		code, b := get(t, p.base+"/metrics")
		if code != 200 {
			t.Fatalf("/metrics = %d", code)
		}
		m := regexp.MustCompile(`(?m)^go_goroutines (\d+)`).FindSubmatch(b)
		if m == nil {
			t.Fatal("no go_goroutines in /metrics")
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	for range 5 {
		admin.must(t, 200, "GET", "/api/v1/departments", nil, nil)
	}
	admin.hc.CloseIdleConnections()
	baseline := goroutines()

	tx, err := owner.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`LOCK TABLE departments IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		code int
		kind string
		took time.Duration
		err  error
	}
	slow := make(chan answer, 8)
	for range 8 {
		go func() {
			began := time.Now()
			code, b, h, err := admin.do("GET", "/api/v1/departments", nil, nil)
			slow <- answer{code, problemCode(h, b), time.Since(began), err}
		}()
	}
	waitUntil(t, "slow requests hold the pool", 30*time.Second, func() bool {
		var n int
		_ = owner.SQL.QueryRow(`SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'departments'::regclass`).Scan(&n)
		return n >= 3
	})
	// The pool is exhausted: any request that needs the database waits at most the deadline.
	limit := postgres.AcquireTimeout + 3*time.Second
	var quick []answer
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range 10 {
		wg.Go(func() {
			began := time.Now()
			code, b, h, err := admin.do("GET", "/api/v1/me", nil, nil)
			mu.Lock()
			quick = append(quick, answer{code, problemCode(h, b), time.Since(began), err})
			mu.Unlock()
		})
	}
	wg.Wait()
	unavailable := 0
	var slowest time.Duration
	for _, a := range quick {
		slowest = max(slowest, a.took)
		if a.err != nil || a.took > limit || (a.code != 503 && a.code != 200) || (a.code == 503 && a.kind != "unavailable") {
			t.Errorf("with the pool exhausted: %d %q after %s (%v); want 503 unavailable within %s", a.code, a.kind, a.took, a.err, limit)
		}
		if a.code == 503 {
			unavailable++
		}
	}
	if unavailable == 0 {
		t.Error("no request was refused with the pool exhausted: the test did not exhaust it")
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	ok, refused := 0, 0
	for range 8 {
		select {
		case a := <-slow:
			switch {
			case a.err == nil && a.code == 200:
				ok++
			case a.err == nil && a.code == 503 && a.kind == "unavailable" && a.took <= limit:
				refused++ // it waited for a connection and got none in time
			default:
				t.Errorf("a slow request: %d %q after %s (%v)", a.code, a.kind, a.took, a.err)
			}
		case <-time.After(time.Minute):
			t.Fatal("slow requests still unanswered a minute after the lock went")
		}
	}
	admin.must(t, 200, "GET", "/api/v1/departments", nil, nil)
	admin.hc.CloseIdleConnections()
	after := 0
	waitUntil(t, "the goroutines are back to the baseline", 30*time.Second, func() bool {
		after = goroutines()
		return after <= baseline+3
	})
	t.Logf("FIGURE pool-exhausted: pool of 4 held by slow requests; 10 other requests: %d × 503 unavailable, slowest answer %s (deadline %s); "+
		"the slow ones: %d × 200, %d × 503; goroutines %d before, %d after",
		unavailable, slowest.Round(time.Millisecond), postgres.AcquireTimeout, ok, refused, baseline, after)
}
