package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"riverqueue.com/riverui"

	"steward/api"
	"steward/domain"
	"steward/domain/postgres"
)

// notify records one notification for each recipient as the ticket clock job would, through the
// Notifier in a transaction, and returns their ids in the order of recipients.
func (b *testBundle) notify(t *testing.T, recipients ...string) []string {
	t.Helper()
	nf := postgres.NewNotifier(b.db, postgres.WorkingTimeOf(postgres.NewCalendarService(b.db)))
	n := domain.Notification{Kind: domain.NotifyTicketAssigned, Title: fmt.Sprintf("诉求 SQ-2026-%06d 已分派", b.n.Add(1)),
		Body: "请及时签收。", Link: "/tickets/0192a0c4-0000-7000-8000-000000000000"}
	err := b.db.InTx(system, func(tx bun.Tx) error {
		_, err := nf.Notify(system, tx, n, recipients, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(recipients))
	for i, r := range recipients {
		if err := b.db.Bun.NewSelect().Table("notifications").Column("id").Where("recipient_id = ?", r).
			OrderExpr("id DESC").Limit(1).Scan(system, &ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

func itemIDs(items []map[string]any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it["id"]
	}
	return out
}

func TestNotificationInbox(t *testing.T) {
	t.Parallel()
	b := setup(t)
	me, other := b.user(t, domain.RoleSteward), b.user(t, domain.RoleOfficer)
	n1 := b.notify(t, me.ID, other.ID)
	n2, n3 := b.notify(t, me.ID)[0], b.notify(t, me.ID)[0]
	c := b.login(t, me.Username)

	t.Run("ListsMineNewestFirstWithTheUnreadCount", func(t *testing.T) {
		r := c.do(t, "GET", "/api/v1/notifications", nil).want(t, 200)
		if got, want := fmt.Sprint(itemIDs(r.items())), fmt.Sprint([]any{n3, n2, n1[0]}); got != want {
			t.Fatalf("items %s, want %s", got, want)
		}
		if r.body["unread"] != 3.0 || r.body["next_cursor"] != nil {
			t.Fatalf("unread %v, next_cursor %v; want 3 and null", r.body["unread"], r.body["next_cursor"])
		}
		it := r.items()[0]
		if it["kind"] != "ticket_assigned" || !strings.HasPrefix(it["title"].(string), "诉求 SQ-2026-") || it["read_at"] != nil {
			t.Fatalf("item %v", it)
		}
		page := c.do(t, "GET", "/api/v1/notifications?limit=2", nil).want(t, 200)
		next, _ := page.body["next_cursor"].(string)
		if len(page.items()) != 2 || next == "" {
			t.Fatalf("first page of 2: %s", page.raw)
		}
		rest := c.do(t, "GET", "/api/v1/notifications?limit=2&cursor="+next, nil).want(t, 200)
		if got := itemIDs(rest.items()); len(got) != 1 || got[0] != n1[0] {
			t.Fatalf("second page %v, want [%s]", got, n1[0])
		}
	})

	t.Run("MarkReadIsIdempotentAndOnlyForMine", func(t *testing.T) {
		c.do(t, "POST", "/api/v1/notifications/"+n2+"/read", nil).want(t, 204)
		c.do(t, "POST", "/api/v1/notifications/"+n2+"/read", nil).want(t, 204)
		c.do(t, "POST", "/api/v1/notifications/"+n1[1]+"/read", nil).wantProblem(t, 404, "not_found")
		c.do(t, "POST", "/api/v1/notifications/not-an-id/read", nil).wantProblem(t, 404, "not_found")
		r := c.do(t, "GET", "/api/v1/notifications?unread=true", nil).want(t, 200)
		if got, want := fmt.Sprint(itemIDs(r.items())), fmt.Sprint([]any{n3, n1[0]}); got != want || r.body["unread"] != 2.0 {
			t.Fatalf("unread items %s (count %v), want %s (2)", got, r.body["unread"], want)
		}
	})

	t.Run("ReadAllMarksOnlyMine", func(t *testing.T) {
		r := c.do(t, "POST", "/api/v1/notifications/read-all", nil).want(t, 200)
		if r.body["updated"] != 2.0 {
			t.Fatalf("updated %v, want 2", r.body["updated"])
		}
		if r := c.do(t, "POST", "/api/v1/notifications/read-all", nil).want(t, 200); r.body["updated"] != 0.0 {
			t.Fatalf("again: updated %v, want 0", r.body["updated"])
		}
		if r := c.do(t, "GET", "/api/v1/notifications?unread=true", nil).want(t, 200); len(r.items()) != 0 || r.body["unread"] != 0.0 {
			t.Fatalf("after read-all: %s", r.raw)
		}
		theirs := b.login(t, other.Username).do(t, "GET", "/api/v1/notifications?unread=true", nil).want(t, 200)
		if got := itemIDs(theirs.items()); len(got) != 1 || got[0] != n1[1] {
			t.Fatalf("the other user's unread %v, want [%s]", got, n1[1])
		}
	})

	t.Run("EveryRoleGets404ForAnothersNotification", func(t *testing.T) {
		for _, role := range []domain.Role{domain.RoleAdmin, domain.RoleDispatcher, domain.RoleAuditor} {
			b.as(t, role).do(t, "POST", "/api/v1/notifications/"+n3+"/read", nil).wantProblem(t, 404, "not_found")
		}
	})
}

// sseEvent is one Server-Sent Event as a client sees it.
type sseEvent struct {
	id, event string
	data      map[string]any
}

// sseStream is an open GET /notifications/stream.
type sseStream struct {
	res    *http.Response
	events chan sseEvent
	cancel context.CancelFunc
}

// stream opens the caller's notification stream and reads its events in the background.
func (c *client) stream(t *testing.T, headers ...string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", c.b.srv.URL+"/api/v1/notifications/stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	s := &sseStream{res: res, events: make(chan sseEvent, 100), cancel: cancel}
	t.Cleanup(s.close)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("stream: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		var data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if data != "" {
					_ = json.Unmarshal([]byte(data), &ev.data)
					s.events <- ev
				}
				ev, data = sseEvent{}, ""
			case strings.HasPrefix(line, "id: "):
				ev.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "event: "):
				ev.event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data += strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return s
}

func (s *sseStream) close() {
	s.cancel()
	s.res.Body.Close()
}

// next returns the next event, failing the test when none comes within d.
func (s *sseStream) next(t *testing.T, d time.Duration) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(d):
		t.Fatalf("no event within %s", d)
	}
	return sseEvent{}
}

// none fails the test when an event comes within d.
func (s *sseStream) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if ok {
			t.Fatalf("unexpected event %+v", ev)
		}
	case <-time.After(d):
	}
}

