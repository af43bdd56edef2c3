package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"steward/domain"
)

// deliverWorker sends one notification over one channel: an email to its recipient, or a post to
// one webhook (DESIGN.md §3, §4).
//
// None lost, none doubled — in effect. The deliveries row and this job were written in the
// transaction that recorded the notification, so a delivery exists exactly when its notification
// does. The worker re-reads the row and does nothing when it is settled already (sent, or given
// up); otherwise it sends and then marks the row sent. A process killed between those two steps
// leaves the row pending and the job running; River rescues the job and the retry sends again.
// That repeat is why every post carries X-Steward-Delivery and every email the same Message-ID:
// the receiver drops what it has seen. No other path sends twice.
//
// Failures are retried with River's backoff up to the job's MaxAttempts (8, set when queued);
// the last failed try marks the row failed. Failures no retry can cure — the webhook was
// deleted, the address is invalid, the receiver refuses the post (4xx but 429) — mark it failed
// at once and cancel the job.
type deliverWorker struct {
	river.WorkerDefaults[domain.DeliverArgs]
	deps  Deps
	hooks *webhookSender
}

func newDeliverWorker(deps Deps) *deliverWorker {
	return &deliverWorker{deps: deps, hooks: newWebhookSender(deps.WebhookTargets)}
}

// deliverTimeout bounds one try: a webhook answers within webhookTimeout, a mail server within
// a few of smtpTimeout's exchanges. It also tells River when a try that a dead process left
// running may be rescued.
const deliverTimeout = 30 * time.Second

func (w *deliverWorker) Timeout(*river.Job[domain.DeliverArgs]) time.Duration { return deliverTimeout }

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[domain.DeliverArgs]) error {
	args := job.Args
	store := w.deps.Deliveries
	d, err := store.Delivery(ctx, args.NotificationID, args.Channel, args.WebhookID)
	switch {
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		return river.JobCancel(fmt.Errorf("no %s delivery of notification %s", args.Channel, args.NotificationID))
	case err != nil:
		return err
	case d.Status != domain.DeliveryPending:
		return nil // sent already (a repeated job), or given up
	}

	sendErr := w.send(ctx, d)
	// Settle the row even when the try ran out of time: what was sent must be recorded.
	settle, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if sendErr == nil {
		if err := store.MarkDelivered(settle, d.DeliveryKey); err != nil {
			// Sent but not recorded: the retry sends it again and the receiver drops the repeat.
			return fmt.Errorf("record the delivery of notification %s: %w", d.NotificationID, err)
		}
		return nil
	}
	permanent := errors.Is(sendErr, domain.ErrUndeliverable)
	final := permanent || job.Attempt >= job.MaxAttempts
	if err := store.MarkFailed(settle, d.DeliveryKey, sendErr.Error(), final); err != nil {
		w.deps.Logger.Error("record a failed delivery", "notification_id", d.NotificationID, "channel", d.Channel, "err", err)
	}
	w.deps.Logger.Warn("delivery failed", "notification_id", d.NotificationID, "channel", d.Channel,
		"attempt", job.Attempt, "final", final, "err", sendErr)
	if permanent {
		return river.JobCancel(sendErr)
	}
	return sendErr
}

func (w *deliverWorker) send(ctx context.Context, d *domain.Delivery) error {
	link := absoluteLink(w.deps.BaseURL, d.Notification.Link)
	switch d.Channel {
	case domain.ChannelEmail:
		if w.deps.Mailer == nil {
			return fmt.Errorf("email is not configured (STEWARD_SMTP_URL): %w", domain.ErrUndeliverable)
		}
		return w.deps.Mailer.Send(ctx, composeEmail(d.Target, &d.Notification, link))
	case domain.ChannelWebhook:
		return w.hooks.post(ctx, d.Webhook, d, link)
	}
	return fmt.Errorf("unknown channel %q: %w", d.Channel, domain.ErrUndeliverable)
}

// absoluteLink makes a web-app path a link people can follow from a mail or a chat. Without a
// base URL it stays a path.
func absoluteLink(base, path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	base = strings.TrimRight(base, "/")
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return base + path
}

// urgentMark prefixes the titles of urgent notifications.
const urgentMark = "【紧急】"

// displayTitle is a notification's title as a message shows it.
func displayTitle(n *domain.Notification) string {
	if n.Urgent {
		return urgentMark + n.Title
	}
	return n.Title
}
