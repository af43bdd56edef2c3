package jobs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

const testBaseURL = "https://steward.example.gov.cn"

// deliverBundle is a database with a steward who has an email address, the Notifier, and the
// deliver worker with a mailer speaking to an SMTP server in the test.
type deliverBundle struct {
	db       *postgres.DB
	notifier *postgres.Notifier
	store    *postgres.DeliveryStore
	hooks    *postgres.WebhookService
	smtp     *smtpServer
	worker   *rivertest.Worker[domain.DeliverArgs, *sql.Tx]
	user     *domain.User
}

func setupDeliver(t *testing.T) *deliverBundle {
	t.Helper()
	db := pgtest.New(t)
	system := domain.WithActor(context.Background(), domain.System)
	dept := &domain.Department{Name: "区营商环境建设局", Kind: domain.DepartmentBureau}
	if err := postgres.NewDepartmentService(db).CreateDepartment(system, dept); err != nil {
		t.Fatal(err)
	}
	u := &domain.User{Username: "steward1", DisplayName: "管家一", Role: domain.RoleSteward, DepartmentID: dept.ID, Email: "wang.li@example.gov.cn"}
	if err := postgres.NewUserService(db).CreateUser(system, u, "Kx9#mPq2-vL", false); err != nil {
		t.Fatal(err)
	}
	smtp := startSMTP(t)
	mailer, err := NewSMTPMailer("smtp://" + smtp.addr + "?from=steward@example.gov.cn&tls=none")
	if err != nil {
		t.Fatal(err)
	}
	b := &deliverBundle{db: db, store: postgres.NewDeliveryStore(db), hooks: postgres.NewWebhookService(db), smtp: smtp, user: u}
	b.hooks.Targets = testTargets // the receivers listen on 127.0.0.1
	b.notifier = postgres.NewNotifier(db, postgres.WorkingTimeOf(postgres.NewCalendarService(db)))
	b.notifier.Email = true
	b.worker = rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{}, newDeliverWorker(Deps{
		Logger: slog.New(slog.DiscardHandler), Deliveries: b.store, Mailer: mailer, BaseURL: testBaseURL, WebhookTargets: testTargets}))
	return b
}

// testTargets let webhooks reach the tests' receivers on 127.0.0.1, which no configuration can.
var testTargets = &domain.WebhookTargets{Loopback: true}