func TestNotificationStream(t *testing.T) {
	t.Parallel()
	b := setup(t)

	t.Run("DeliversMyNewNotificationsOnly", func(t *testing.T) {
		me, other := b.user(t, domain.RoleSteward), b.user(t, domain.RoleSteward)
		before := b.notify(t, me.ID)[0]
		s := b.login(t, me.Username).stream(t)
		theirs := b.notify(t, other.ID)[0]
		mine := b.notify(t, me.ID)[0]
		ev := s.next(t, 15*time.Second)
		if ev.id != mine || ev.event != "notification" || ev.data["id"] != mine || ev.data["kind"] != "ticket_assigned" {
			t.Fatalf("event %+v, want notification %s (not %s from before, nor %s of another user)", ev, mine, before, theirs)
		}
		if ev.data["read_at"] != nil || ev.data["link"] != "/tickets/0192a0c4-0000-7000-8000-000000000000" {
			t.Fatalf("event data %v, want it as the list has it", ev.data)
		}
		// One transaction for several recipients: each stream gets its own, once.
		both := b.notify(t, other.ID, me.ID)
		if ev := s.next(t, 15*time.Second); ev.id != both[1] {
			t.Fatalf("event %s, want %s", ev.id, both[1])
		}
		s.none(t, 300*time.Millisecond)
	})

	t.Run("LastEventIDReplaysWhatWasMissed", func(t *testing.T) {
		me := b.user(t, domain.RoleLeader)
		c := b.login(t, me.Username)
		s := c.stream(t)
		first := b.notify(t, me.ID)[0]
		if ev := s.next(t, 15*time.Second); ev.id != first {
			t.Fatalf("event %s, want %s", ev.id, first)
		}
		s.close()
		missed := []string{b.notify(t, me.ID)[0], b.notify(t, me.ID)[0]}
		s = c.stream(t, "Last-Event-ID", first)
		for _, want := range missed {
			if ev := s.next(t, 15*time.Second); ev.id != want {
				t.Fatalf("replayed %s, want %s", ev.id, want)
			}
		}
		later := b.notify(t, me.ID)[0]
		if ev := s.next(t, 15*time.Second); ev.id != later {
			t.Fatalf("event %s, want %s", ev.id, later)
		}
		s.none(t, 300*time.Millisecond)
	})

	t.Run("ALateCommitIsStillDelivered", func(t *testing.T) {
		// Ids grow in the order notifications are created, not committed: one created first
		// may become visible after a later one has been sent.
		me := b.user(t, domain.RoleSteward)
		s := b.login(t, me.Username).stream(t)
		slow, err := b.db.Bun.BeginTx(system, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer slow.Rollback()
		nf := postgres.NewNotifier(b.db, postgres.WorkingTimeOf(postgres.NewCalendarService(b.db)))
		if _, err := nf.Notify(system, slow, domain.Notification{Kind: domain.NotifyTicketDue, Title: "督办：诉求已到期"}, []string{me.ID}, ""); err != nil {
			t.Fatal(err)
		}
		fast := b.notify(t, me.ID)[0]
		if ev := s.next(t, 15*time.Second); ev.id != fast {
			t.Fatalf("event %s, want %s", ev.id, fast)
		}
		if err := slow.Commit(); err != nil {
			t.Fatal(err)
		}
		ev := s.next(t, 15*time.Second)
		if ev.data["kind"] != "ticket_due" || ev.id >= fast {
			t.Fatalf("event %+v, want the earlier-created ticket_due notification", ev)
		}
		s.none(t, 300*time.Millisecond)
	})

	t.Run("NeedsALogin", func(t *testing.T) {
		b.anonymous().do(t, "GET", "/api/v1/notifications/stream", nil, "Accept", "text/event-stream").wantProblem(t, 401, "unauthenticated")
	})

	t.Run("RefusesAMalformedLastEventID", func(t *testing.T) {
		c := b.as(t, domain.RoleOfficer)
		c.do(t, "GET", "/api/v1/notifications/stream", nil, "Last-Event-ID", "42").wantProblem(t, 422, "validation_failed")
	})
}

// customServer serves the test database with a Config of the test's own, logged in as b's users.
func customServer(t *testing.T, b *testBundle, cfg api.Config) (*testBundle, *api.Server) {
	t.Helper()
	cfg.Auth = b.auth
	h := api.New(cfg)
	c := &testBundle{db: b.db, auth: b.auth, bureau: b.bureau, srv: httptest.NewServer(h)}
	t.Cleanup(c.srv.Close)
	t.Cleanup(h.CloseStreams)
	return c, h
}

func TestNotificationStreamEndsAtShutdown(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hub := postgres.NewNotificationHub(b.db, nil)
	hub.Start(context.Background())
	t.Cleanup(hub.Stop)
	srv, h := customServer(t, b, api.Config{Notifications: postgres.NewNotificationService(b.db), NotificationFeed: hub})
	u := b.user(t, domain.RoleDispatcher)
	s := srv.login(t, u.Username).stream(t)
	for deadline := time.Now().Add(10 * time.Second); hub.Subscribers() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the stream did not subscribe")
		}
	}
	h.CloseStreams()
	select {
	case _, ok := <-s.events:
		if ok {
			t.Fatal("an event instead of the end")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the stream did not end when the server shut down")
	}
	for deadline := time.Now().Add(10 * time.Second); hub.Subscribers() != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the ended stream is still subscribed")
		}
	}
}

