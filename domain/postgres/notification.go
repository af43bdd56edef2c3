package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"steward/domain"
	"steward/domain/calendar"
)

// NotifyChannel is the PostgreSQL channel a new notification is announced on (payload: the
// recipient's id), so that every process can push it to that user's open event streams.
const NotifyChannel = "steward_notifications"

// Notifier records notifications and queues their deliveries, always inside the transaction of
// the change or job they follow from.
type Notifier struct {
	db *DB
	// Calendar gives the working-day calendar for quiet hours.
	Calendar func(ctx context.Context) (domain.WorkingTime, error)
	// Email says whether email is configured (STEWARD_SMTP_URL); without it only the inbox and
	// webhooks are used.
	Email bool
}

// NewNotifier returns a Notifier on db.
func NewNotifier(db *DB, cal func(ctx context.Context) (domain.WorkingTime, error)) *Notifier {
	return &Notifier{db: db, Calendar: cal}
}

type notificationRow struct {
	bun.BaseModel `bun:"table:notifications,alias:n"`
	ID            string     `bun:"id,pk,type:uuid"`
	RecipientID   string     `bun:"recipient_id,type:uuid,notnull"`
	Batch         string     `bun:"batch,type:uuid,notnull"`
	Kind          string     `bun:"kind,notnull"`
	Title         string     `bun:"title,notnull"`
	Body          string     `bun:"body,notnull"`
	Link          string     `bun:"link,notnull"`
	Urgent        bool       `bun:"urgent,notnull"`
	DedupKey      *string    `bun:"dedup_key"`
	CreatedAt     time.Time  `bun:"created_at,notnull"`
	ReadAt        *time.Time `bun:"read_at"`
}

func (r *notificationRow) toDomain() *domain.Notification {
	return &domain.Notification{ID: r.ID, RecipientID: r.RecipientID, Batch: r.Batch, Kind: domain.NotificationKind(r.Kind),
		Title: r.Title, Body: r.Body, Link: r.Link, Urgent: r.Urgent, CreatedAt: r.CreatedAt, ReadAt: r.ReadAt}
}

type deliveryRow struct {
	bun.BaseModel  `bun:"table:deliveries,alias:dl"`
	NotificationID string     `bun:"notification_id,pk,type:uuid"`
	Channel        string     `bun:"channel,pk"`
	Target         string     `bun:"target,pk"`
	Status         string     `bun:"status,notnull"`
	Attempts       int        `bun:"attempts,notnull"`
	LastError      string     `bun:"last_error,notnull"`
	SentAt         *time.Time `bun:"sent_at"`
}

// Notify records n for every recipient (each once; with a dedup key, once ever per recipient
// and key) in tx, announces them to open event streams when tx commits, and queues an email per
// recipient with an address (when email is configured) and one post per matching webhook, at the
// time quiet hours allow. It returns how many notifications it recorded.
func (nf *Notifier) Notify(ctx context.Context, tx bun.Tx, n domain.Notification, recipients []string, dedupKey string) (int, error) {
	now := nf.db.Now().UTC().Truncate(time.Microsecond)
	wt, err := nf.Calendar(withTx(ctx, tx)) // read in tx: no second connection while it is open
	if err != nil {
		return 0, err
	}
	sendAt := domain.SendAt(now, n.Urgent, wt)
	batch := uuid.Must(uuid.NewV7()).String()
	seen := map[string]bool{}
	var first string
	recorded := 0
	for _, rid := range recipients {
		if rid == "" || seen[rid] {
			continue
		}
		seen[rid] = true
		r := &notificationRow{ID: uuid.Must(uuid.NewV7()).String(), RecipientID: rid, Batch: batch, Kind: string(n.Kind),
			Title: n.Title, Body: n.Body, Link: n.Link, Urgent: n.Urgent, DedupKey: nullable(dedupKey), CreatedAt: now}
		res, err := tx.NewInsert().Model(r).On("CONFLICT (recipient_id, dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING").Exec(ctx)
		if err != nil {
			return recorded, translate(err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			continue // sent before
		}
		recorded++
		if first == "" {
			first = r.ID
		}
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, NotifyChannel, rid); err != nil {
			return recorded, translate(err)
		}
		if !nf.Email {
			continue
		}
		var email string
		if err := tx.NewSelect().Table("users").Column("email").Where("id = ? AND status <> 'disabled'", rid).Scan(ctx, &email); err != nil || email == "" {
			continue
		}
		if err := nf.queue(ctx, tx, r.ID, domain.ChannelEmail, email, "", sendAt); err != nil {
			return recorded, err
		}
	}
	if first == "" {
		return 0, nil
	}
	if n.Kind.Personal() {
		return recorded, nil
	}
	var hooks []string
	if err := tx.NewSelect().Table("webhooks").Column("id").Where("active AND deleted_at IS NULL").
		Where("(cardinality(kinds) = 0 OR ? = ANY(kinds))", string(n.Kind)).Scan(ctx, &hooks); err != nil {
		return recorded, translate(err)
	}
	for _, h := range hooks {
		if err := nf.queue(ctx, tx, first, domain.ChannelWebhook, h, h, sendAt); err != nil {
			return recorded, err
		}
	}
	return recorded, nil
}

