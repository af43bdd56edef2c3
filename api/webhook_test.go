package api_test

import (
	"net/netip"
	"strings"
	"testing"

	"steward/domain"
	"steward/domain/postgres"
	"steward/jobs"
)

// webhook adds a webhook as the system and returns its id (for the access matrix).
func (w *world) webhook() string {
	h := &domain.Webhook{Name: "矩阵删除", Format: domain.WebhookWeCom, URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix"}
	if err := postgres.NewWebhookService(w.b.db).CreateWebhook(system, h); err != nil {
		panic(err)
	}
	return h.ID
}

// webhookService is the webhooks as the tests' server has them: STEWARD_WEBHOOK_ALLOW lists the
// 192.168.10.0/24 intranet.
func webhookService(db *postgres.DB) *postgres.WebhookService {
	s := postgres.NewWebhookService(db)
	s.Targets = &domain.WebhookTargets{Allow: []netip.Prefix{netip.MustParsePrefix("192.168.10.0/24")}}
	// Test posts may reach the tests' receivers on 127.0.0.1 (webhooks to them are added as the
	// system, past the API's address check).
	s.Poster = jobs.NewWebhookTester(&domain.WebhookTargets{Allow: s.Targets.Allow, Loopback: true}, "http://steward.test")
	return s
}

func TestWebhooks(t *testing.T) {
	t.Parallel()
	const token = "4f6c0d7e9a1b2c3d4e5f60718293a4b5c6d7e8f9"
	const secret = "SEC0123456789abcdef0123456789abcdef"

	t.Run("AnAdministratorAddsListsAndRemovesThem", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		admin := b.as(t, domain.RoleAdmin)
		created := admin.do(t, "POST", "/api/v1/webhooks", map[string]any{
			"name": "营商局工作群", "format": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=" + token,
			"secret": secret, "kinds": []string{"ticket_due", "ticket_escalate"},
		}).want(t, 201).body
		id, _ := created["id"].(string)
		if created["secret"] != "****cdef" || strings.Contains(created["url"].(string), token) ||
			!strings.HasSuffix(created["url"].(string), "access_token=****e8f9") {
			t.Fatalf("the secret and the access token are not masked: %v", created)
		}
		list := admin.do(t, "GET", "/api/v1/webhooks", nil).want(t, 200).items()
		if len(list) != 1 || list[0]["id"] != id || list[0]["secret"] != "****cdef" || len(list[0]["kinds"].([]any)) != 2 {
			t.Fatalf("list: %v", list)
		}

		// The audit log has the change, and not the secret.
		var records []string
		if err := b.db.Bun.NewSelect().Table("audit_log").ColumnExpr("action || ' ' || coalesce(after::text, '')").
			Where("entity = 'webhook' AND entity_id = ?", id).OrderExpr("id").Scan(system, &records); err != nil {
			t.Fatal(err)
		}
		if len(records) != 1 || !strings.HasPrefix(records[0], "create ") {
			t.Fatalf("audit records: %v", records)
		}
		if strings.Contains(records[0], secret) || strings.Contains(records[0], token) {
			t.Fatalf("the audit log keeps the secret in the clear: %s", records[0])
		}

		admin.do(t, "DELETE", "/api/v1/webhooks/"+id, nil).want(t, 204)
		admin.do(t, "DELETE", "/api/v1/webhooks/"+id, nil).wantProblem(t, 404, "not_found")
		if l := admin.do(t, "GET", "/api/v1/webhooks", nil).want(t, 200).items(); len(l) != 0 {
			t.Fatalf("a deleted webhook is listed: %v", l)
		}
		var deleted bool
		if err := b.db.Bun.NewSelect().Table("webhooks").ColumnExpr("deleted_at IS NOT NULL").Where("id = ?", id).Scan(system, &deleted); err != nil || !deleted {
			t.Fatalf("the webhook row is not kept as deleted: %v %v", deleted, err)
		}
		var n int
		if err := b.db.Bun.NewSelect().Table("audit_log").ColumnExpr("count(*)").Where("entity = 'webhook' AND action = 'delete'").Scan(system, &n); err != nil || n != 1 {
			t.Fatalf("%d delete audit records (%v), want 1", n, err)
		}
	})

	t.Run("BadFieldsAre422WithTheField", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		admin := b.as(t, domain.RoleAdmin)
		for _, tc := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"NotHTTP", map[string]any{"name": "x", "format": "wecom", "url": "ftp://files.example.gov.cn/hook"}, "url"},
			{"NoHost", map[string]any{"name": "x", "format": "wecom", "url": "https://"}, "url"},
			{"JSONWithoutSecret", map[string]any{"name": "x", "format": "json", "url": "http://10.1.2.3:8080/hook"}, "secret"},
			{"UnknownFormat", map[string]any{"name": "x", "format": "slack", "url": "https://hooks.example.gov.cn/x"}, "format"},
			{"UnknownKind", map[string]any{"name": "x", "format": "wecom", "url": "https://hooks.example.gov.cn/x", "kinds": []string{"gossip"}}, "kinds[0]"},
			{"BlankName", map[string]any{"name": "   ", "format": "wecom", "url": "https://hooks.example.gov.cn/x"}, "name"},
		} {
			r := admin.do(t, "POST", "/api/v1/webhooks", tc.body).wantProblem(t, 422, "validation_failed")
			if _, ok := r.fieldErrors()[tc.field]; !ok {
				t.Errorf("%s: no error on %s: %s", tc.name, tc.field, r.raw)
			}
		}
		// An intranet address the configuration lists is fine.
		admin.do(t, "POST", "/api/v1/webhooks", map[string]any{"name": "内网平台", "format": "json",
			"url": "http://192.168.10.20:8080/steward", "secret": "intranet-secret-0123"}).want(t, 201)
	})

	t.Run("InternalAddressesAre422OnURL", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		admin := b.as(t, domain.RoleAdmin)
		for _, u := range []string{
			"http://127.0.0.1:8080/hook",               // this machine
			"http://127.8.9.10/hook",                   // all of 127/8
			"http://localhost:8080/hook",               // a name that resolves to loopback
			"http://[::1]:5432/",                       // the database's port on IPv6 loopback
			"http://[::ffff:127.0.0.1]/hook",           // loopback dressed as IPv6
			"http://169.254.169.254/latest/meta-data/", // cloud metadata
			"http://100.100.100.200/latest/meta-data/", // Alibaba Cloud's metadata
			"http://[fe80::1%25eth0]/hook",             // link-local
			"http://0.0.0.0:8080/hook",                 // unspecified: dials this machine
			"http://[::]/hook",
			"http://224.0.0.1/hook",       // multicast
			"http://255.255.255.255/hook", // broadcast
			"http://10.1.2.3:8080/hook",   // private, not in STEWARD_WEBHOOK_ALLOW
			"http://192.168.11.5/hook",    // private, next to the allowed range
			"http://172.16.0.1/hook",
		} {
			r := admin.do(t, "POST", "/api/v1/webhooks", map[string]any{"name": "x", "format": "wecom", "url": u}).
				wantProblem(t, 422, "validation_failed")
			if _, ok := r.fieldErrors()["url"]; !ok {
				t.Errorf("%s: no error on url: %s", u, r.raw)
			}
		}
		if l := admin.do(t, "GET", "/api/v1/webhooks", nil).want(t, 200).items(); len(l) != 0 {
			t.Fatalf("refused webhooks were kept: %v", l)
		}
	})
}