// notify records a notification for the steward as a reminder job would, and returns its id.
func (b *deliverBundle) notify(t *testing.T, n domain.Notification) string {
	t.Helper()
	if err := b.db.InTx(context.Background(), func(tx bun.Tx) error {
		_, err := b.notifier.Notify(context.Background(), tx, n, []string{b.user.ID}, "")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := b.db.SQL.QueryRow(`SELECT id FROM notifications ORDER BY id DESC LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (b *deliverBundle) webhook(t *testing.T, format domain.WebhookFormat, url, secret string) *domain.Webhook {
	t.Helper()
	h := &domain.Webhook{Name: "测试 " + string(format), Format: format, URL: url, Secret: secret}
	if err := b.hooks.CreateWebhook(domain.WithActor(context.Background(), domain.System), h); err != nil {
		t.Fatal(err)
	}
	return h
}

// work runs the deliver job once (a job of its own, as River would run the queued one).
func (b *deliverBundle) work(t *testing.T, args domain.DeliverArgs, opts *river.InsertOpts) *rivertest.WorkResult {
	t.Helper()
	return b.workJob(t, func(tx *sql.Tx) (*rivertest.WorkResult, error) {
		return b.worker.Work(context.Background(), t, tx, args, opts)
	})
}

func (b *deliverBundle) workJob(t *testing.T, run func(tx *sql.Tx) (*rivertest.WorkResult, error)) *rivertest.WorkResult {
	t.Helper()
	tx, err := b.db.SQL.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Commit()
	res, err := run(tx)
	if err != nil && res == nil {
		t.Fatal(err)
	}
	return res
}

type deliveryState struct {
	Status    string
	Attempts  int
	LastError string
	Sent      bool
}

func (b *deliverBundle) delivery(t *testing.T, notificationID, channel string) deliveryState {
	t.Helper()
	var d deliveryState
	if err := b.db.SQL.QueryRow(`SELECT status, attempts, last_error, sent_at IS NOT NULL FROM deliveries WHERE notification_id = $1 AND channel = $2`,
		notificationID, channel).Scan(&d.Status, &d.Attempts, &d.LastError, &d.Sent); err != nil {
		t.Fatal(err)
	}
	return d
}

func wantEvent(t *testing.T, res *rivertest.WorkResult, kind river.EventKind, state rivertype.JobState) {
	t.Helper()
	if res.EventKind != kind || res.Job.State != state {
		t.Fatalf("job ended %s in state %s, want %s in %s; errors %+v", res.EventKind, res.Job.State, kind, state, res.Job.Errors)
	}
}

// wantRetry checks that a job failed and will be tried again (River makes a retry due within
// seconds available at once).
func wantRetry(t *testing.T, res *rivertest.WorkResult) {
	t.Helper()
	if res.EventKind != river.EventKindJobFailed || (res.Job.State != rivertype.JobStateRetryable && res.Job.State != rivertype.JobStateAvailable) {
		t.Fatalf("job ended %s in state %s, want a failure to retry; errors %+v", res.EventKind, res.Job.State, res.Job.Errors)
	}
}

func TestDeliverEmail(t *testing.T) {
	t.Parallel()
	n := domain.Notification{Kind: domain.NotifyTicketDue, Title: "诉求 SQ-2026-000123 已到期（督办）",
		Body: "甲有限公司的用电报装诉求已到办结时限。\n请尽快办理。", Link: "/tickets/0192a0c4-0000-7000-8000-000000000001", Urgent: true}

	t.Run("SendsTitleBodyAndLinkWithAStableMessageID", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		id := b.notify(t, n)
		if d := b.delivery(t, id, domain.ChannelEmail); d.Status != domain.DeliveryPending {
			t.Fatalf("queued delivery: %+v", d)
		}
		res := b.work(t, domain.DeliverArgs{NotificationID: id, Channel: domain.ChannelEmail}, nil)
		wantEvent(t, res, river.EventKindJobCompleted, rivertype.JobStateCompleted)

		msgs := b.smtp.messages()
		if len(msgs) != 1 {
			t.Fatalf("%d messages, want 1", len(msgs))
		}
		m := msgs[0]
		if len(m.to) != 1 || m.to[0] != "wang.li@example.gov.cn" || m.from != "steward@example.gov.cn" {
			t.Fatalf("envelope from %q to %v", m.from, m.to)
		}
		msg, err := mail.ReadMessage(strings.NewReader(string(m.data)))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if subject != "【项目管家】【紧急】"+n.Title {
			t.Errorf("Subject %q", subject)
		}
		if got, want := msg.Header.Get("Message-ID"), "<notification."+id+"@example.gov.cn>"; got != want {
			t.Errorf("Message-ID %q, want %q", got, want)
		}
		if to, _ := msg.Header.AddressList("To"); len(to) != 1 || to[0].Address != "wang.li@example.gov.cn" {
			t.Errorf("To %v", to)
		}
		parts := mimeParts(t, msg)
		link := testBaseURL + n.Link
		text, html := parts["text/plain"], parts["text/html"]
		for _, want := range []string{n.Title, "甲有限公司的用电报装诉求已到办结时限。", "请尽快办理。", link} {
			if !strings.Contains(text, want) {
				t.Errorf("the plain text lacks %q:\n%s", want, text)
			}
			if !strings.Contains(html, want) {
				t.Errorf("the HTML lacks %q:\n%s", want, html)
			}
		}
		if !strings.Contains(html, `<a href="`+link+`">`) {
			t.Errorf("the HTML has no link:\n%s", html)
		}
		if d := b.delivery(t, id, domain.ChannelEmail); d.Status != domain.DeliverySent || d.Attempts != 1 || !d.Sent {
			t.Fatalf("delivery after sending: %+v", d)
		}

		// The job runs again (a retry after a crash past the send): nothing is sent twice.
		res = b.work(t, domain.DeliverArgs{NotificationID: id, Channel: domain.ChannelEmail}, nil)
		wantEvent(t, res, river.EventKindJobCompleted, rivertype.JobStateCompleted)
		if k := len(b.smtp.messages()); k != 1 {
			t.Fatalf("%d messages after the job ran twice, want 1", k)
		}
	})

	t.Run("ARefusedRecipientIsGivenUpAtOnce", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		b.smtp.refuseRecipients.Store(true)
		id := b.notify(t, n)
		res := b.work(t, domain.DeliverArgs{NotificationID: id, Channel: domain.ChannelEmail}, nil)
		wantEvent(t, res, river.EventKindJobCancelled, rivertype.JobStateCancelled)
		if d := b.delivery(t, id, domain.ChannelEmail); d.Status != domain.DeliveryFailed || !strings.Contains(d.LastError, "550") {
			t.Fatalf("delivery: %+v", d)
		}
	})

	t.Run("WithoutEmailConfiguredNoEmailIsQueued", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		b.notifier.Email = false
		id := b.notify(t, n)
		var k int
		if err := b.db.SQL.QueryRow(`SELECT count(*) FROM deliveries WHERE notification_id = $1`, id).Scan(&k); err != nil || k != 0 {
			t.Fatalf("%d deliveries (%v), want none", k, err)
		}
	})
}

// mimeParts returns the decoded text parts of a message by content type.
func mimeParts(t *testing.T, msg *mail.Message) map[string]string {
	t.Helper()
	out := map[string]string{}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		t.Fatalf("Content-Type %q: want multipart/alternative", msg.Header.Get("Content-Type"))
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = p
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(p)
		} else if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
			body = base64.NewDecoder(base64.StdEncoding, p)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[ct] = string(b)
	}
	return out
}

// receiver is a webhook endpoint in the test: it records every post and answers with the
// statuses it is given, then 200.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	posts   []post
	answers []int
}

type post struct {
	query  url.Values
	header http.Header
	body   []byte
}

func startReceiver(t *testing.T, answers ...int) *receiver {
	t.Helper()
	r := &receiver{answers: answers}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.posts = append(r.posts, post{query: req.URL.Query(), header: req.Header.Clone(), body: body})
		status := http.StatusOK
		if len(r.answers) > 0 {
			status, r.answers = r.answers[0], r.answers[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
		fmt.Fprint(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) received() []post {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]post(nil), r.posts...)
}

func TestDeliverWebhook(t *testing.T) {
	t.Parallel()
	n := domain.Notification{Kind: domain.NotifyTicketEscalate, Title: "诉求 SQ-2026-000123 超期2个工作日（通报）",
		Body: "承办部门：区供电公司。[点此](http://evil.example) 查看", Link: "/tickets/0192a0c4-0000-7000-8000-000000000002", Urgent: true}
	args := func(id string, h *domain.Webhook) domain.DeliverArgs {
		return domain.DeliverArgs{NotificationID: id, Channel: domain.ChannelWebhook, WebhookID: h.ID}
	}
	const secret = "json-secret-0123456789"

	t.Run("JSONIsSignedWithTheSecret", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		rcv := startReceiver(t)
		h := b.webhook(t, domain.WebhookJSON, rcv.URL+"/steward", secret)
		id := b.notify(t, n)
		wantEvent(t, b.work(t, args(id, h), nil), river.EventKindJobCompleted, rivertype.JobStateCompleted)
		posts := rcv.received()
		if len(posts) != 1 {
			t.Fatalf("%d posts, want 1", len(posts))
		}
		p := posts[0]
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(p.body)
		if got, want := p.header.Get("X-Steward-Signature"), "sha256="+fmt.Sprintf("%x", mac.Sum(nil)); got != want {
			t.Errorf("X-Steward-Signature %q, want %q", got, want)
		}
		if p.header.Get("X-Steward-Delivery") != id {
			t.Errorf("X-Steward-Delivery %q, want %s", p.header.Get("X-Steward-Delivery"), id)
		}
		var body map[string]any
		if err := json.Unmarshal(p.body, &body); err != nil {
			t.Fatal(err)
		}
		created, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(body["created_at"]))
		// The ticket of the link does not exist: the post names the kind and the link only.
		if body["id"] != id || body["kind"] != "ticket_escalate" || body["link"] != testBaseURL+n.Link ||
			body["urgent"] != true || created.IsZero() || len(body) != 5 {
			t.Errorf("body %s", p.body)
		}
		if d := b.delivery(t, id, domain.ChannelWebhook); d.Status != domain.DeliverySent || d.Attempts != 1 {
			t.Fatalf("delivery: %+v", d)
		}
	})

	t.Run("DingTalkIsMarkdownSignedInTheQuery", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		rcv := startReceiver(t)
		const dingSecret = "SEC0123456789abcdef0123456789abcdef"
		h := b.webhook(t, domain.WebhookDingTalk, rcv.URL+"/robot/send?access_token=abc123", dingSecret)
		id := b.notify(t, n)
		wantEvent(t, b.work(t, args(id, h), nil), river.EventKindJobCompleted, rivertype.JobStateCompleted)
		p := rcv.received()[0]
		ts := p.query.Get("timestamp")
		ms, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || time.Since(time.UnixMilli(ms)).Abs() > time.Minute {
			t.Fatalf("timestamp %q", ts)
		}
		mac := hmac.New(sha256.New, []byte(dingSecret))
		mac.Write([]byte(ts + "\n" + dingSecret))
		if got, want := p.query.Get("sign"), base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != want {
			t.Errorf("sign %q, want %q", got, want)
		}
		if p.query.Get("access_token") != "abc123" || p.header.Get("X-Steward-Delivery") != id {
			t.Errorf("query %v, X-Steward-Delivery %q", p.query, p.header.Get("X-Steward-Delivery"))
		}
		var body struct {
			MsgType  string `json:"msgtype"`
			Markdown struct{ Title, Text string }
		}
		if err := json.Unmarshal(p.body, &body); err != nil {
			t.Fatal(err)
		}
		if body.MsgType != "markdown" || body.Markdown.Title != "【紧急】诉求超期通报" ||
			!strings.Contains(body.Markdown.Text, "#### 【紧急】诉求超期通报") ||
			!strings.Contains(body.Markdown.Text, "[在项目管家中查看]("+testBaseURL+n.Link+")") {
			t.Errorf("body %s", p.body)
		}
		if strings.Contains(body.Markdown.Text, "SQ-2026-000123") || strings.Contains(body.Markdown.Text, "点此") {
			t.Errorf("the post carries the notification's text: %s", body.Markdown.Text)
		}
	})

	t.Run("WeComIsMarkdown", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		rcv := startReceiver(t)
		h := b.webhook(t, domain.WebhookWeCom, rcv.URL+"/cgi-bin/webhook/send?key=k1", "")
		id := b.notify(t, n)
		wantEvent(t, b.work(t, args(id, h), nil), river.EventKindJobCompleted, rivertype.JobStateCompleted)
		p := rcv.received()[0]
		var body struct {
			MsgType  string `json:"msgtype"`
			Markdown struct{ Content string }
		}
		if err := json.Unmarshal(p.body, &body); err != nil {
			t.Fatal(err)
		}
		if body.MsgType != "markdown" || !strings.Contains(body.Markdown.Content, "**【紧急】诉求超期通报**") ||
			strings.Contains(body.Markdown.Content, "承办部门：区供电公司。") ||
			!strings.Contains(body.Markdown.Content, "[在项目管家中查看]("+testBaseURL+n.Link+")") ||
			p.query.Get("key") != "k1" || p.header.Get("X-Steward-Delivery") != id {
			t.Errorf("post %v %s", p.query, p.body)
		}
	})

	t.Run("ARetryAfterA500DeliversOnce", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		rcv := startReceiver(t, http.StatusInternalServerError)
		h := b.webhook(t, domain.WebhookJSON, rcv.URL, secret)
		id := b.notify(t, n)
		first := b.work(t, args(id, h), &river.InsertOpts{MaxAttempts: domain.DeliveryMaxAttempts})
		wantRetry(t, first)
		if d := b.delivery(t, id, domain.ChannelWebhook); d.Status != domain.DeliveryPending || d.Attempts != 1 || !strings.Contains(d.LastError, "500") {
			t.Fatalf("delivery after the 500: %+v", d)
		}
		second := b.workJob(t, func(tx *sql.Tx) (*rivertest.WorkResult, error) {
			return b.worker.WorkJob(context.Background(), t, tx, first.Job)
		})
		wantEvent(t, second, river.EventKindJobCompleted, rivertype.JobStateCompleted)
		if d := b.delivery(t, id, domain.ChannelWebhook); d.Status != domain.DeliverySent || d.Attempts != 2 || d.LastError != "" {
			t.Fatalf("delivery after the retry: %+v", d)
		}
		// The job runs once more, as after a crash before River recorded it done.
		b.work(t, args(id, h), nil)
		if posts := rcv.received(); len(posts) != 2 {
			t.Fatalf("%d posts, want 2: the refused one and the delivery", len(posts))
		}
	})

	t.Run("TheLastFailedTryGivesUp", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		rcv := startReceiver(t, http.StatusBadGateway)
		h := b.webhook(t, domain.WebhookJSON, rcv.URL, secret)
		id := b.notify(t, n)
		wantEvent(t, b.work(t, args(id, h), &river.InsertOpts{MaxAttempts: 1}), river.EventKindJobFailed, rivertype.JobStateDiscarded)
		if d := b.delivery(t, id, domain.ChannelWebhook); d.Status != domain.DeliveryFailed || d.Attempts != 1 {
			t.Fatalf("delivery: %+v", d)
		}
	})

	t.Run("A4xxOtherThan429IsPermanent", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		rcv := startReceiver(t, http.StatusTooManyRequests, http.StatusForbidden)
		h := b.webhook(t, domain.WebhookJSON, rcv.URL, secret)
		id := b.notify(t, n)
		first := b.work(t, args(id, h), nil)
		wantRetry(t, first)
		second := b.workJob(t, func(tx *sql.Tx) (*rivertest.WorkResult, error) {
			return b.worker.WorkJob(context.Background(), t, tx, first.Job)
		})
		wantEvent(t, second, river.EventKindJobCancelled, rivertype.JobStateCancelled)
		if d := b.delivery(t, id, domain.ChannelWebhook); d.Status != domain.DeliveryFailed || !strings.Contains(d.LastError, "403") {
			t.Fatalf("delivery: %+v", d)
		}
	})

	t.Run("ADeletedWebhookGetsNothing", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		rcv := startReceiver(t)
		h := b.webhook(t, domain.WebhookJSON, rcv.URL, secret)
		id := b.notify(t, n)
		if err := b.hooks.DeleteWebhook(domain.WithActor(context.Background(), domain.System), h.ID); err != nil {
			t.Fatal(err)
		}
		wantEvent(t, b.work(t, args(id, h), nil), river.EventKindJobCancelled, rivertype.JobStateCancelled)
		if len(rcv.received()) != 0 {
			t.Fatal("a deleted webhook received a post")
		}
		if d := b.delivery(t, id, domain.ChannelWebhook); d.Status != domain.DeliveryFailed {
			t.Fatalf("delivery: %+v", d)
		}
	})

	t.Run("NoRedirectToAnotherHost", func(t *testing.T) {
		t.Parallel()
		b := setupDeliver(t)
		elsewhere := startReceiver(t)
		redirect := httptest.NewServer(http.RedirectHandler(elsewhere.URL, http.StatusTemporaryRedirect))
		t.Cleanup(redirect.Close)
		h := b.webhook(t, domain.WebhookJSON, redirect.URL, secret)
		id := b.notify(t, n)
		wantEvent(t, b.work(t, args(id, h), nil), river.EventKindJobCancelled, rivertype.JobStateCancelled)
		if len(elsewhere.received()) != 0 {
			t.Fatal("the post followed a redirect to another host")
		}
	})
}

func TestDeliveriesKeepQuietHours(t *testing.T) {
	t.Parallel()
	b := setupDeliver(t)
	rcv := startReceiver(t)
	b.webhook(t, domain.WebhookWeCom, rcv.URL, "")
	for _, tc := range []struct {
		name, at, want string
		urgent         bool
	}{
		{"AnEveningNotificationWaitsForHalfPastEight", "2026-03-10 19:00", "2026-03-11 08:30", false},
		{"AFridayEveningOneWaitsForMonday", "2026-03-13 19:00", "2026-03-16 08:30", false},
		{"WorkingHoursGoAtOnce", "2026-03-10 10:15", "2026-03-10 10:15", false},
		{"UrgentGoesAtOnce", "2026-03-10 19:00", "2026-03-10 19:00", true},
	} {
		at := shanghai(t, tc.at)
		b.db.Now = func() time.Time { return at }
		id := b.notify(t, domain.Notification{Kind: domain.NotifyTicketWarn, Title: tc.name, Urgent: tc.urgent})
		rows, err := b.db.SQL.Query(`SELECT args->>'channel', scheduled_at, queue, max_attempts FROM river_job
			WHERE kind = 'deliver' AND args->>'notification_id' = $1`, id)
		if err != nil {
			t.Fatal(err)
		}
		channels := map[string]bool{}
		for rows.Next() {
			var channel, queue string
			var scheduled time.Time
			var maxAttempts int
			if err := rows.Scan(&channel, &scheduled, &queue, &maxAttempts); err != nil {
				t.Fatal(err)
			}
			channels[channel] = true
			if want := shanghai(t, tc.want); !scheduled.Equal(want) || queue != domain.QueueDeliver || maxAttempts != domain.DeliveryMaxAttempts {
				t.Errorf("%s: %s job scheduled at %s in queue %s with %d attempts, want %s in %s with %d", tc.name, channel,
					scheduled.In(domain.Shanghai).Format("2006-01-02 15:04"), queue, maxAttempts, tc.want, domain.QueueDeliver, domain.DeliveryMaxAttempts)
			}
		}
		rows.Close()
		if !channels[domain.ChannelEmail] || !channels[domain.ChannelWebhook] || len(channels) != 2 {
			t.Errorf("%s: deliver jobs for %v, want email and webhook", tc.name, channels)
		}
	}
}

func shanghai(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// smtpServer speaks just enough SMTP for a client to hand it messages: EHLO/HELO, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT. It keeps what it received.
type smtpServer struct {
	addr string
	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	msgs []smtpMessage
	// refuseRecipients answers 550 to every RCPT.
	refuseRecipients atomic.Bool
}

type smtpMessage struct {
	from string
	to   []string
	data []byte
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{addr: ln.Addr().String(), ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *smtpServer) messages() []smtpMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMessage(nil), s.msgs...)
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 localhost ESMTP test")
	var cur smtpMessage
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			tp.PrintfLine("250-localhost")
			tp.PrintfLine("250 8BITMIME")
		case "HELO", "NOOP":
			tp.PrintfLine("250 OK")
		case "RSET":
			cur = smtpMessage{}
			tp.PrintfLine("250 OK")
		case "MAIL":
			cur = smtpMessage{from: address(arg)}
			tp.PrintfLine("250 OK")
		case "RCPT":
			if s.refuseRecipients.Load() {
				tp.PrintfLine("550 5.1.1 no such mailbox")
				continue
			}
			cur.to = append(cur.to, address(arg))
			tp.PrintfLine("250 OK")
		case "DATA":
			tp.PrintfLine("354 go ahead")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			cur.data = data
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			cur = smtpMessage{}
			tp.PrintfLine("250 OK queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 not implemented")
		}
	}
}

// address takes the address out of "FROM:<a@b> BODY=8BITMIME".
func address(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	a, _, _ := strings.Cut(rest, ">")
	return a
}
