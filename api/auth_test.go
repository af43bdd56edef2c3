package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"steward/api"
	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

func TestLogin(t *testing.T) {
	t.Parallel()

	t.Run("FiveFailuresLockForThirtyMinutesAndAdminUnlocks", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		u := b.user(t, domain.RoleSteward)
		c := b.anonymous()
		for i := 1; i <= 4; i++ {
			c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": "wrong"}).wantProblem(t, 401, "unauthenticated")
		}
		c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": "wrong"}).wantProblem(t, 423, "locked")
		// Even the right password is refused while locked.
		c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": password}).wantProblem(t, 423, "locked")

		admin := b.as(t, domain.RoleAdmin)
		got := admin.do(t, "GET", "/api/v1/users/"+u.ID, nil).want(t, 200)
		if got.body["status"] != "locked" || got.body["failed_logins"] != float64(5) {
			t.Fatalf("locked user: %s", got.raw)
		}
		admin.do(t, "POST", "/api/v1/users/"+u.ID+"/unlock", nil).want(t, 200)
		c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": password}).want(t, 200)
	})

	t.Run("LockoutRunsOutAfterThirtyMinutes", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		u := b.user(t, domain.RoleOfficer)
		c := b.anonymous()
		for i := 0; i < domain.MaxFailedLogins; i++ {
			c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": "wrong"})
		}
		b.advance(29 * time.Minute)
		c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": password}).wantProblem(t, 423, "locked")
		b.advance(2 * time.Minute)
		c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": password}).want(t, 200)
	})

	t.Run("UnknownUserAndWrongPasswordLookAlike", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		u := b.user(t, domain.RoleSteward)
		c := b.anonymous()
		a := c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": "nobody-here", "password": "x"}).wantProblem(t, 401, "unauthenticated")
		w := c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": "x"}).wantProblem(t, 401, "unauthenticated")
		if a.body["detail"] != w.body["detail"] {
			t.Fatalf("answers differ: %q vs %q", a.body["detail"], w.body["detail"])
		}
	})

	t.Run("TooManyFailuresFromOneAddressAre429", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.auth.LoginRate.Max, b.auth.LoginRate.AddressFactor = 3, 2 // 3 per username, 6 per address
		c := b.anonymous()
		for i := 0; i < 6; i++ {
			c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": "guess" + string(rune('a'+i)), "password": "x"}).want(t, 401)
		}
		u := b.user(t, domain.RoleSteward)
		c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": password}).wantProblem(t, 429, "too_many_requests")
		b.advance(11 * time.Minute)
		c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": password}).want(t, 200)
	})

	t.Run("OnesFailuresDoNotLockOutOthersBehindTheSameAddress", func(t *testing.T) {
		t.Parallel()
		b := setup(t) // the default: 20 failures per address and username in 10 minutes
		a, other := b.user(t, domain.RoleSteward), b.user(t, domain.RoleOfficer)
		office := b.anonymous() // one NAT: every caller has the test's address
		for i := 0; i < 20; i++ {
			office.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": a.Username, "password": "wrong"})
		}
		b.login(t, other.Username)
		office.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": a.Username, "password": password}).wantProblem(t, 429, "too_many_requests")
		office.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": strings.ToUpper(a.Username), "password": "wrong"}).wantProblem(t, 429, "too_many_requests")
	})

	t.Run("ALockoutTellsTheAccountsOwner", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		u := b.user(t, domain.RoleSteward)
		// A group chat that takes every kind: a personal lockout is still not posted there.
		b.as(t, domain.RoleAdmin).do(t, "POST", "/api/v1/webhooks", map[string]any{
			"name": "营商局工作群", "format": "json", "url": "http://192.168.10.5/hook", "secret": "SEC0123456789abcdef0123456789abcdef",
		}).want(t, 201)
		c := b.anonymous()
		for i := 0; i < domain.MaxFailedLogins+2; i++ {
			c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": "wrong"})
		}
		b.advance(31 * time.Minute)
		inbox := b.login(t, u.Username).do(t, "GET", "/api/v1/notifications", nil).want(t, 200).items()
		if len(inbox) != 1 || inbox[0]["kind"] != "account_locked" || !strings.Contains(inbox[0]["body"].(string), "127.0.0.1") {
			t.Fatalf("the owner's inbox after a lockout: %v, want one account_locked notification naming the address", inbox)
		}
		var posts int
		if err := b.db.Bun.NewSelect().Table("deliveries").Where("channel = 'webhook'").ColumnExpr("count(*)").Scan(system, &posts); err != nil || posts != 0 {
			t.Fatalf("a lockout queued %d webhook posts (%v), want none: it is the owner's alone", posts, err)
		}
	})

	t.Run("EveryFailureCostsAsMuchAsAWrongPassword", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		active, disabled, locked := b.user(t, domain.RoleSteward), b.user(t, domain.RoleSteward), b.user(t, domain.RoleSteward)
		if _, err := b.db.SQL.ExecContext(system, `UPDATE users SET status = 'disabled' WHERE id = $1`, disabled.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := b.db.SQL.ExecContext(system, `UPDATE users SET status = 'locked', locked_until = now() + interval '1 hour' WHERE id = $1`, locked.ID); err != nil {
			t.Fatal(err)
		}
		c := b.anonymous()
		timed := func(username string) time.Duration {
			start := time.Now()
			r := c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": username, "password": "wrong"})
			if r.StatusCode != 401 && r.StatusCode != 423 {
				t.Fatalf("%s: %d", username, r.StatusCode)
			}
			return time.Since(start)
		}
		// Interleaved, so that the machine's load falls on all alike; the median of each.
		names := map[string]string{"wrong password": active.Username, "disabled": disabled.Username, "locked": locked.Username, "unknown": "no-such-user"}
		took := map[string][]time.Duration{}
		for range 4 { // 4 wrong passwords stay below the lockout
			for what, name := range names {
				took[what] = append(took[what], timed(name))
			}
		}
		median := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
		base := median(took["wrong password"])
		for what, d := range took {
			t.Logf("%s: median %v", what, median(d))
			// Without the work an answer takes ~1 ms against ~25–60 ms for a wrong password; the
			// wrong password's own writes (failed count, audit) can cost several times the hash on a
			// loaded machine, so only a tenfold gap tells accounts apart.
			if m := median(d); m < base/10 {
				t.Errorf("a %s account answers in %v, a wrong password in %v: the difference tells accounts apart", what, m, base)
			}
		}
	})

	t.Run("SessionCookieIsHttpOnlyLaxAndLogoutEndsIt", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		u := b.user(t, domain.RoleDispatcher)
		c := b.anonymous()
		r := c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": password}).want(t, 200)
		cookie := r.Header.Get("Set-Cookie")
		for _, want := range []string{"steward_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, want) {
				t.Fatalf("Set-Cookie %q lacks %s", cookie, want)
			}
		}
		if strings.Contains(cookie, "Secure") {
			t.Fatalf("Secure cookie without STEWARD_SECURE_COOKIES: %q", cookie)
		}
		if who, _ := r.body["user"].(map[string]any); who["username"] != u.Username || who["role"] != "dispatcher" {
			t.Fatalf("login answer: %s", r.raw)
		}
		c.do(t, "GET", "/api/v1/me", nil).want(t, 200)
		c.do(t, "POST", "/api/v1/auth/logout", nil).want(t, 204)
		c.do(t, "GET", "/api/v1/me", nil).wantProblem(t, 401, "unauthenticated")

		// A second login gets a new token: the old one is not reused.
		c2 := b.login(t, u.Username)
		c3 := b.login(t, u.Username)
		if sessionOf(t, c2) == sessionOf(t, c3) {
			t.Fatal("two logins share a session token")
		}
	})

	t.Run("SessionsEndAfterThirtyIdleMinutesOrTwelveHours", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		u := b.user(t, domain.RoleSteward)
		idle := b.login(t, u.Username)
		b.advance(31 * time.Minute)
		idle.do(t, "GET", "/api/v1/me", nil).wantProblem(t, 401, "unauthenticated")

		busy := b.login(t, u.Username)
		for elapsed := time.Duration(0); elapsed < 12*time.Hour; elapsed += 25 * time.Minute {
			busy.do(t, "GET", "/api/v1/me", nil).want(t, 200)
			b.advance(25 * time.Minute)
		}
		busy.do(t, "GET", "/api/v1/me", nil).wantProblem(t, 401, "unauthenticated")
	})

	t.Run("DisablingAUserEndsTheirSessions", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		u := b.user(t, domain.RoleSteward)
		c := b.login(t, u.Username)
		admin := b.as(t, domain.RoleAdmin)
		etag := admin.do(t, "GET", "/api/v1/users/"+u.ID, nil).want(t, 200).Header.Get("ETag")
		admin.do(t, "PATCH", "/api/v1/users/"+u.ID, map[string]any{"status": "disabled"}, "If-Match", etag).want(t, 200)
		c.do(t, "GET", "/api/v1/me", nil).wantProblem(t, 401, "unauthenticated")
		b.anonymous().do(t, "POST", "/api/v1/auth/login", map[string]any{"username": u.Username, "password": password}).wantProblem(t, 401, "unauthenticated")
	})

	t.Run("AdminSetPasswordMustBeChangedFirst", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		admin := b.as(t, domain.RoleAdmin)
		admin.do(t, "POST", "/api/v1/users", map[string]any{"username": "weakling", "display_name": "新人", "role": "integration", "password": "password1"}).
			wantProblem(t, 422, "validation_failed")
		r := admin.do(t, "POST", "/api/v1/users", map[string]any{"username": "newbie", "display_name": "新人", "role": "integration", "password": password}).want(t, 201)
		if r.body["must_change_password"] != true {
			t.Fatalf("admin-created user: %s", r.raw)
		}
		c := b.login(t, "newbie")
		c.do(t, "GET", "/api/v1/departments", nil).wantProblem(t, 403, "forbidden")
		me := c.do(t, "GET", "/api/v1/me", nil).want(t, 200)
		if me.body["must_change_password"] != true {
			t.Fatalf("me: %s", me.raw)
		}
		bad := c.do(t, "POST", "/api/v1/me/password", map[string]any{"old_password": password, "new_password": "Password123"}).wantProblem(t, 422, "validation_failed")
		if bad.fieldErrors()["new_password"] == "" {
			t.Fatalf("a common password is refused on new_password: %s", bad.raw)
		}
		c.do(t, "POST", "/api/v1/me/password", map[string]any{"old_password": password, "new_password": "Zq8#rTm4-wP"}).want(t, 204)
		c.do(t, "GET", "/api/v1/departments", nil).want(t, 200)
	})
}

