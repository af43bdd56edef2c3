package postgres

import (
	"context"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"steward/domain"
)

// DeliveryStore implements domain.DeliveryStore: the deliveries rows the Notifier queues, as the
// deliver job reads and settles them.
type DeliveryStore struct{ db *DB }

// NewDeliveryStore returns a DeliveryStore on db.
func NewDeliveryStore(db *DB) *DeliveryStore { return &DeliveryStore{db: db} }

var _ domain.DeliveryStore = (*DeliveryStore)(nil)

// deliveryView is a delivery joined with its notification and, for a webhook, the webhook: one
// query per job.
type deliveryView struct {
	Target   string `bun:"target"`
	Status   string `bun:"status"`
	Attempts int    `bun:"attempts"`

	ID          string     `bun:"id"`
	RecipientID string     `bun:"recipient_id"`
	Batch       string     `bun:"batch"`
	Kind        string     `bun:"kind"`
	Title       string     `bun:"title"`
	Body        string     `bun:"body"`
	Link        string     `bun:"link"`
	Urgent      bool       `bun:"urgent"`
	CreatedAt   time.Time  `bun:"created_at"`
	ReadAt      *time.Time `bun:"read_at"`

	WebhookID        *string    `bun:"w_id"`
	WebhookName      *string    `bun:"w_name"`
	WebhookFormat    *string    `bun:"w_format"`
	WebhookURL       *string    `bun:"w_url"`
	WebhookSecret    *string    `bun:"w_secret"`
	WebhookKinds     []string   `bun:"w_kinds,array"`
	WebhookActive    *bool      `bun:"w_active"`
	WebhookCreatedAt *time.Time `bun:"w_created_at"`
	WebhookDeletedAt *time.Time `bun:"w_deleted_at"`
}

func (s *DeliveryStore) Delivery(ctx context.Context, notificationID, channel, target string) (*domain.Delivery, error) {
	if uuid.Validate(notificationID) != nil {
		return nil, errNotFound
	}
	var v deliveryView
	err := s.db.Bun.NewRaw(`
		SELECT dl.target, dl.status, dl.attempts,
			n.id, n.recipient_id, n.batch, n.kind, n.title, n.body, n.link, n.urgent, n.created_at, n.read_at,
			w.id AS w_id, w.name AS w_name, w.format AS w_format, w.url AS w_url, w.secret AS w_secret,
			w.kinds AS w_kinds, w.active AS w_active, w.created_at AS w_created_at, w.deleted_at AS w_deleted_at
		FROM deliveries dl
		JOIN notifications n ON n.id = dl.notification_id
		LEFT JOIN webhooks w ON dl.channel = 'webhook' AND w.id::text = dl.target
		WHERE dl.notification_id = ? AND dl.channel = ? AND (? = '' OR dl.target = ?)
		ORDER BY dl.target
		LIMIT 1`, notificationID, channel, target, target).Scan(ctx, &v)
	if err != nil {
		return nil, translate(err)
	}
	d := &domain.Delivery{
		DeliveryKey: domain.DeliveryKey{NotificationID: notificationID, Channel: channel, Target: v.Target},
		Status:      v.Status, Attempts: v.Attempts,
		Notification: domain.Notification{ID: v.ID, RecipientID: v.RecipientID, Batch: v.Batch, Kind: domain.NotificationKind(v.Kind),
			Title: v.Title, Body: v.Body, Link: v.Link, Urgent: v.Urgent, CreatedAt: v.CreatedAt, ReadAt: v.ReadAt},
	}
	if channel == domain.ChannelWebhook {
		if v.WebhookID == nil { // a webhook row is never removed, but say so if it were
			d.Webhook = &domain.Webhook{ID: v.Target, Deleted: true}
		} else {
			r := &webhookRow{ID: *v.WebhookID, Name: deref(v.WebhookName), Format: deref(v.WebhookFormat), URL: deref(v.WebhookURL),
				Secret: deref(v.WebhookSecret), Kinds: v.WebhookKinds, Active: v.WebhookActive != nil && *v.WebhookActive,
				DeletedAt: v.WebhookDeletedAt}
			if v.WebhookCreatedAt != nil {
				r.CreatedAt = *v.WebhookCreatedAt
			}
			d.Webhook = r.toDomain()
		}
		if d.Ticket, err = s.ticketOf(ctx, v.Link); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// ticketLink finds the ticket a notification's link opens (/tickets/<id>, /portal/tickets/<id>).
var ticketLink = regexp.MustCompile(`^/(?:portal/)?tickets/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?#]|$)`)

// ticketOf reads what a webhook post says of the ticket link opens: its number, status, light
// now and department. nil when link opens no ticket (or one that is gone).
func (s *DeliveryStore) ticketOf(ctx context.Context, link string) (*domain.DeliveryTicket, error) {
	m := ticketLink.FindStringSubmatch(link)
	if m == nil {
		return nil, nil
	}
	now := s.db.Now()
	var r struct {
		Number     string `bun:"number"`
		Status     string `bun:"status"`
		Light      string `bun:"light"`
		Department string `bun:"department"`
	}
	err := s.db.Bun.NewRaw(`SELECT t.number, t.status, `+lightSQL+` AS light, coalesce(d.name, '') AS department
		FROM tickets t LEFT JOIN departments d ON d.id = t.department_id WHERE t.id = ?`, now, now, m[1]).Scan(ctx, &r)
	if domain.ErrorCode(translate(err)) == domain.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, translate(err)
	}
	return &domain.DeliveryTicket{Number: r.Number, Status: domain.TicketStatus(r.Status), Light: domain.Light(r.Light), Department: r.Department}, nil
}

func (s *DeliveryStore) MarkDelivered(ctx context.Context, k domain.DeliveryKey) error {
	_, err := s.db.Bun.NewUpdate().Model((*deliveryRow)(nil)).
		Set("status = ?", domain.DeliverySent).Set("attempts = attempts + 1").Set("last_error = ''").
		Set("sent_at = ?", s.db.Now().UTC().Truncate(time.Microsecond)).
		Where("notification_id = ? AND channel = ? AND target = ?", k.NotificationID, k.Channel, k.Target).
		Where("status <> ?", domain.DeliverySent).Exec(ctx)
	return translate(err)
}

// maxDeliveryError is how much of an error a delivery keeps (a mail server's or webhook's answer).
const maxDeliveryError = 1000

func (s *DeliveryStore) MarkFailed(ctx context.Context, k domain.DeliveryKey, reason string, final bool) error {
	if len(reason) > maxDeliveryError {
		reason = reason[:maxDeliveryError]
		for !utf8.ValidString(reason) {
			reason = reason[:len(reason)-1]
		}
	}
	status := domain.DeliveryPending
	if final {
		status = domain.DeliveryFailed
	}
	_, err := s.db.Bun.NewUpdate().Model((*deliveryRow)(nil)).
		Set("status = ?", status).Set("attempts = attempts + 1").Set("last_error = ?", reason).
		Where("notification_id = ? AND channel = ? AND target = ?", k.NotificationID, k.Channel, k.Target).
		Where("status = ?", domain.DeliveryPending).Exec(ctx)
	return translate(err)
}
