package api_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"steward/domain"
	"steward/domain/postgres"
)

// testReceiver is a JSON webhook endpoint on 127.0.0.1 that records the posts whose signature
// is right, and answers status.
type testReceiver struct {
	mu     sync.Mutex
	posts  []map[string]any
	bad    int
	status int
	srv    *httptest.Server
}

func newTestReceiver(t *testing.T, secret string, status int) *testReceiver {
	rc := &testReceiver{status: status}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if r.Header.Get("X-Steward-Signature") != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
			rc.bad++
		} else {
			var m map[string]any
			_ = json.Unmarshal(body, &m)
			rc.posts = append(rc.posts, m)
		}
		w.WriteHeader(rc.status)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func TestWebhookTestPost(t *testing.T) {
	t.Parallel()
	const secret = "test-secret-0123456789abcdef"
	// loopbackHook adds a json webhook to url as the system (the API refuses loopback addresses).
	loopbackHook := func(t *testing.T, b *testBundle, url string) string {
		s := postgres.NewWebhookService(b.db)
		s.Targets = &domain.WebhookTargets{Loopback: true}
		h := &domain.Webhook{Name: "本地接收端", Format: domain.WebhookJSON, URL: url, Secret: secret}
		if err := s.CreateWebhook(system, h); err != nil {
			t.Fatal(err)
		}
		return h.ID
	}

	t.Run("AnAdministratorSendsASignedTestPostAndItIsAudited", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		rc := newTestReceiver(t, secret, 200)
		id := loopbackHook(t, b, rc.srv.URL+"/hook")
		r := b.as(t, domain.RoleAdmin).do(t, "POST", "/api/v1/webhooks/"+id+"/test", nil).want(t, 200)
		if r.body["delivered"] != true || r.body["error"] != "" {
			t.Fatalf("test post: %s", r.raw)
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if rc.bad != 0 || len(rc.posts) != 1 || rc.posts[0]["kind"] != "webhook_test" {
			t.Fatalf("the receiver got %v (%d with a bad signature)", rc.posts, rc.bad)
		}
		var actions []string
		if err := b.db.Bun.NewSelect().Table("audit_log").ColumnExpr("action || ' ' || coalesce(after::text, '')").
			Where("entity = 'webhook' AND entity_id = ?", id).OrderExpr("id").Scan(system, &actions); err != nil {
			t.Fatal(err)
		}
		if len(actions) != 2 || !strings.HasPrefix(actions[1], "test ") || !strings.Contains(actions[1], `"delivered": true`) {
			t.Fatalf("audit records: %v", actions)
		}
	})

	t.Run("AReceiverThatRefusesIsReportedWithItsStatus", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		rc := newTestReceiver(t, secret, 503)
		id := loopbackHook(t, b, rc.srv.URL)
		r := b.as(t, domain.RoleAdmin).do(t, "POST", "/api/v1/webhooks/"+id+"/test", nil).want(t, 200)
		if r.body["delivered"] != false || !strings.Contains(r.body["error"].(string), "503") {
			t.Fatalf("test post to a refusing receiver: %s", r.raw)
		}
	})

	t.Run("OnlyAdministratorsTestAndADeletedWebhookIsGone", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		rc := newTestReceiver(t, secret, 200)
		id := loopbackHook(t, b, rc.srv.URL)
		b.as(t, domain.RoleDispatcher).do(t, "POST", "/api/v1/webhooks/"+id+"/test", nil).want(t, 403)
		admin := b.as(t, domain.RoleAdmin)
		admin.do(t, "DELETE", "/api/v1/webhooks/"+id, nil).want(t, 204)
		admin.do(t, "POST", "/api/v1/webhooks/"+id+"/test", nil).want(t, 404)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if len(rc.posts) != 0 {
			t.Fatalf("posts after refusals: %v", rc.posts)
		}
	})
}

func TestImportFailedRows(t *testing.T) {
	t.Parallel()
	row := func(name, code string) []string {
		var out []string
		for _, c := range domain.EnterpriseColumns {
			switch c.Field {
			case "name":
				out = append(out, name)
			case "credit_code":
				out = append(out, code)
			default:
				out = append(out, c.Example)
			}
		}
		return out
	}

	t.Run("AnAdministratorDownloadsExactlyTheRefusedRowsWithTheirReasons", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.work(t)
		admin := b.as(t, domain.RoleAdmin)
		bad := row("=HYPERLINK(\"http://x\")有限公司", "91320500BADCODE00")
		file := workbook(t, [][]string{titles(), row("苏州导入甲有限公司", creditCode(1)), bad, row("苏州导入丙有限公司", creditCode(3))})
		r := admin.importFile(t, "名录.xlsx", file)
		if c := counts(r); c["created"] != 2 || c["failed"] != 1 {
			t.Fatalf("counts %v: %s", c, r.raw)
		}
		if _, ok := importErrors(r)["3 credit_code"]; !ok {
			t.Fatalf("errors %s, want row 3 credit_code", r.raw)
		}
		id := r.body["id"].(string)
		got := admin.do(t, "GET", "/api/v1/imports/"+id+"/failed.xlsx", nil).want(t, 200)
		if cd := got.Header.Get("Content-Disposition"); !strings.Contains(cd, "failed-rows.xlsx") {
			t.Fatalf("Content-Disposition %q", cd)
		}
		rows := readXLSX(t, got.raw)
		want := append(titles(), "原行号", "未导入原因")
		if len(rows) != 2 || !slices.Equal(rows[0], want) {
			t.Fatalf("failed rows %q, want the header and one row", rows)
		}
		if rows[1][0] != "'"+bad[0] || !slices.Equal(rows[1][1:len(bad)], bad[1:]) || rows[1][len(bad)] != "3" ||
			!strings.Contains(rows[1][len(bad)+1], "统一社会信用代码") {
			t.Fatalf("the refused row %q, want %q as uploaded (the formula quoted), row 3 and the reason", rows[1], bad)
		}
	})

	t.Run("ARegisteredCodeIsRefusedForAnAdministratorAndOthersGet404", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.work(t)
		known := b.enterprise(t, "苏州已登记有限公司")
		admin := b.as(t, domain.RoleAdmin)
		r := admin.importFile(t, "名录.csv", []byte(strings.Join(titles(), ",")+"\n"+strings.Join(row("苏州改名有限公司", known.CreditCode), ",")+"\n"))
		if c := counts(r); c["failed"] != 1 || c["updated"] != 0 {
			t.Fatalf("an administrator changed a registered enterprise: %s", r.raw)
		}
		id := r.body["id"].(string)
		b.as(t, domain.RoleSteward).do(t, "GET", "/api/v1/imports/"+id+"/failed.xlsx", nil).want(t, 404)
		rows := readXLSX(t, admin.do(t, "GET", "/api/v1/imports/"+id+"/failed.xlsx", nil).want(t, 200).raw)
		if len(rows) != 2 || rows[1][1] != known.CreditCode {
			t.Fatalf("failed rows %q", rows)
		}
	})
}

// localWebhook adds, as the system, a json webhook to a closed port of 127.0.0.1 (a test post to
// it is refused at once, and nothing leaves the machine).
func (w *world) localWebhook() string {
	s := postgres.NewWebhookService(w.b.db)
	s.Targets = &domain.WebhookTargets{Loopback: true}
	h := &domain.Webhook{Name: "矩阵测试", Format: domain.WebhookJSON, URL: "http://127.0.0.1:1/hook", Secret: "matrix-secret-0123456789"}
	if err := s.CreateWebhook(system, h); err != nil {
		panic(err)
	}
	return h.ID
}