func sessionOf(t *testing.T, c *client) string {
	t.Helper()
	for _, ck := range c.http.Jar.Cookies(mustURL(t, c.b.srv.URL)) {
		if ck.Name == "steward_session" {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func TestTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	u := b.user(t, domain.RoleIntegration)
	c := b.login(t, u.Username)
	r := c.do(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "12345 热线"}).want(t, 201)
	secret, id := r.body["token"].(string), r.body["id"].(string)
	if !strings.HasPrefix(secret, "stw_") {
		t.Fatalf("token %q", secret)
	}
	script := &client{b: b, http: http.DefaultClient, bearer: secret}
	if me := script.do(t, "GET", "/api/v1/me", nil).want(t, 200); me.body["username"] != u.Username {
		t.Fatalf("bearer me: %s", me.raw)
	}
	list := c.do(t, "GET", "/api/v1/me/tokens", nil).want(t, 200)
	if len(list.items()) != 1 || list.items()[0]["token"] != nil {
		t.Fatalf("token list shows secrets or is wrong: %s", list.raw)
	}
	// Another user cannot revoke it.
	b.as(t, domain.RoleIntegration).do(t, "DELETE", "/api/v1/me/tokens/"+id, nil).wantProblem(t, 404, "not_found")
	script.do(t, "GET", "/api/v1/me", nil).want(t, 200)
	c.do(t, "DELETE", "/api/v1/me/tokens/"+id, nil).want(t, 204)
	script.do(t, "GET", "/api/v1/me", nil).wantProblem(t, 401, "unauthenticated")
	(&client{b: b, http: http.DefaultClient, bearer: "stw_forged"}).do(t, "GET", "/api/v1/me", nil).wantProblem(t, 401, "unauthenticated")
}

func TestBrowserProtections(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.as(t, domain.RoleAdmin)

	t.Run("CrossOriginPostIsRefused", func(t *testing.T) {
		body := map[string]any{"name": "跨站创建的部门", "kind": "government"}
		c.do(t, "POST", "/api/v1/departments", body, "Sec-Fetch-Site", "cross-site").wantProblem(t, 403, "forbidden")
		c.do(t, "POST", "/api/v1/departments", body, "Origin", "https://evil.example").wantProblem(t, 403, "forbidden")
		list := c.do(t, "GET", "/api/v1/departments?q=跨站", nil).want(t, 200)
		if len(list.items()) != 0 {
			t.Fatal("a refused cross-origin request created something")
		}
		c.do(t, "POST", "/api/v1/departments", body, "Sec-Fetch-Site", "same-origin").want(t, 201)
	})

	t.Run("SecurityHeadersOnEveryResponse", func(t *testing.T) {
		for _, path := range []string{"/api/v1/me", "/", "/healthz", "/api/v1/nope"} {
			r := c.do(t, "GET", path, nil)
			h := r.Header
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") ||
				!strings.Contains(csp, "script-src 'self';") {
				t.Errorf("%s: CSP %q", path, csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Request-Id") == "" {
				t.Errorf("%s: headers %v", path, h)
			}
			if strings.HasPrefix(path, "/api/") && h.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: Cache-Control %q, want no-store", path, h.Get("Cache-Control"))
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Errorf("%s: HSTS without secure cookies", path)
			}
		}
	})
}

func TestMaskingAndReveal(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e := b.enterprise(t, "掩码测试有限公司")
	routed, _ := b.matrixTickets(t, e.ID)
	officer := b.as(t, domain.RoleOfficer, routed.DepartmentID) // sees the enterprise of its department's ticket
	masked := officer.do(t, "GET", "/api/v1/enterprises/"+e.ID, nil).want(t, 200)
	phone := masked.body["contacts"].([]any)[0].(map[string]any)["phone"]
	if phone != "138****5678" {
		t.Fatalf("officer sees phone %v, want 138****5678", phone)
	}
	dispatcher := b.as(t, domain.RoleDispatcher)
	full := dispatcher.do(t, "GET", "/api/v1/enterprises/"+e.ID, nil).want(t, 200)
	if p := full.body["contacts"].([]any)[0].(map[string]any)["phone"]; p != "13812345678" {
		t.Fatalf("dispatcher sees phone %v", p)
	}
	b.as(t, domain.RoleIntegration).do(t, "POST", "/api/v1/enterprises/"+e.ID+"/reveal", nil).wantProblem(t, 403, "forbidden")

	admin := b.as(t, domain.RoleAdmin)
	u := b.user(t, domain.RoleSteward)
	if p := admin.do(t, "GET", "/api/v1/users/"+u.ID, nil).want(t, 200).body["phone"]; p != "139****1111" {
		t.Fatalf("admin sees user phone %v masked? want 139****1111", p)
	}
	if p := admin.do(t, "POST", "/api/v1/users/"+u.ID+"/reveal", nil).want(t, 200).body["phone"]; p != "13900001111" {
		t.Fatalf("revealed phone %v", p)
	}
	auditor := b.as(t, domain.RoleAuditor)
	reveals := auditor.do(t, "GET", "/api/v1/audit?action=reveal&entity=user&entity_id="+u.ID, nil).want(t, 200)
	if len(reveals.items()) != 1 || reveals.items()[0]["ip"] == "" || reveals.items()[0]["actor_role"] != "admin" {
		t.Fatalf("the reveal is not audited with actor and address: %s", reveals.raw)
	}
}

func TestAuditLog(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.as(t, domain.RoleAdmin)
	auditor := b.as(t, domain.RoleAuditor)
	b.anonymous().do(t, "POST", "/api/v1/auth/login", map[string]any{"username": "intruder", "password": "x"}).want(t, 401)
	d := admin.do(t, "POST", "/api/v1/departments", map[string]any{"name": "审计测试局", "kind": "government"}, "X-Request-Id", "req-audit-1").want(t, 201)
	id := d.body["id"].(string)
	admin.do(t, "PATCH", "/api/v1/departments/"+id, map[string]any{"name": "审计测试局（改）"}, "If-Match", `"1"`).want(t, 200)

	admin.do(t, "GET", "/api/v1/audit", nil).wantProblem(t, 403, "forbidden") // 三权分立
	admin.do(t, "GET", "/api/v1/audit/verify", nil).wantProblem(t, 403, "forbidden")

	changes := auditor.do(t, "GET", "/api/v1/audit?entity=department&entity_id="+id, nil).want(t, 200).items()
	if len(changes) != 2 || changes[0]["action"] != "update" || changes[1]["action"] != "create" {
		t.Fatalf("department changes: %v", changes)
	}
	upd := changes[0]
	if upd["before"].(map[string]any)["name"] != "审计测试局" || upd["after"].(map[string]any)["name"] != "审计测试局（改）" || upd["actor_role"] != "admin" {
		t.Fatalf("update record lacks before/after/actor: %v", upd)
	}
	if changes[1]["request_id"] != "req-audit-1" {
		t.Fatalf("create record request id %v", changes[1]["request_id"])
	}
	logins := auditor.do(t, "GET", "/api/v1/audit?action=login_failed", nil).want(t, 200).items()
	if len(logins) != 1 || logins[0]["actor_name"] != "intruder" {
		t.Fatalf("failed logins: %v", logins)
	}
	if n := len(auditor.do(t, "GET", "/api/v1/audit?action=login", nil).want(t, 200).items()); n != 2 {
		t.Fatalf("%d successful logins audited, want 2", n)
	}

	v := auditor.do(t, "GET", "/api/v1/audit/verify", nil).want(t, 200)
	if v.body["ok"] != true || v.body["checked"].(float64) < 6 {
		t.Fatalf("verify: %s", v.raw)
	}

	// The application cannot change or delete audit records …
	if _, err := b.db.SQL.ExecContext(system, `UPDATE audit_log SET actor_name = 'someone else'`); err == nil {
		t.Fatal("an UPDATE of audit_log succeeded")
	}
	if _, err := b.db.SQL.ExecContext(system, `DELETE FROM audit_log`); err == nil {
		t.Fatal("a DELETE from audit_log succeeded")
	}
	// … and whoever gets around that (here the table's owner, switching the guard off) is found out.
	owner := pgtest.Owner(t, b.db)
	var target int64
	if err := b.db.SQL.QueryRowContext(system, `SELECT id FROM audit_log WHERE entity = 'department' AND action = 'update'`).Scan(&target); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`,
		`UPDATE audit_log SET after = '{"name": "审计测试局"}' WHERE id = ` + itoa(target),
		`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`,
	} {
		if _, err := owner.SQL.ExecContext(system, stmt); err != nil {
			t.Fatal(err)
		}
	}
	v = auditor.do(t, "GET", "/api/v1/audit/verify", nil).want(t, 200)
	if v.body["ok"] != false || v.body["first_bad_id"] != float64(target) {
		t.Fatalf("verify after tampering with record %d: %s", target, v.raw)
	}
}

func TestAdministratorsCannotManageAuditors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.as(t, domain.RoleAdmin)
	auditor := b.user(t, domain.RoleAuditor) // made as the system: the operator's command line
	admin.do(t, "POST", "/api/v1/users", map[string]any{"username": "sneaky-auditor", "display_name": "审计", "role": "auditor", "password": password}).
		wantProblem(t, 403, "forbidden")
	admin.do(t, "POST", "/api/v1/users/"+auditor.ID+"/reset-password", map[string]any{"password": "Zq8#rTm4-wP"}).wantProblem(t, 403, "forbidden")
	target := b.user(t, domain.RoleOfficer, b.bureau.ID)
	admin.do(t, "PATCH", "/api/v1/users/"+target.ID, map[string]any{"role": "auditor", "department_id": ""}, "If-Match", `"1"`).wantProblem(t, 403, "forbidden")
	// The auditor's password still works: nothing was changed.
	b.login(t, auditor.Username)
}

func TestClientAddressBehindATrustedProxy(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// The test server's peer address is 127.0.0.1: trust it as the reverse proxy.
	h := api.New(api.Config{Auth: b.auth, Audit: postgres.NewAuditService(b.db),
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	b.srv = srv
	c := b.anonymous()
	for _, xff := range []string{"203.0.113.7", "198.51.100.9, 203.0.113.8"} {
		c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": "nobody-" + xff[:3], "password": "x"}, "X-Forwarded-For", xff).want(t, 401)
	}
	var ips []string
	rows, err := b.db.SQL.Query(`SELECT ip FROM audit_log WHERE action = 'login_failed' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ip string
		rows.Scan(&ip)
		ips = append(ips, ip)
	}
	if strings.Join(ips, " ") != "203.0.113.7 203.0.113.8" {
		t.Fatalf("failed logins recorded from %v; want the callers named by the trusted proxy", ips)
	}
}

