package main

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

const demoPassword = "Demo#2026-reliab"

// demoDistrict is `steward dev` on a fresh database: the demo district and its logins.
type demoDistrict struct {
	m      *Main
	base   string
	env    map[string]string
	logins map[string][]string // role → usernames
}

func startDemo(t *testing.T) *demoDistrict {
	t.Helper()
	runtime, owner := pgtest.URLs(t)
	env := map[string]string{"DATABASE_URL": runtime, "STEWARD_MIGRATE_URL": owner, "STEWARD_DEMO_PASSWORD": demoPassword,
		"STEWARD_STATE_DIR": t.TempDir()}
	m, stdout, _ := run(t, env, "dev", "--addr", "127.0.0.1:0")
	t.Cleanup(func() { m.Close() })
	d := &demoDistrict{m: m, base: "http://" + m.Addr, env: env, logins: map[string][]string{}}
	in := false
	for _, line := range strings.Split(stdout.String(), "\n") {
		if strings.HasPrefix(line, "Demo logins:") {
			in = true
			continue
		}
		if f := strings.Fields(line); in && len(f) >= 2 {
			d.logins[f[1]] = append(d.logins[f[1]], f[0])
		}
	}
	if len(d.logins["steward"]) == 0 || len(d.logins["enterprise"]) == 0 {
		t.Fatalf("no demo logins in:\n%s", stdout)
	}
	return d
}

func (d *demoDistrict) mustLogin(t testing.TB, role string, i int) *apiClient {
	users := d.logins[role]
	return mustLogin(t, d.base, users[i%len(users)], demoPassword)
}

func newKey() string {
	b := make([]byte, 12)
	_, _ = crand.Read(b)
	return hex.EncodeToString(b)
}

// TestReliabilityDemoDistrict runs on one demo district: concurrent stale updates and
// idempotent creates, hostile strings, then the load of every role with a backup taken under
// it, restored into a new database and compared.
func TestReliabilityDemoDistrict(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo district and loads it")
	}
	t.Parallel()
	d := startDemo(t)

	t.Run("StaleIfMatch", func(t *testing.T) { staleIfMatch(t, d) })
	t.Run("IdempotentCreates", func(t *testing.T) { idempotentCreates(t, d) })
	t.Run("HostileStrings", func(t *testing.T) { hostileStrings(t, d) })
	t.Run("LoadAndBackup", func(t *testing.T) { loadAndBackup(t, d) })
}

// staleIfMatch: 100 concurrent updates with the same If-Match, of an enterprise and of a ticket:
// one succeeds, 99 get 412, and the record holds the one winner's change.
func staleIfMatch(t *testing.T, d *demoDistrict) {
	const n = 100
	c := d.mustLogin(t, "dispatcher", 0)
	b, _ := c.must(t, 200, "GET", "/api/v1/enterprises?limit=1", nil, nil)
	ent := decode[struct {
		Items []struct{ ID string } `json:"items"`
	}](t, b).Items[0]
	_, h := c.must(t, 200, "GET", "/api/v1/enterprises/"+ent.ID, nil, nil)
	tag := h.Get("ETag")

	race := func(path string, body func(i int) any) (codes map[int]int, winner int) {
		codes = map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		winner = -1
		for i := range n {
			wg.Go(func() {
				<-start
				code, b, hd, err := c.do(methodOf(path), path, body(i), map[string]string{"If-Match": tag})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("request %d: %v", i, err)
					return
				}
				codes[code]++
				if code == 200 {
					winner = i
				} else if code == 412 && problemCode(hd, b) != "version_mismatch" {
					t.Errorf("412 without version_mismatch: %s", b)
				}
			})
		}
		close(start)
		wg.Wait()
		return codes, winner
	}
	codes, winner := race("/api/v1/enterprises/"+ent.ID, func(i int) any { return map[string]string{"address": fmt.Sprintf("工业园区星湖街 %d 号", i)} })
	if codes[200] != 1 || codes[412] != n-1 {
		t.Fatalf("100 PATCHes with one If-Match: %v, want one 200 and 99 × 412", codes)
	}
	b, _ = c.must(t, 200, "GET", "/api/v1/enterprises/"+ent.ID, nil, nil)
	if got := decode[struct{ Address string }](t, b).Address; got != fmt.Sprintf("工业园区星湖街 %d 号", winner) {
		t.Fatalf("the enterprise's address is %q, want the winner's (%d)", got, winner)
	}

	// A ticket: 100 dispatchers' tabs accept the same submitted ticket.
	b, _ = c.must(t, 200, "GET", "/api/v1/tickets?status=submitted&limit=1", nil, nil)
	items := decode[struct {
		Items []struct{ ID string } `json:"items"`
	}](t, b).Items
	if len(items) == 0 {
		t.Fatal("no submitted ticket in the demo district")
	}
	tid := items[0].ID
	_, h = c.must(t, 200, "GET", "/api/v1/tickets/"+tid, nil, nil)
	tag = h.Get("ETag")
	codes, _ = race("/api/v1/tickets/"+tid+"/actions/accept", func(int) any { return map[string]any{} })
	if codes[200] != 1 || codes[412] != n-1 {
		t.Fatalf("100 accepts with one If-Match: %v, want one 200 and 99 × 412", codes)
	}
	b, _ = c.must(t, 200, "GET", "/api/v1/tickets/"+tid+"/events", nil, nil)
	if k := strings.Count(string(b), `"action":"accept"`); k != 1 {
		t.Fatalf("%d accept events on the ticket, want 1", k)
	}
	t.Logf("FIGURE stale-if-match: 100 concurrent PATCHes and 100 concurrent accepts with one If-Match: 1 × 200 and 99 × 412 each, the winner's change kept")
}

