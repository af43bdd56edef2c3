package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/uptrace/bun"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
	"steward/jobs"
)

// deliveryReceiver is a generic JSON webhook endpoint that checks every post's signature and
// counts the posts of each notification: a real receiver would drop a repeat by its
// X-Steward-Delivery.
type deliveryReceiver struct {
	secret string
	mu     sync.Mutex
	seen   map[string]int
	posts  int
	bad    []string
}

func (r *deliveryReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return // the sender died mid-post: nothing was delivered
	}
	mac := hmac.New(sha256.New, []byte(r.secret))
	mac.Write(body)
	var post struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &post)
	r.mu.Lock()
	defer r.mu.Unlock()
	id := req.Header.Get("X-Steward-Delivery")
	if req.Header.Get("X-Steward-Signature") != "sha256="+hex.EncodeToString(mac.Sum(nil)) || post.ID != id || id == "" {
		r.bad = append(r.bad, string(body))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	r.seen[id]++
	r.posts++
}

func (r *deliveryReceiver) counts() (posts, unique int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.posts, len(r.seen)
}

// TestKilledWorkerLosesAndDoublesNoDelivery is DESIGN.md §7's "kill -9 of a worker loses no
// reminder and duplicates no notification" for deliveries: the real binary works 5,000 webhook
// deliveries, is killed with SIGKILL part-way, and a new worker finishes them. Every
// notification must arrive, and none may be recorded as sent that the receiver never got;
// repeats are allowed only for posts in flight at the kill, which the receiver drops by
// X-Steward-Delivery.
func TestKilledWorkerLosesAndDoublesNoDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and sends 5,000 deliveries")
	}
	t.Parallel()
	const total = 5000
	const secret = "crash-test-secret-0123456789"
	ctx := context.Background()
	system := domain.WithActor(ctx, domain.System)
	began := time.Now()

	bin := filepath.Join(t.TempDir(), "steward")
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	if out, err := exec.Command(goCmd, "build", "-tags", "steward_test_loopback", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	built := time.Since(began)

	dbURL := pgtest.URL(t)
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if db.River, err = river.NewClient(riverdatabasesql.New(db.SQL), &river.Config{}); err != nil {
		t.Fatal(err)
	}

	rcv := &deliveryReceiver{secret: secret, seen: map[string]int{}}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)

	dept := &domain.Department{Name: "区营商环境建设局", Kind: domain.DepartmentBureau}
	if err := postgres.NewDepartmentService(db).CreateDepartment(system, dept); err != nil {
		t.Fatal(err)
	}
	u := &domain.User{Username: "steward1", DisplayName: "管家一", Role: domain.RoleSteward, DepartmentID: dept.ID}
	if err := postgres.NewUserService(db).CreateUser(system, u, "Kx9#mPq2-vL", false); err != nil {
		t.Fatal(err)
	}
	hooks := postgres.NewWebhookService(db)
	hooks.Targets = &domain.WebhookTargets{Loopback: true} // the receiver is on 127.0.0.1
	if err := hooks.CreateWebhook(system, &domain.Webhook{Name: "督办平台", Format: domain.WebhookJSON,
		URL: srv.URL + "/steward", Secret: secret}); err != nil {
		t.Fatal(err)
	}
	// The notifications, their deliveries and jobs, as reminders record them (urgent: quiet
	// hours would hold them until the morning).
	notifier := postgres.NewNotifier(db, postgres.WorkingTimeOf(postgres.NewCalendarService(db)))
	for batch := 0; batch < total/500; batch++ {
		if err := db.InTx(ctx, func(tx bun.Tx) error {
			for i := range 500 {
				n := domain.Notification{Kind: domain.NotifyTicketDue, Title: "诉求已到期（督办）", Body: "第 " + strconv.Itoa(batch*500+i) + " 条",
					Link: "/tickets/x", Urgent: true}
				if _, err := notifier.Notify(ctx, tx, n, []string{u.ID}, ""); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	queued := time.Since(began)

	start := func(name string) (*exec.Cmd, *syncBuffer) {
		t.Helper()
		logs := &syncBuffer{}
		cmd := exec.Command(bin, "worker", "--addr", "127.0.0.1:0")
		cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "STEWARD_SMTP_URL=", "STEWARD_BASE_URL=https://steward.example.gov.cn")
		cmd.Stdout, cmd.Stderr = logs, logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if cmd.ProcessState == nil {
				cmd.Process.Kill()
				cmd.Wait()
			}
			if t.Failed() {
				t.Logf("%s worker's log:\n%s", name, logs)
			}
		})
		return cmd, logs
	}
	waitFor := func(what string, limit time.Duration, done func() bool) {
		t.Helper()
		deadline := time.Now().Add(limit)
		for !done() {
			if time.Now().After(deadline) {
				posts, unique := rcv.counts()
				t.Fatalf("%s: not within %s (received %d posts of %d notifications)", what, limit, posts, unique)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	count := func(query string) int {
		t.Helper()
		var n int
		if err := db.SQL.QueryRowContext(ctx, query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	first, _ := start("first")
	firstStarted := time.Now()
	waitFor("the first worker delivers 1,500", time.Minute, func() bool { _, unique := rcv.counts(); return unique >= 1500 })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	killedAt := time.Now()
	firstRan := killedAt.Sub(firstStarted)
	time.Sleep(100 * time.Millisecond) // let the receiver finish the posts it was reading
	postsAtKill, uniqueAtKill := rcv.counts()
	sentAtKill := count(`SELECT count(*) FROM deliveries WHERE status = 'sent'`)
	running := count(`SELECT count(*) FROM river_job WHERE kind = 'deliver' AND state = 'running'`)

	// River rescues the jobs the dead worker left running once they have run longer than
	// RescueStuckJobsAfter and the kind's Timeout. Rather than wait that long, move them back
	// in time as if it had passed.
	if _, err := db.SQL.ExecContext(ctx, `UPDATE river_job SET attempted_at = now() - interval '1 hour' WHERE state = 'running'`); err != nil {
		t.Fatal(err)
	}
	second, _ := start("second")
	waitFor("every delivery is sent after the restart", 3*time.Minute, func() bool {
		return count(`SELECT count(*) FROM deliveries WHERE status <> 'sent'`) == 0
	})
	recovered := time.Since(killedAt)
	second.Process.Signal(syscall.SIGTERM)
	second.Wait()

	posts, unique := rcv.counts()
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if len(rcv.bad) > 0 {
		t.Errorf("%d posts with a bad signature or id, e.g. %s", len(rcv.bad), rcv.bad[0])
	}
	rows, err := db.SQL.QueryContext(ctx, `SELECT notification_id, status FROM deliveries`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	lost, deliveries := 0, 0
	for rows.Next() {
		var id, status string
		if err := rows.Scan(&id, &status); err != nil {
			t.Fatal(err)
		}
		deliveries++
		if rcv.seen[id] == 0 {
			lost++
			if lost <= 5 {
				t.Errorf("delivery %s is %s but the receiver never got it", id, status)
			}
		}
	}
	if deliveries != total || unique != total || lost != 0 {
		t.Errorf("%d deliveries, %d notifications received, %d lost; want %d, %d, 0", deliveries, unique, lost, total, total)
	}
	repeats := posts - unique
	inDoubt := uniqueAtKill - sentAtKill // received before the kill, not recorded as sent
	if repeats > jobs.DeliverWorkers {
		t.Errorf("%d repeated posts; only the %d deliveries a worker can have in flight may repeat", repeats, jobs.DeliverWorkers)
	}
	t.Logf("built in %s, queued %d in %s; killed %s after the start, after %d posts (%d notifications, %d recorded sent, %d deliver jobs left in state running); "+
		"all sent %s after the kill; received %d posts of %d notifications: %d raw repeats (%d were in doubt at the kill), %d lost",
		built.Round(time.Millisecond), total, (queued - built).Round(time.Millisecond), firstRan.Round(time.Millisecond), postsAtKill, uniqueAtKill, sentAtKill, running,
		recovered.Round(time.Millisecond), posts, unique, repeats, inDoubt, lost)
}
