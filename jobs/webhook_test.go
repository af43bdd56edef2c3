package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"

	"steward/domain"
	"steward/domain/postgres"
)

// TestWebhookPostsCarryNoBusinessText: a leader's instruction (批示) goes to a webhook that takes
// every kind, and the post names the kind, the ticket's number, status, light and department
// and a link — not the instruction, the ticket's title or its description, which the
// administrator who set the webhook up may not read.
func TestWebhookPostsCarryNoBusinessText(t *testing.T) {
	t.Parallel()
	const instruction = "请供电公司本周内上门核实扩容方案并反馈"
	d := newDistrict(t)
	system := domain.WithActor(context.Background(), domain.System)
	var mu sync.Mutex
	var bodies []string
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		fmt.Fprint(&b, r.URL.Path, "\n")
		buf := make([]byte, 64<<10)
		n, _ := r.Body.Read(buf)
		b.Write(buf[:n])
		mu.Lock()
		bodies = append(bodies, b.String())
		mu.Unlock()
		fmt.Fprint(w, `{"errcode":0}`)
	}))
	t.Cleanup(rcv.Close)
	hooks := postgres.NewWebhookService(d.db)
	hooks.Targets = testTargets
	formats := map[domain.WebhookFormat]*domain.Webhook{}
	for _, f := range domain.WebhookFormats {
		h := &domain.Webhook{Name: "群 " + string(f), Format: f, URL: rcv.URL + "/" + string(f), Secret: "json-secret-0123456789"}
		if err := hooks.CreateWebhook(system, h); err != nil {
			t.Fatal(err)
		}
		formats[f] = h
	}

	tk := &domain.Ticket{EnterpriseID: d.ent.ID, CategoryID: "01900000-0000-7000-8000-000000000001",
		Title: "二期厂房用电扩容", Description: "企业二期厂房需要扩容至2000千伏安，希望尽快确定接入方案。"}
	if _, err := d.tickets.CreateTicket(as(d.steward), tk, "", ""); err != nil {
		t.Fatal(err)
	}
	var err error
	if tk, err = d.tickets.Act(as(d.dispatcher), tk.ID, 1, domain.TicketAction{Name: "accept"}); err != nil {
		t.Fatal(err)
	}
	if tk, err = d.tickets.Act(as(d.dispatcher), tk.ID, 2, domain.TicketAction{Name: "assign", Department: d.dept.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.tickets.Instruct(as(d.leader), tk.ID, instruction); err != nil {
		t.Fatal(err)
	}

	// Work every webhook delivery of the instruction.
	w := rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{}, newDeliverWorker(Deps{
		Logger: slog.New(slog.DiscardHandler), Deliveries: postgres.NewDeliveryStore(d.db), BaseURL: testBaseURL, WebhookTargets: testTargets}))
	rows, err := d.db.SQL.Query(`SELECT dl.notification_id, dl.target FROM deliveries dl JOIN notifications n ON n.id = dl.notification_id
		WHERE dl.channel = 'webhook' AND n.kind = 'ticket_instruction'`)
	if err != nil {
		t.Fatal(err)
	}
	var args []domain.DeliverArgs
	for rows.Next() {
		var a domain.DeliverArgs
		rows.Scan(&a.NotificationID, &a.WebhookID)
		a.Channel = domain.ChannelWebhook
		args = append(args, a)
	}
	rows.Close()
	if len(args) != len(formats) {
		t.Fatalf("%d webhook deliveries of the instruction, want one per webhook (%d)", len(args), len(formats))
	}
	for _, a := range args {
		tx, err := d.db.SQL.BeginTx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := w.Work(context.Background(), t, tx, a, nil)
		tx.Commit()
		if err != nil || res.Job.State != rivertype.JobStateCompleted {
			t.Fatalf("deliver: %v %+v", err, res)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != len(formats) {
		t.Fatalf("%d posts, want %d", len(bodies), len(formats))
	}
	for _, b := range bodies {
		for _, secret := range []string{instruction, "本周", tk.Title, tk.Description, "扩容", "领导批示："} {
			if strings.Contains(b, secret) {
				t.Errorf("a post carries business text %q: %s", secret, b)
			}
		}
		if !strings.Contains(b, tk.Number) || !strings.Contains(b, "/tickets/"+tk.ID) {
			t.Errorf("a post does not name the ticket and link to it: %s", b)
		}
		if path, body, _ := strings.Cut(b, "\n"); path == "/json" {
			var p map[string]any
			json.Unmarshal([]byte(body), &p)
			if p["kind"] != "ticket_instruction" || p["ticket_number"] != tk.Number || p["status"] != "assigned" ||
				p["light"] != string(tk.Light(d.db.Now())) || p["department"] != d.dept.Name || p["link"] != testBaseURL+"/tickets/"+tk.ID {
				t.Errorf("json post %s", b)
			}
		} else if !strings.Contains(b, "领导批示待办理") || !strings.Contains(b, "已分派") || !strings.Contains(b, d.dept.Name) {
			t.Errorf("robot post %s", b)
		}
	}
}

// flipResolver answers the first look-up of every name with first and later ones with then,
// as a DNS server an attacker controls would (DNS rebinding).
type flipResolver struct {
	first, then netip.Addr
	calls       atomic.Int32
}

func (r *flipResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if r.calls.Add(1) == 1 {
		return []netip.Addr{r.first}, nil
	}
	return []netip.Addr{r.then}, nil
}

func TestWebhooksReachNoForbiddenAddressWhenPosting(t *testing.T) {
	t.Parallel()
	n := domain.Notification{Kind: domain.NotifyTicketDue, Title: "诉求已到期", Link: "/tickets/x", Urgent: true}
	args := func(id string, h *domain.Webhook) domain.DeliverArgs {
		return domain.DeliverArgs{NotificationID: id, Channel: domain.ChannelWebhook, WebhookID: h.ID}
	}
	// worker works with targets that do not permit loopback, as every real process does.
	worker := func(t *testing.T, b *deliverBundle, targets *domain.WebhookTargets) *rivertest.Worker[domain.DeliverArgs, *sql.Tx] {
		return rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{}, newDeliverWorker(Deps{
			Logger: slog.New(slog.DiscardHandler), Deliveries: b.store, BaseURL: testBaseURL, WebhookTargets: targets}))
	}

	t.Run("ANameThatResolvesElsewhereLaterIsRefusedAtDialTime", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		rcv := startReceiver(t)
		port := rcv.Listener.Addr().(*net.TCPAddr).Port
		// At creation the name resolves to an intranet address the configuration allows; when
		// the post goes out it resolves to the loopback receiver.
		res := &flipResolver{first: netip.MustParseAddr("10.9.9.9"), then: netip.MustParseAddr("127.0.0.1")}
		targets := &domain.WebhookTargets{Allow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, Resolver: res}
		b.hooks.Targets = targets
		h := b.webhook(t, domain.WebhookJSON, fmt.Sprintf("http://hooks.example.gov.cn:%d/steward", port), "json-secret-0123456789")
		id := b.notify(t, n)
		b.worker = worker(t, b, targets)
		wantEvent(t, b.work(t, args(id, h), nil), river.EventKindJobCancelled, rivertype.JobStateCancelled)
		if len(rcv.received()) != 0 {
			t.Fatal("the post reached the loopback receiver")
		}
		if d := b.delivery(t, id, domain.ChannelWebhook); d.Status != domain.DeliveryFailed || !strings.Contains(d.LastError, "loopback") {
			t.Fatalf("delivery: %+v", d)
		}
	})

	t.Run("AnAddressThatPassedCreationIsRefusedByTheDialler", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t) // created with loopback permitted, as a test may
		rcv := startReceiver(t)
		h := b.webhook(t, domain.WebhookJSON, rcv.URL+"/steward", "json-secret-0123456789")
		id := b.notify(t, n)
		b.worker = worker(t, b, &domain.WebhookTargets{Allow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
		wantEvent(t, b.work(t, args(id, h), nil), river.EventKindJobCancelled, rivertype.JobStateCancelled)
		if len(rcv.received()) != 0 {
			t.Fatal("the post reached 127.0.0.1")
		}
	})

	t.Run("AReceiversErrorBodyIsNotKept", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		const secretBody = "internal error: db password=Hunter2-Secret at 10.0.0.7"
		var posts atomic.Int32
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			posts.Add(1)
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, secretBody)
		}))
		t.Cleanup(rcv.Close)
		h := b.webhook(t, domain.WebhookDingTalk, rcv.URL+"/robot/send?access_token=tok-9f8e7d6c5b4a", "")
		id := b.notify(t, n)
		res := b.work(t, args(id, h), &river.InsertOpts{MaxAttempts: domain.DeliveryMaxAttempts})
		wantRetry(t, res)
		if posts.Load() != 1 {
			t.Fatalf("%d posts, want 1", posts.Load())
		}
		var errs []string
		for _, e := range res.Job.Errors {
			errs = append(errs, e.Error)
		}
		kept := strings.Join(errs, "\n") + "\n" + b.delivery(t, id, domain.ChannelWebhook).LastError
		if !strings.Contains(kept, "500") {
			t.Errorf("the errors do not say the status: %s", kept)
		}
		for _, leak := range []string{"Hunter2", "password", "tok-9f8e7d6c5b4a"} {
			if strings.Contains(kept, leak) {
				t.Errorf("the job's errors keep %q: %s", leak, kept)
			}
		}
	})
}