func methodOf(path string) string {
	if strings.Contains(path, "/actions/") {
		return "POST"
	}
	return "PATCH"
}

// idempotentCreates: 100 concurrent creates of a ticket (an enterprise user) and of a visit (a
// steward) with one Idempotency-Key each: one record, every answer the same record.
func idempotentCreates(t *testing.T, d *demoDistrict) {
	const n = 100
	storm := func(c *apiClient, path string, body any) (ids map[string]int, codes map[int]int) {
		key := newKey()
		ids, codes = map[string]int{}, map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Go(func() {
				<-start
				code, b, _, err := c.do("POST", path, body, map[string]string{"Idempotency-Key": key})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("POST %s: %v", path, err)
					return
				}
				codes[code]++
				if code == 201 || code == 200 {
					ids[decode[struct{ ID string }](t, b).ID]++
				} else if code != 409 {
					t.Errorf("POST %s = %d %s; want 201, or 409 while the first is in flight", path, code, b)
				}
			})
		}
		close(start)
		wg.Wait()
		return ids, codes
	}

	ent := d.mustLogin(t, "enterprise", 0)
	b, _ := ent.must(t, 200, "GET", "/api/v1/me", nil, nil)
	me := decode[struct {
		EnterpriseID string `json:"enterprise_id"`
	}](t, b)
	b, _ = ent.must(t, 200, "GET", "/api/v1/categories", nil, nil)
	cats := decode[struct {
		Items []struct{ ID string } `json:"items"`
	}](t, b)
	if len(cats.Items) == 0 {
		t.Fatalf("no categories: %s", b)
	}
	title := "幂等测试诉求 " + newKey()
	ids, codes := storm(ent, "/api/v1/tickets", map[string]any{"enterprise_id": me.EnterpriseID, "category_id": cats.Items[0].ID,
		"title": title, "description": "同一请求重发一百次，只应有一条诉求。"})
	var records int
	if err := d.m.db.SQL.QueryRow(`SELECT count(*) FROM tickets WHERE title = $1`, title).Scan(&records); err != nil {
		t.Fatal(err)
	}
	if records != 1 || len(ids) != 1 {
		t.Fatalf("100 ticket creates with one key: %d records, answers %v naming %d tickets", records, codes, len(ids))
	}
	ticketCodes := codes

	st := d.mustLogin(t, "steward", 0)
	b, _ = st.must(t, 200, "GET", "/api/v1/visits/due", nil, nil)
	due := decode[[]struct {
		EnterpriseID string `json:"enterprise_id"`
	}](t, b)
	if len(due) == 0 {
		t.Fatalf("steward has nothing due: %s", b)
	}
	summary := "幂等测试走访 " + newKey()
	ids, codes = storm(st, "/api/v1/visits", map[string]any{"enterprise_id": due[0].EnterpriseID, "visited_at": time.Now().UTC().Add(-time.Hour),
		"kind": "onsite", "summary": summary})
	if err := d.m.db.SQL.QueryRow(`SELECT count(*) FROM visits WHERE summary = $1`, summary).Scan(&records); err != nil {
		t.Fatal(err)
	}
	if records != 1 || len(ids) != 1 {
		t.Fatalf("100 visit creates with one key: %d records, answers %v naming %d visits", records, codes, len(ids))
	}
	t.Logf("FIGURE idempotent-creates: 100 concurrent ticket creates with one key → 1 ticket (answers %v); 100 concurrent visit creates → 1 visit (answers %v)", ticketCodes, codes)
}

