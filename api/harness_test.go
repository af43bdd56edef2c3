package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"steward/api"
	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// contract validates answers against the server's own OpenAPI document, so the document and the
// behaviour cannot drift apart.
var contract = sync.OnceValue(func() validator.Validator {
	b, err := api.New(api.Config{}).OpenAPI()
	if err != nil {
		panic(err)
	}
	doc, err := libopenapi.NewDocument(b)
	if err != nil {
		panic(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		panic(errs[0])
	}
	return v
})

// password is every test user's password.
const password = "Kx9#mPq2-vL"

// testBundle is a real server on its own database, with a clock tests can move.
type testBundle struct {
	srv  *httptest.Server
	db   *postgres.DB
	auth *postgres.AuthService
	// tickets is the server's ticket service, with the notifier the server uses.
	tickets *postgres.TicketService
	offset  atomic.Int64 // how far the clock is moved ahead, in nanoseconds
	n       atomic.Int64 // for unique names
	// bureau is a department of kind bureau, for stewards and dispatchers.
	bureau *domain.Department
}

// system is a context acting as the system, for arranging a test's world.
var system = domain.WithActor(context.Background(), domain.System)

func setup(t *testing.T) *testBundle {
	t.Helper()
	b := &testBundle{db: pgtest.New(t)}
	b.db.Now = func() time.Time { return time.Now().Add(time.Duration(b.offset.Load())) }
	b.auth = postgres.NewAuthService(b.db)
	cal := postgres.NewCalendarService(b.db)
	notifier := postgres.NewNotifier(b.db, postgres.WorkingTimeOf(cal))
	b.auth.Notifier = notifier
	b.tickets = postgres.NewTicketService(b.db, postgres.WorkingDaysOf(cal), notifier)
	tickets := b.tickets
	hub := postgres.NewNotificationHub(b.db, nil)
	hub.Start(context.Background())
	t.Cleanup(hub.Stop)
	h := api.New(api.Config{
		Auth:        b.auth,
		Users:       postgres.NewUserService(b.db),
		Audit:       postgres.NewAuditService(b.db),
		Departments: postgres.NewDepartmentService(b.db),
		Enterprises: postgres.NewEnterpriseService(b.db),
		Projects:    postgres.NewProjectService(b.db),
		Assignments: postgres.NewAssignmentService(b.db),
		Timeline:    postgres.NewTimelineService(b.db),
		Categories:  postgres.NewCategoryService(b.db),
		Calendar:    postgres.NewCalendarService(b.db),
		Tickets:     tickets,
		Attachments: postgres.NewAttachmentService(b.db, tickets),
		Visits:      postgres.NewVisitService(b.db, tickets),
		Imports:     postgres.NewImportService(b.db),
		Ready:       b.db.Ready,

		Notifications:    postgres.NewNotificationService(b.db),
		NotificationFeed: hub,
		Webhooks:         webhookService(b.db),
		Stats:            postgres.NewStatsService(b.db, postgres.NewCalendarService(b.db)),
		Plans:            postgres.NewPlanService(b.db, tickets),
	})
	b.srv = httptest.NewServer(h)
	t.Cleanup(b.srv.Close)
	t.Cleanup(h.CloseStreams) // before Close, which waits for open event streams
	b.bureau = b.department(t, "区营商环境建设局", domain.DepartmentBureau)
	return b
}

// advance moves the server's clock ahead.
func (b *testBundle) advance(d time.Duration) { b.offset.Add(int64(d)) }

func (b *testBundle) department(t *testing.T, name string, kind domain.DepartmentKind) *domain.Department {
	t.Helper()
	d := &domain.Department{Name: name, Kind: kind}
	if err := postgres.NewDepartmentService(b.db).CreateDepartment(system, d); err != nil {
		t.Fatal(err)
	}
	return d
}

func (b *testBundle) enterprise(t *testing.T, name string) *domain.Enterprise {
	t.Helper()
	first17 := fmt.Sprintf("91320500%09d", b.n.Add(1))
	c, _ := domain.CreditCodeCheckChar(first17)
	e := &domain.Enterprise{Name: name, CreditCode: first17 + string(c), Industry: "C", Scale: domain.ScaleSmall,
		KeyLevel: domain.KeyDistrict, Contacts: []domain.Contact{{Name: "王经理", Phone: "13812345678"}}}
	if err := postgres.NewEnterpriseService(b.db).CreateEnterprise(system, e); err != nil {
		t.Fatal(err)
	}
	return e
}

func (b *testBundle) project(t *testing.T, enterpriseID, name string) *domain.Project {
	t.Helper()
	p := &domain.Project{EnterpriseID: enterpriseID, Name: name, Kind: domain.ProjectNew, Industry: "C",
		PlannedInvestment: 20000, PlannedStart: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		PlannedCompletion: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC), KeyLevel: domain.KeyMunicipal}
	if err := postgres.NewProjectService(b.db).CreateProject(system, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (b *testBundle) assign(t *testing.T, typ domain.SubjectType, subject, leader, steward string) *domain.Assignment {
	t.Helper()
	a := &domain.Assignment{SubjectType: typ, SubjectID: subject, LeaderID: leader, StewardID: steward}
	if err := postgres.NewAssignmentService(b.db).Assign(system, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// user creates a user of role; dept and enterprise default sensibly for the role.
func (b *testBundle) user(t *testing.T, role domain.Role, deptOrEnterprise ...string) *domain.User {
	t.Helper()
	u := &domain.User{Username: fmt.Sprintf("%s%d", role, b.n.Add(1)), DisplayName: "测试 " + string(role), Role: role,
		Phone: "13900001111"}
	switch role {
	case domain.RoleEnterprise:
		u.EnterpriseID = deptOrEnterprise[0]
	case domain.RoleSteward, domain.RoleDispatcher:
		u.DepartmentID = b.bureau.ID
	case domain.RoleLeader, domain.RoleOfficer:
		if len(deptOrEnterprise) > 0 {
			u.DepartmentID = deptOrEnterprise[0]
		} else {
			u.DepartmentID = b.bureau.ID
		}
	}
	if err := postgres.NewUserService(b.db).CreateUser(system, u, password, false); err != nil {
		t.Fatal(err)
	}
	return u
}

// client is a browser-like caller: a cookie jar, or a bearer token.
type client struct {
	b      *testBundle
	http   *http.Client
	bearer string
}

func (b *testBundle) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{b: b, http: &http.Client{Jar: jar}}
}

// login logs in as username and returns the logged-in client.
func (b *testBundle) login(t *testing.T, username string) *client {
	t.Helper()
	c := b.anonymous()
	c.do(t, "POST", "/api/v1/auth/login", map[string]any{"username": username, "password": password}).want(t, 200)
	return c
}

// scripted logs in as username and returns a client using an API token, which has no idle
// timeout: for tests that move the clock by days.
func (b *testBundle) scripted(t *testing.T, username string) *client {
	t.Helper()
	secret := b.login(t, username).do(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "test"}).want(t, 201).body["token"].(string)
	return &client{b: b, http: http.DefaultClient, bearer: secret}
}

// as creates a user of role and logs in as them.
func (b *testBundle) as(t *testing.T, role domain.Role, deptOrEnterprise ...string) *client {
	t.Helper()
	return b.login(t, b.user(t, role, deptOrEnterprise...).Username)
}

// response is an answer with its body decoded.
type response struct {
	*http.Response
	body map[string]any
	raw  []byte
}

// rawBody is a request body sent as it is (a multipart upload), not as JSON.
type rawBody struct {
	contentType string
	data        []byte
}

func (c *client) do(t *testing.T, method, path string, body any, headers ...string) *response {
	t.Helper()
	var r io.Reader
	contentType := "application/json"
	if raw, ok := body.(rawBody); ok {
		r, contentType = bytes.NewReader(raw.data), raw.contentType
	} else if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, c.b.srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		return &response{Response: res} // a stream has no end: its status and headers are the answer
	}
	out := &response{Response: res}
	out.raw, _ = io.ReadAll(res.Body)
	_ = json.Unmarshal(out.raw, &out.body)
	if strings.HasPrefix(path, api.Prefix+"/") && res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden || path == "/readyz" {
		res.Body = io.NopCloser(bytes.NewReader(out.raw))
		req.Body = nil
		if ok, errs := contract().ValidateHttpResponse(req, res); !ok {
			for _, e := range errs {
				t.Errorf("%s %s → %d does not match the OpenAPI document: %s: %s", method, path, res.StatusCode, e.Message, e.Reason)
			}
		}
	}
	return out
}

func (r *response) want(t *testing.T, status int) *response {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body %s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.raw)
	}
	if r.Header.Get("X-Request-Id") == "" {
		t.Fatalf("%s %s: no X-Request-Id", r.Request.Method, r.Request.URL.Path)
	}
	return r
}

// wantProblem checks a problem+json answer with the given status and machine code.
func (r *response) wantProblem(t *testing.T, status int, code string) *response {
	t.Helper()
	r.want(t, status)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	if r.body["code"] != code {
		t.Fatalf("code %v, want %s; body %s", r.body["code"], code, r.raw)
	}
	return r
}

func (r *response) fieldErrors() map[string]string {
	out := map[string]string{}
	list, _ := r.body["errors"].([]any)
	for _, e := range list {
		m, _ := e.(map[string]any)
		f, _ := m["field"].(string)
		msg, _ := m["message"].(string)
		out[f] = msg
	}
	return out
}

// items returns the items of a list answer (or the elements of an array answer).
func (r *response) items() []map[string]any {
	var out []map[string]any
	list, _ := r.body["items"].([]any)
	if r.body == nil {
		_ = json.Unmarshal(r.raw, &list)
	}
	for _, it := range list {
		m, _ := it.(map[string]any)
		out = append(out, m)
	}
	return out
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
