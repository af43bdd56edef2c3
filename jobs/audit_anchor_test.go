package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// TestAuditAnchorPublishesTheChainHead: the daily job puts the newest record's id and hash in
// the log, posts them to the configured anchor and mails them to every auditor, in the form
// steward audit verify --head takes.
func TestAuditAnchorPublishesTheChainHead(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	system := domain.WithActor(context.Background(), domain.System)
	dept := &domain.Department{Name: "区审计局", Kind: domain.DepartmentGovernment}
	if err := postgres.NewDepartmentService(db).CreateDepartment(system, dept); err != nil {
		t.Fatal(err)
	}
	users := postgres.NewUserService(db)
	for _, u := range []*domain.User{
		{Username: "auditor1", DisplayName: "审计员一", Role: domain.RoleAuditor, Email: "audit1@example.gov.cn"},
		{Username: "auditor2", DisplayName: "审计员二", Role: domain.RoleAuditor},                           // no address
		{Username: "admin1", DisplayName: "管理员", Role: domain.RoleAdmin, Email: "admin@example.gov.cn"}, // not an auditor
	} {
		if err := users.CreateUser(system, u, "Kx9#mPq2-vL", false); err != nil {
			t.Fatal(err)
		}
	}
	var head string
	if err := db.SQL.QueryRow(`SELECT id || ':' || hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&head); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var posts [][]byte
	answer := http.StatusOK
	anchor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		posts = append(posts, b)
		code := answer
		mu.Unlock()
		w.WriteHeader(code)
		fmt.Fprint(w, "receiver detail: token=abc-secret")
	}))
	t.Cleanup(anchor.Close)
	smtp := startSMTP(t)
	mailer, err := NewSMTPMailer("smtp://" + smtp.addr + "?from=steward@example.gov.cn&tls=none")
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return logs.Write(p)
	}), nil))
	w := rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{}, newAuditAnchorWorker(Deps{
		Logger: logger, AuditAnchors: postgres.NewAuditAnchors(db), AuditAnchorURL: anchor.URL + "/anchor", Mailer: mailer}))
	work := func() *rivertest.WorkResult {
		tx, err := db.SQL.BeginTx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		res, err := w.Work(context.Background(), t, tx, domain.AuditAnchorArgs{Day: "2026-12-02"}, &river.InsertOpts{MaxAttempts: 3})
		if err != nil && res == nil {
			t.Fatal(err)
		}
		return res
	}

	wantEvent(t, work(), river.EventKindJobCompleted, rivertype.JobStateCompleted)
	mu.Lock()
	if len(posts) != 1 {
		t.Fatalf("%d anchor posts, want 1", len(posts))
	}
	var p struct {
		ID       int64  `json:"id"`
		Hash     string `json:"hash"`
		Head     string `json:"head"`
		Day      string `json:"day"`
		Verified bool   `json:"verified"`
	}
	if err := json.Unmarshal(posts[0], &p); err != nil || p.Head != head || fmt.Sprintf("%d:%s", p.ID, p.Hash) != head ||
		!p.Verified || p.Day != "2026-12-02" {
		t.Fatalf("anchor post %s (%v), want head %s", posts[0], err, head)
	}
	mu.Unlock()
	msgs := smtp.messages()
	if len(msgs) != 1 || len(msgs[0].to) != 1 || msgs[0].to[0] != "audit1@example.gov.cn" {
		t.Fatalf("emails: %+v, want one to the auditor with an address", msgs)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(msgs[0].data))
	if err != nil {
		t.Fatal(err)
	}
	if text := mimeParts(t, msg)["text/plain"]; !strings.Contains(text, "steward audit verify --head "+head) {
		t.Fatalf("the email does not give the head to check:\n%s", text)
	}
	logMu.Lock()
	if !strings.Contains(logs.String(), "audit_head="+head) {
		t.Fatalf("the head is not in the log:\n%s", logs.String())
	}
	logMu.Unlock()

	// An anchor that fails is tried again; the error keeps its status, not its answer.
	mu.Lock()
	answer = http.StatusServiceUnavailable
	mu.Unlock()
	res := work()
	wantRetry(t, res)
	errs := fmt.Sprint(res.Job.Errors)
	if !strings.Contains(errs, "503") || strings.Contains(errs, "abc-secret") {
		t.Fatalf("job errors: %s", errs)
	}
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