// hostileStrings: SQL-looking and script-looking text is stored and answered as the same text.
func hostileStrings(t *testing.T, d *demoDistrict) {
	hostile := []string{`<img src=x onerror=alert(1)>`, `'; DROP TABLE tickets;--`, `<script>alert("xss")</script>`,
		`" OR 1=1 --`, `{{7*7}} ${7*7} %s %n`, "\u202etxt.exe", `../../etc/passwd`}
	disp := d.mustLogin(t, "dispatcher", 0)
	ent := d.mustLogin(t, "enterprise", 0)
	b, _ := ent.must(t, 200, "GET", "/api/v1/me", nil, nil)
	me := decode[struct {
		EnterpriseID string `json:"enterprise_id"`
	}](t, b)
	b, _ = ent.must(t, 200, "GET", "/api/v1/categories", nil, nil)
	cat := decode[struct {
		Items []struct{ ID string } `json:"items"`
	}](t, b).Items[0].ID
	var before int
	if err := d.m.db.SQL.QueryRow(`SELECT count(*) FROM tickets`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	for i, s := range hostile {
		b, _ := ent.must(t, 201, "POST", "/api/v1/tickets", map[string]any{"enterprise_id": me.EnterpriseID, "category_id": cat,
			"title": s, "description": "描述：" + s}, map[string]string{"Idempotency-Key": newKey()})
		tk := decode[struct{ ID, Title, Description string }](t, b)
		b, _ = disp.must(t, 200, "GET", "/api/v1/tickets/"+tk.ID, nil, nil)
		got := decode[struct{ Title, Description string }](t, b)
		if got.Title != s || got.Description != "描述："+s {
			t.Errorf("hostile string %d came back as %q / %q", i, got.Title, got.Description)
		}
		// A search for it is a search, not SQL.
		if code, b, _, err := disp.do("GET", "/api/v1/tickets?q="+urlQuery(s), nil, nil); err != nil || code != 200 {
			t.Errorf("searching for %q: %d %s %v", s, code, b, err)
		}
		if code, b, _, err := disp.do("GET", "/api/v1/enterprises?q="+urlQuery(s), nil, nil); err != nil || code != 200 {
			t.Errorf("searching enterprises for %q: %d %s %v", s, code, b, err)
		}
	}
	var after int
	if err := d.m.db.SQL.QueryRow(`SELECT count(*) FROM tickets`).Scan(&after); err != nil || after != before+len(hostile) {
		t.Fatalf("tickets before %d, after %d (%v)", before, after, err)
	}
}

func urlQuery(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// loadStats counts the load's requests.
type loadStats struct {
	requests, writes, races atomic.Int64
	mu                      sync.Mutex
	unexpected              []string
	byRole                  map[string]int
}

func (s *loadStats) fail(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.unexpected) < 1000 {
		s.unexpected = append(s.unexpected, msg)
	}
}

// loadAndBackup: simulated users of every role work the demo district (50 for 60 s in the full
// mode); half-way through, `steward backup` dumps it. Then: zero unexpected errors, the audit
// chain verifies, and the dump restored into a new database holds a consistent state: its
// audit chain verifies, is a prefix of the live one, and every table has at most the live
// rows. A second backup of the quiet district, restored, has exactly the live rows and checksums.
func loadAndBackup(t *testing.T, d *demoDistrict) {
	users := sized(12, 50)
	duration := sized(10*time.Second, 60*time.Second)
	roles := []string{"steward", "officer", "dispatcher", "leader", "enterprise", "auditor", "admin", "integration"}
	stats := &loadStats{byRole: map[string]int{}}
	clients := make([]*apiClient, users)
	// The users log in four at a time (each login is an argon2 verification), not all in the
	// same instant.
	var setup sync.WaitGroup
	gate := make(chan struct{}, 4)
	for i := range users {
		setup.Go(func() {
			gate <- struct{}{}
			defer func() { <-gate }()
			clients[i] = d.mustLogin(t, roles[i%len(roles)], i/len(roles))
		})
	}
	setup.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var wg sync.WaitGroup
	began := time.Now()
	for i, c := range clients {
		role := roles[i%len(roles)]
		wg.Go(func() { simulateUser(ctx, c, role, i, stats) })
	}

	// Half-way: the backup, under load.
	dump := filepath.Join(t.TempDir(), "under-load.dump")
	time.Sleep(duration / 2)
	backupBegan := time.Now()
	bm, out, _ := run(t, d.env, "backup", "--out", dump)
	bm.Close()
	backupTook := time.Since(backupBegan)
	if !strings.Contains(out.String(), "wrote") {
		t.Fatalf("backup said %s", out)
	}
	wg.Wait()
	loadTook := time.Since(began)

	stats.mu.Lock()
	if len(stats.unexpected) > 0 {
		t.Errorf("%d unexpected answers under load, e.g.:\n%s", len(stats.unexpected), strings.Join(stats.unexpected[:min(10, len(stats.unexpected))], "\n"))
	}
	stats.mu.Unlock()
	if stats.requests.Load() < int64(users)*10 {
		t.Errorf("only %d requests from %d users", stats.requests.Load(), users)
	}
	v, err := d.m.db.VerifyAudit(context.Background())
	if err != nil || !v.OK {
		t.Fatalf("the audit chain after the load: %+v %v", v, err)
	}

	// The dump taken under load, restored into a new database.
	restoreInto := func(file string) (*postgres.DB, string) {
		runtime, owner := pgtest.EmptyURLs(t)
		env := map[string]string{"DATABASE_URL": runtime, "STEWARD_MIGRATE_URL": owner}
		rm, out, _ := run(t, env, "restore", "--in", file)
		rm.Close()
		if !strings.Contains(out.String(), "audit chain intact") {
			t.Fatalf("restore said %s", out)
		}
		db, err := postgres.Open(context.Background(), owner)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		return db, out.String()
	}
	live := pgtest.Owner(t, d.m.db)
	restored, _ := restoreInto(dump)
	tables := userTables(t, live)
	liveSums, restoredSums := tableSums(t, live, tables), tableSums(t, restored, tables)
	for _, tb := range tables {
		if restoredSums[tb].rows > liveSums[tb].rows && tb != "river_leader" && tb != "river_client" {
			t.Errorf("table %s: %d rows restored from the dump under load, %d live", tb, restoredSums[tb].rows, liveSums[tb].rows)
		}
	}
	var maxID int64
	var prefixRestored, prefixLive string
	if err := restored.SQL.QueryRow(`SELECT max(id), md5(string_agg(hash, ',' ORDER BY id)) FROM audit_log`).Scan(&maxID, &prefixRestored); err != nil {
		t.Fatal(err)
	}
	if err := live.SQL.QueryRow(`SELECT md5(string_agg(hash, ',' ORDER BY id)) FROM audit_log WHERE id <= $1`, maxID).Scan(&prefixLive); err != nil {
		t.Fatal(err)
	}
	if prefixLive != prefixRestored {
		t.Errorf("the restored audit chain (up to %d) is not the live one's prefix", maxID)
	}

	// A second dump of the quiet district: everything equal.
	quiet := filepath.Join(t.TempDir(), "quiet.dump")
	bm, out, _ = run(t, d.env, "backup", "--out", quiet)
	bm.Close()
	liveSums = tableSums(t, live, tables)
	restored2, _ := restoreInto(quiet)
	again := tableSums(t, restored2, tables)
	compared, rows := 0, 0
	for _, tb := range tables {
		if strings.HasPrefix(tb, "river_") || tb == "sessions" {
			continue // River's own bookkeeping and the sessions change while the server runs
		}
		compared++
		rows += liveSums[tb].rows
		if again[tb] != liveSums[tb] {
			t.Errorf("table %s: live %+v, restored %+v", tb, liveSums[tb], again[tb])
		}
	}
	st := stats
	t.Logf("FIGURE load: %d users of %d roles for %s: %d requests (%d writes, %d lost races answered 409/412), %d unexpected; audit chain intact (%d records)",
		users, len(roles), loadTook.Round(time.Second), st.requests.Load(), st.writes.Load(), st.races.Load(), len(st.unexpected), v.Checked)
	t.Logf("FIGURE backup: dump under load in %s, restored with its audit chain intact; the restored chain is the live one's prefix up to %d; quiet dump: %d tables, %d rows, equal counts and checksums",
		backupTook.Round(time.Millisecond), maxID, compared, rows)
}

type tableSum struct {
	rows int
	sum  string
}

func userTables(t *testing.T, db *postgres.DB) []string {
	rows, err := db.SQL.Query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func tableSums(t *testing.T, db *postgres.DB, tables []string) map[string]tableSum {
	out := map[string]tableSum{}
	for _, tb := range tables {
		var s tableSum
		var sum *string
		if err := db.SQL.QueryRow(`SELECT count(*), md5(string_agg(t::text, E'\n' ORDER BY t::text)) FROM "`+tb+`" t`).Scan(&s.rows, &sum); err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		if sum != nil {
			s.sum = *sum
		}
		out[tb] = s
	}
	return out
}

// simulateUser is one person at work until ctx ends: mostly reading what their role reads,
// sometimes writing (visits, tickets, accepts). A lost race (409, 412) is expected; a 5xx, a
// transport error or any other 4xx is not.
func simulateUser(ctx context.Context, c *apiClient, role string, seed int, st *loadStats) {
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	get := func(path string) []byte {
		code, b, _, err := c.doCtx(ctx, "GET", path, nil, nil)
		if ctx.Err() != nil {
			return nil
		}
		st.requests.Add(1)
		if err != nil || code != 200 {
			st.fail(fmt.Sprintf("%s GET %s = %d %s %v", role, path, code, tail(string(b), 200), err))
			return nil
		}
		return b
	}
	post := func(path string, body any, hdr map[string]string, want int) {
		code, b, _, err := c.doCtx(ctx, "POST", path, body, hdr)
		if ctx.Err() != nil {
			return
		}
		st.requests.Add(1)
		st.writes.Add(1)
		switch {
		case err == nil && code == want:
		case err == nil && (code == 409 || code == 412):
			st.races.Add(1)
		default:
			st.fail(fmt.Sprintf("%s POST %s = %d %s %v", role, path, code, tail(string(b), 200), err))
		}
	}
	var ids struct {
		Items []struct {
			ID           string `json:"id"`
			EnterpriseID string `json:"enterprise_id"`
		} `json:"items"`
	}
	for ctx.Err() == nil {
		switch role {
		case "steward":
			b := get("/api/v1/visits/due")
			get("/api/v1/tickets?mine=true&limit=20")
			var due []struct {
				EnterpriseID string `json:"enterprise_id"`
			}
			if b != nil && jsonInto(b, &due) && len(due) > 0 && rng.IntN(3) == 0 {
				post("/api/v1/visits", map[string]any{"enterprise_id": due[rng.IntN(len(due))].EnterpriseID, "visited_at": time.Now().UTC().Add(-time.Hour),
					"kind": "phone", "summary": "电话回访，了解用电增容进展"}, map[string]string{"Idempotency-Key": newKey()}, 201)
			}
		case "officer":
			get("/api/v1/tickets?limit=20")
			get("/api/v1/notifications?limit=20")
		case "dispatcher":
			b := get("/api/v1/tickets?status=submitted&limit=10")
			if b != nil && jsonInto(b, &ids) && len(ids.Items) > 0 {
				id := ids.Items[rng.IntN(len(ids.Items))].ID
				code, _, h, err := c.doCtx(ctx, "GET", "/api/v1/tickets/"+id, nil, nil)
				if err == nil && code == 200 {
					post("/api/v1/tickets/"+id+"/actions/accept", map[string]any{}, map[string]string{"If-Match": h.Get("ETag")}, 200)
				}
			}
		case "leader":
			get("/api/v1/stats/overview")
			get("/api/v1/tickets?light=red&limit=20")
		case "enterprise":
			get("/api/v1/tickets?limit=20")
			if b := get("/api/v1/me"); b != nil && rng.IntN(4) == 0 {
				var me struct {
					EnterpriseID string `json:"enterprise_id"`
				}
				var cats struct {
					Items []struct{ ID string } `json:"items"`
				}
				if jsonInto(b, &me) && jsonInto(get("/api/v1/categories"), &cats) && len(cats.Items) > 0 {
					post("/api/v1/tickets", map[string]any{"enterprise_id": me.EnterpriseID, "category_id": cats.Items[rng.IntN(len(cats.Items))].ID,
						"title": "负载测试诉求", "description": "厂区道路积水，需协调排水。"}, map[string]string{"Idempotency-Key": newKey()}, 201)
				}
			}
		case "auditor":
			get("/api/v1/audit?limit=20")
		case "admin":
			get("/api/v1/users?limit=20")
			get("/api/v1/departments")
		case "integration":
			get("/api/v1/enterprises?credit_code=91350100M000100Y43")
		}
	}
}