func TestRiverUI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ui, err := riverui.NewHandler(&riverui.HandlerOpts{Endpoints: riverui.NewEndpoints(b.db.River, nil),
		Logger: slog.New(slog.DiscardHandler), Prefix: api.RiverUIPath})
	if err != nil {
		t.Fatal(err)
	}
	if err := ui.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv, _ := customServer(t, b, api.Config{RiverUI: ui})
	admin := b.user(t, domain.RoleAdmin)

	t.Run("AnAdminGetsTheUIFromTheEmbeddedBundle", func(t *testing.T) {
		c := srv.login(t, admin.Username)
		r := c.do(t, "GET", "/admin/river/", nil).want(t, 200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(r.raw), `<div id="root"`) {
			t.Fatalf("Content-Type %q, body %s", ct, r.raw)
		}
		if strings.Contains(string(r.raw), "://") && regexp.MustCompile(`(src|href)="https?://`).Match(r.raw) {
			t.Fatalf("the page loads something from elsewhere: %s", r.raw)
		}
		script := regexp.MustCompile(`src="(/admin/river/assets/[^"]+\.js)"`).FindSubmatch(r.raw)
		if script == nil {
			t.Fatalf("no script under /admin/river/assets/ in %s", r.raw)
		}
		if js := c.do(t, "GET", string(script[1]), nil).want(t, 200); !strings.Contains(js.Header.Get("Content-Type"), "javascript") || len(js.raw) < 1000 {
			t.Fatalf("%s: %s, %d bytes", script[1], js.Header.Get("Content-Type"), len(js.raw))
		}
		// Its API reads the queue through the program's own River client and pool.
		if r := c.do(t, "GET", "/admin/river/api/states", nil).want(t, 200); !strings.Contains(string(r.raw), "available") {
			t.Fatalf("states: %s", r.raw)
		}
	})

	t.Run("EveryoneElseGets404", func(t *testing.T) {
		callers := map[string]*client{
			"anonymous":  srv.anonymous(),
			"dispatcher": srv.login(t, b.user(t, domain.RoleDispatcher).Username),
			"auditor":    srv.login(t, b.user(t, domain.RoleAuditor).Username),
		}
		// An admin's API token is for scripts, not for the job queue's web UI.
		token := srv.login(t, admin.Username).do(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "script"}).want(t, 201).body["token"].(string)
		callers["admin with a token"] = &client{b: srv, http: http.DefaultClient, bearer: token}
		for who, c := range callers {
			for _, path := range []string{"/admin/river/", "/admin/river", "/admin/river/api/states", "/admin/river/assets/x.js"} {
				if r := c.do(t, "GET", path, nil); r.StatusCode != 404 || strings.Contains(string(r.raw), "root") {
					t.Errorf("%s: GET %s = %d %s, want 404", who, path, r.StatusCode, r.raw)
				}
			}
			if r := c.do(t, "POST", "/admin/river/api/jobs/cancel", map[string]any{"job_ids": []string{"1"}}); r.StatusCode != 404 {
				t.Errorf("%s: cancel jobs = %d %s, want 404", who, r.StatusCode, r.raw)
			}
		}
	})

	t.Run("NotConfiguredIs404EvenForAnAdmin", func(t *testing.T) {
		c := b.login(t, admin.Username)
		if r := c.do(t, "GET", "/admin/river/", nil); r.StatusCode != 404 {
			t.Fatalf("GET /admin/river/ = %d, want 404", r.StatusCode)
		}
	})
}

func TestAnOpenStreamDoesNotKeepAnIdleSessionAlive(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.as(t, domain.RoleSteward)
	b.advance(20 * time.Minute)
	c.stream(t).close() // the browser's event stream reconnecting, with nobody at the keyboard
	b.advance(15 * time.Minute)
	c.do(t, "GET", "/api/v1/me", nil).wantProblem(t, 401, "unauthenticated")
}