func TestTokenLifetime(t *testing.T) {
	t.Parallel()

	mint := func(t *testing.T, c *client, body map[string]any) *client {
		t.Helper()
		secret := c.do(t, "POST", "/api/v1/me/tokens", body).want(t, 201).body["token"].(string)
		return &client{b: c.b, http: http.DefaultClient, bearer: secret}
	}

	t.Run("NinetyDaysByDefaultAtMost365", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.as(t, domain.RoleIntegration)
		r := c.do(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "热线"}).want(t, 201)
		exp, err := time.Parse(time.RFC3339, r.body["expires_at"].(string))
		if err != nil || exp.Sub(time.Now()) < 89*24*time.Hour || exp.Sub(time.Now()) > 91*24*time.Hour {
			t.Fatalf("default expiry %v, want in 90 days: %s", r.body["expires_at"], r.raw)
		}
		bad := c.do(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "永久", "expires_in_days": 366}).wantProblem(t, 422, "validation_failed")
		if bad.fieldErrors()["expires_in_days"] == "" {
			t.Fatalf("366 days is refused on expires_in_days: %s", bad.raw)
		}
		c.do(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "一年", "expires_in_days": 365}).want(t, 201)
	})

	t.Run("AnExpiredTokenIsRefused", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		script := mint(t, b.as(t, domain.RoleIntegration), map[string]any{"name": "一天", "expires_in_days": 1})
		script.do(t, "GET", "/api/v1/me", nil).want(t, 200)
		b.advance(25 * time.Hour)
		script.do(t, "GET", "/api/v1/me", nil).wantProblem(t, 401, "unauthenticated")
	})

	t.Run("ATokenCannotMintAnother", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		script := mint(t, b.as(t, domain.RoleIntegration), map[string]any{"name": "热线"})
		script.do(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "永久的后门"}).wantProblem(t, 403, "forbidden")
	})

	t.Run("PasswordChangeResetAndDisablingEndEveryToken", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		admin := b.as(t, domain.RoleAdmin)
		for _, how := range []string{"change", "reset", "disable"} {
			u := b.user(t, domain.RoleIntegration)
			c := b.login(t, u.Username)
			script := mint(t, c, map[string]any{"name": how})
			script.do(t, "GET", "/api/v1/me", nil).want(t, 200)
			switch how {
			case "change":
				c.do(t, "POST", "/api/v1/me/password", map[string]any{"old_password": password, "new_password": "Zq8#rTm4-wP"}).want(t, 204)
			case "reset":
				admin.do(t, "POST", "/api/v1/users/"+u.ID+"/reset-password", map[string]any{"password": "Zq8#rTm4-wP"}).want(t, 200)
			case "disable":
				etag := admin.do(t, "GET", "/api/v1/users/"+u.ID, nil).want(t, 200).Header.Get("ETag")
				admin.do(t, "PATCH", "/api/v1/users/"+u.ID, map[string]any{"status": "disabled"}, "If-Match", etag).want(t, 200)
				admin.do(t, "PATCH", "/api/v1/users/"+u.ID, map[string]any{"status": "active"}, "If-Match", `"`+itoa(2)+`"`).want(t, 200)
			}
			script.do(t, "GET", "/api/v1/me", nil).wantProblem(t, 401, "unauthenticated")
		}
	})

	t.Run("ATokenDoesNotSkipTheForcedPasswordChange", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		u := b.user(t, domain.RoleIntegration)
		script := mint(t, b.login(t, u.Username), map[string]any{"name": "热线"})
		script.do(t, "GET", "/api/v1/departments", nil).want(t, 200)
		if _, err := b.db.SQL.ExecContext(system, `UPDATE users SET must_change_password = true WHERE id = $1`, u.ID); err != nil {
			t.Fatal(err)
		}
		script.do(t, "GET", "/api/v1/departments", nil).wantProblem(t, 403, "forbidden")
		script.do(t, "GET", "/api/v1/tickets", nil).wantProblem(t, 403, "forbidden")
	})

	t.Run("TheListShowsLastUseAndExpiry", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.as(t, domain.RoleIntegration)
		script := mint(t, c, map[string]any{"name": "热线", "expires_in_days": 30})
		script.do(t, "GET", "/api/v1/me", nil).want(t, 200)
		items := c.do(t, "GET", "/api/v1/me/tokens", nil).want(t, 200).items()
		if len(items) != 1 || items[0]["last_used_at"] == nil || items[0]["expires_at"] == nil {
			t.Fatalf("token list: %v", items)
		}
	})
}
