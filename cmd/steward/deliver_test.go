package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
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

// TestReliabilityKilledWorker is DESIGN.md §7's "kill -9 of a worker loses no reminder and
// duplicates no notification" for deliveries: the real binary works 10,000 webhook deliveries
// (2,000 in the quick mode) and is killed with SIGKILL three times part-way; a new worker
// finishes them. Every notification must arrive, none may be recorded as sent that the receiver
// never got, no job may be left running, and repeats are allowed only for posts in flight at a
// kill, which the receiver drops by X-Steward-Delivery.
func TestReliabilityKilledWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and sends thousands of deliveries")
	}
	t.Parallel()
	total := sized(2000, 10000)
	const kills = 3
	const secret = "crash-test-secret-0123456789"
	ctx := context.Background()
	system := domain.WithActor(ctx, domain.System)
	began := time.Now()
	stewardBinary(t)
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

	count := func(query string) int {
		t.Helper()
		var n int
		if err := db.SQL.QueryRowContext(ctx, query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	env := []string{"DATABASE_URL=" + dbURL}
	var killedAfter []string
	inDoubt := 0
	for k := 1; k <= kills; k++ {
		w := startProc(t, "worker "+strconv.Itoa(k), env, "worker", "--addr", "127.0.0.1:0")
		target := k * total / (kills + 1)
		waitUntil(t, "worker "+strconv.Itoa(k)+" delivers "+strconv.Itoa(target), 2*time.Minute, func() bool {
			_, unique := rcv.counts()
			return unique >= target
		})
		w.kill()
		// Let the receiver finish reading the posts that were on the wire (bounded: it reads
		// at most DeliverWorkers of them).
		settle := time.Now().Add(2 * time.Second)
		for prev := -1; time.Now().Before(settle); time.Sleep(50 * time.Millisecond) {
			posts, _ := rcv.counts()
			if posts == prev {
				break
			}
			prev = posts
		}
		_, unique := rcv.counts()
		sent := count(`SELECT count(*) FROM deliveries WHERE status = 'sent'`)
		running := count(`SELECT count(*) FROM river_job WHERE kind = 'deliver' AND state = 'running'`)
		inDoubt += max(0, unique-sent)
		killedAfter = append(killedAfter, fmt.Sprintf("kill %d after %d notifications received, %d recorded sent, %d jobs left running", k, unique, sent, running))
		// River rescues the jobs the dead worker left running once they have run longer than
		// RescueStuckJobsAfter and the kind's Timeout. Rather than wait that long, move them
		// back in time as if it had passed.
		if _, err := db.SQL.ExecContext(ctx, `UPDATE river_job SET attempted_at = now() - interval '1 hour' WHERE state = 'running'`); err != nil {
			t.Fatal(err)
		}
	}
	lastKill := time.Now()
	last := startProc(t, "the last worker", env, "worker", "--addr", "127.0.0.1:0")
	waitUntil(t, "every delivery is sent after the restarts", 3*time.Minute, func() bool {
		return count(`SELECT count(*) FROM deliveries WHERE status <> 'sent'`) == 0
	})
	recovered := time.Since(lastKill)
	if err := last.terminate(t, time.Minute); err != nil {
		t.Errorf("the last worker exited with %v", err)
	}

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
	if n := count(`SELECT count(*) FROM notifications`); n != total {
		t.Errorf("%d notifications recorded, want %d: a job ran twice and notified twice", n, total)
	}
	if n := count(`SELECT count(*) FROM river_job WHERE kind = 'deliver' AND state NOT IN ('completed')`); n != 0 {
		t.Errorf("%d deliver jobs not completed (running, retryable or discarded) at the end", n)
	}
	repeats := posts - unique
	if repeats > kills*jobs.DeliverWorkers {
		t.Errorf("%d repeated posts; only the %d deliveries a worker can have in flight at each of %d kills may repeat", repeats, jobs.DeliverWorkers, kills)
	}
	t.Logf("FIGURE killed-worker: %d deliveries, %d SIGKILLs; built in %s, queued in %s; %s; all sent %s after the last kill; "+
		"received %d posts of %d notifications: %d raw repeats (%d in doubt at the kills), %d lost, 0 left running",
		total, kills, built.Round(time.Millisecond), (queued - built).Round(time.Millisecond), strings.Join(killedAfter, "; "),
		recovered.Round(time.Millisecond), posts, unique, repeats, inDoubt, lost)
}