// queue records a pending delivery and inserts the job that makes it.
func (nf *Notifier) queue(ctx context.Context, tx bun.Tx, notificationID, channel, target, webhookID string, at time.Time) error {
	if _, err := tx.NewInsert().Model(&deliveryRow{NotificationID: notificationID, Channel: channel, Target: target, Status: "pending"}).
		On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return translate(err)
	}
	return nf.db.enqueue(ctx, tx, domain.DeliverArgs{NotificationID: notificationID, Channel: channel, WebhookID: webhookID},
		&river.InsertOpts{ScheduledAt: at, MaxAttempts: domain.DeliveryMaxAttempts, Queue: domain.QueueDeliver})
}

// workingTime adapts a calendar to the quiet-hours interface.
type workingTime struct{ *calendar.Calendar }

func (w workingTime) IsWorkingDayAt(t time.Time) bool { return w.IsWorkingDay(calendar.DateOf(t)) }

type txKey struct{}

// withTx marks ctx as running inside tx, so that lookups made on its behalf use the same
// connection instead of waiting for another from the pool while tx holds one.
func withTx(ctx context.Context, tx bun.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// WorkingTimeOf adapts the calendar service to quiet hours and deadlines; inside a transaction
// (withTx) it reads the calendar on that transaction.
func WorkingTimeOf(c *CalendarService) func(ctx context.Context) (domain.WorkingTime, error) {
	return func(ctx context.Context) (domain.WorkingTime, error) {
		var idb bun.IDB = c.db.Bun
		if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
			idb = tx
		}
		cal, err := c.calendarIn(ctx, idb)
		if err != nil {
			return nil, err
		}
		return workingTime{cal}, nil
	}
}

// NotificationService implements domain.NotificationService: a user's inbox.
type NotificationService struct{ db *DB }

// NewNotificationService returns a NotificationService on db.
func NewNotificationService(db *DB) *NotificationService { return &NotificationService{db: db} }

var _ domain.NotificationService = (*NotificationService)(nil)

var notificationKeyset = keyset[notificationRow]{desc: true, key: func(*notificationRow) []string { return nil },
	id: func(r *notificationRow) string { return r.ID }}

func (s *NotificationService) Notifications(ctx context.Context, unreadOnly bool, p domain.Page) (*domain.List[domain.Notification], error) {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() {
		return nil, domain.Forbidden(a, "")
	}
	q := s.db.Bun.NewSelect().Model((*notificationRow)(nil)).Where("n.recipient_id = ?", a.UserID)
	if unreadOnly {
		q = q.Where("n.read_at IS NULL")
	}
	rows, next, total, err := notificationKeyset.page(ctx, q, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, (*notificationRow).toDomain), nil
}

func (s *NotificationService) MarkRead(ctx context.Context, id string) error {
	a := domain.ActorFrom(ctx)
	if uuid.Validate(id) != nil || !a.LoggedIn() {
		return errNotFound
	}
	res, err := s.db.Bun.NewUpdate().Model((*notificationRow)(nil)).Set("read_at = coalesce(read_at, ?)", s.db.Now()).
		Where("id = ? AND recipient_id = ?", id, a.UserID).Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotFound
	}
	return nil
}

func (s *NotificationService) MarkAllRead(ctx context.Context) (int, error) {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() {
		return 0, domain.Forbidden(a, "")
	}
	res, err := s.db.Bun.NewUpdate().Model((*notificationRow)(nil)).Set("read_at = ?", s.db.Now()).
		Where("recipient_id = ? AND read_at IS NULL", a.UserID).Exec(ctx)
	if err != nil {
		return 0, translate(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func (s *NotificationService) Unread(ctx context.Context) (int, error) {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() {
		return 0, domain.Forbidden(a, "")
	}
	n, err := s.db.Bun.NewSelect().Model((*notificationRow)(nil)).Where("recipient_id = ? AND read_at IS NULL", a.UserID).Count(ctx)
	return int(n), translate(err)
}
