package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"steward/domain/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m, removeBinary) }

const adminPassword = "Rk4#wq9-Lmz2"

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run starts the real program with args and the given environment.
func run(t *testing.T, env map[string]string, args ...string) (*Main, *syncBuffer, *syncBuffer) {
	t.Helper()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	m := &Main{Stdin: strings.NewReader(adminPassword + "\n"), Stdout: stdout, Stderr: stderr, Getenv: func(k string) string { return env[k] }, failed: make(chan error, 2)}
	if err := m.Run(context.Background(), args); err != nil {
		m.Close()
		t.Fatalf("steward %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return m, stdout, stderr
}

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func TestServeEndToEnd(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": pgtest.URL(t), "STEWARD_METRICS_TOKEN": "scrape-0123456789"}

	// An operator creates the first administrator on the command line.
	m, stdout, stderr := run(t, env, "user", "create", "--username", "root-admin", "--role", "admin", "--password-stdin")
	m.Close()
	if !strings.Contains(stdout.String(), "created user root-admin") {
		t.Fatalf("user create said:\n%s%s", stdout, stderr)
	}

	m, _, stderr = run(t, env, "serve", "--addr", "127.0.0.1:0")
	base := "http://" + m.Addr
	if code, body := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("/healthz = %d %s", code, body)
	}
	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("/readyz = %d %s", code, body)
	}
	// The metrics want the scraper's token, even from this machine.
	if code, _ := get(t, base+"/metrics"); code != 401 {
		t.Fatalf("/metrics without STEWARD_METRICS_TOKEN = %d, want 401", code)
	}
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer scrape-0123456789")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("/metrics with the token: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	if m.http.ReadHeaderTimeout == 0 || m.http.ReadTimeout == 0 || m.http.WriteTimeout == 0 || m.http.IdleTimeout == 0 {
		t.Fatalf("the HTTP server lacks timeouts: %+v", m.http)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	post := func(path, body string) int {
		res, err := c.Post(base+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := post("/api/v1/departments", `{"name":"自然资源局","kind":"government"}`); code != 401 {
		t.Fatalf("create department before login = %d, want 401", code)
	}
	if code := post("/api/v1/auth/login", `{"username":"root-admin","password":"`+adminPassword+`"}`); code != 200 {
		t.Fatalf("login = %d", code)
	}
	if code := post("/api/v1/departments", `{"name":"自然资源局","kind":"government"}`); code != 201 {
		t.Fatalf("create department = %d, want 201", code)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if !strings.Contains(stderr.String(), "operation=create-department status=201") {
		t.Fatalf("no request log line:\n%s", stderr)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("server still answers after Close")
	}

	m, stdout, _ = run(t, env, "audit", "verify")
	m.Close()
	if !strings.Contains(stdout.String(), "audit chain intact") {
		t.Fatalf("audit verify: %s", stdout)
	}
}

func TestDevStartsItsOwnPostgreSQLAndStopsIt(t *testing.T) {
	t.Parallel()
	dir, err := os.MkdirTemp("", "steward-dev-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	env := map[string]string{"STEWARD_STATE_DIR": dir, "STEWARD_ADDR": "127.0.0.1:0"}

	m, out, stderr := run(t, env, "dev")
	if code, body := get(t, "http://"+m.Addr+"/readyz"); code != 200 || strings.Contains(string(body), "details") {
		t.Fatalf("/readyz = %d %s\n%s", code, body, stderr)
	}
	// The private server has two roles: Steward runs as the runtime one, which cannot change
	// the audit log the demo seed wrote.
	var role string
	if err := m.db.SQL.QueryRow(`SELECT current_user`).Scan(&role); err != nil || role != "steward_app" {
		t.Fatalf("the server runs as %q (%v), want steward_app", role, err)
	}
	if _, err := m.db.SQL.Exec(`UPDATE audit_log SET actor_name = 'x'`); err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("the runtime role updated the audit log: %v", err)
	}
	// The demo logins are printed, with the generated password, which is also kept in a file.
	pw, err := os.ReadFile(dir + "/demo-password.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, login := range []string{"admin", "dispatcher", "auditor", "leader1", "steward1", "officer1", "ent1", strings.TrimSpace(string(pw))} {
		if !strings.Contains(out.String(), login) {
			t.Fatalf("dev output lacks %q:\n%s", login, out)
		}
	}
	res, err := http.Post("http://"+m.Addr+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"username":"steward1","password":"`+strings.TrimSpace(string(pw))+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("demo login steward1 = %d", res.StatusCode)
	}
	pidFile, err := os.ReadFile(dir + "/pg/postmaster.pid")
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	fmt.Sscan(string(pidFile), &pid)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if pid == 0 || syscall.Kill(pid, 0) == nil {
		t.Fatalf("postgres (pid %d) still running after Close", pid)
	}

	// A second start finds the same cluster (no initdb) and the migrations applied.
	m, stdout, _ := run(t, env, "migrate", "status")
	defer m.Close()
	if !strings.Contains(stdout.String(), " 0 pending") || !strings.Contains(stdout.String(), "0001_departments_enterprises.sql") {
		t.Fatalf("migrate status after dev:\n%s", stdout)
	}
}

func TestOpenAPICommand(t *testing.T) {
	t.Parallel()
	m, stdout, _ := run(t, map[string]string{}, "openapi")
	defer m.Close()
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(stdout.String()), &doc); err != nil {
		t.Fatalf("openapi output is not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	for path, methods := range map[string][]string{
		"/api/v1/departments":      {"get", "post"},
		"/api/v1/departments/{id}": {"get", "patch"},
		"/api/v1/enterprises":      {"get", "post"},
		"/api/v1/enterprises/{id}": {"get", "patch"},
	} {
		for _, method := range methods {
			if doc.Paths[path][method] == nil {
				t.Errorf("no %s %s in the OpenAPI document", method, path)
			}
		}
	}
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	m, stdout, _ := run(t, map[string]string{}, "openapi")
	defer m.Close()
	doc, err := libopenapi.NewDocument([]byte(stdout.String()))
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("building the validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("%s: %s", e.Message, e.Reason)
		}
	}
}

func TestTwoServersRunEachPeriodicJobOncePerPeriod(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": pgtest.URL(t)}
	a, _, _ := run(t, env, "serve", "--addr", "127.0.0.1:0")
	defer a.Close()
	b, _, _ := run(t, env, "serve", "--addr", "127.0.0.1:0")
	defer b.Close()

	// Both processes know the periodic jobs; River's elected leader inserts them, and the jobs
	// that run on start are unique in their period, so a change of leader inserts no second one.
	count := func(kind string) int {
		var n int
		if err := a.db.SQL.QueryRow(`SELECT count(*) FROM river_job WHERE kind = $1`, kind).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(30 * time.Second)
	for count("project_watch") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no project_watch job within 30 s: no leader elected?")
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // give the other process every chance to insert a second one
	if n := count("project_watch"); n != 1 {
		t.Fatalf("%d project_watch jobs from two servers, want 1", n)
	}
	if n := count("session_sweep"); n != 1 {
		t.Fatalf("%d session_sweep jobs from two servers, want 1", n)
	}
}

func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	// Backup and restore run as the owner (STEWARD_MIGRATE_URL): a restore replaces its tables.
	fromRuntime, fromOwner := pgtest.URLs(t)
	toRuntime, toOwner := pgtest.URLs(t)
	from := map[string]string{"DATABASE_URL": fromRuntime, "STEWARD_MIGRATE_URL": fromOwner}
	to := map[string]string{"DATABASE_URL": toRuntime, "STEWARD_MIGRATE_URL": toOwner}
	m, _, _ := run(t, from, "user", "create", "--username", "kept-admin", "--role", "admin", "--password-stdin")
	m.Close()
	file := t.TempDir() + "/steward.dump"
	m, stdout, _ := run(t, from, "backup", "--out", file)
	m.Close()
	if !strings.Contains(stdout.String(), "wrote") {
		t.Fatalf("backup said %s", stdout)
	}
	m, stdout, _ = run(t, to, "restore", "--in", file)
	m.Close()
	if !strings.Contains(stdout.String(), "audit chain intact") {
		t.Fatalf("restore said %s", stdout)
	}
	m, _, _ = run(t, to, "migrate", "status")
	defer m.Close()
	var n int
	if err := m.db.SQL.QueryRow(`SELECT count(*) FROM users WHERE username = 'kept-admin'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the restored database has %d kept-admin users (%v)", n, err)
	}
}
