package postgres

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun/dialect/pgdialect"

	"steward/domain"
)

// ListenerName is the application_name of the hub's LISTEN connection, so that an operator finds
// it in pg_stat_activity.
const ListenerName = "steward notifications"

// Reconnection backoff of the hub's LISTEN connection.
const (
	hubMinBackoff = 250 * time.Millisecond
	hubMaxBackoff = 30 * time.Second
)

// NotificationHub implements domain.NotificationFeed for a whole process: one dedicated
// connection LISTENs on NotifyChannel, where the Notifier announces each new notification with
// its recipient's id when its transaction commits (in whichever process), and the hub wakes that
// recipient's subscribers. When the connection drops, the hub reconnects with backoff and then
// wakes every subscriber, since announcements made meanwhile are lost; subscribers re-read what
// is new from the table, which is the truth, so nothing is lost with them.
type NotificationHub struct {
	db  *DB
	log *slog.Logger

	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{} // by recipient id

	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan struct{}
}

var _ domain.NotificationFeed = (*NotificationHub)(nil)

// NewNotificationHub returns a hub on db; it listens once started.
func NewNotificationHub(db *DB, log *slog.Logger) *NotificationHub {
	if log == nil {
		log = slog.Default()
	}
	return &NotificationHub{db: db, log: log, subs: map[string]map[chan struct{}]struct{}{}}
}

// Start starts listening in the background, until Stop is called or ctx is done. Start returns
// at once; until the connection is made, subscribers simply hear nothing (and are woken when it
// is).
func (h *NotificationHub) Start(ctx context.Context) {
	ctx, h.cancel = context.WithCancel(ctx)
	h.done = make(chan struct{})
	go h.run(ctx)
}

// Stop stops listening, closes the connection and waits for both.
func (h *NotificationHub) Stop() {
	h.stopOnce.Do(func() {
		if h.cancel != nil {
			h.cancel()
			<-h.done
		}
	})
}

func (h *NotificationHub) run(ctx context.Context) {
	defer close(h.done)
	backoff := hubMinBackoff
	for {
		began := time.Now()
		err := h.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(began) > time.Minute {
			backoff = hubMinBackoff // it was up for a while: this is a new outage
		}
		wait := backoff/2 + rand.N(backoff/2+1) // jitter, so that processes do not reconnect in step
		h.log.Warn("notification listener lost its database connection; reconnecting", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		backoff = min(2*backoff, hubMaxBackoff)
	}
}

// listen holds one LISTEN connection until it fails or ctx is done. The connection is taken out
// of the pool for good (Hijack): a connection that listened must never serve queries again.
func (h *NotificationHub) listen(ctx context.Context) error {
	pc, err := h.db.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	conn := pc.Hijack()
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = conn.Close(cctx)
		cancel()
	}()
	if _, err := conn.Exec(ctx, "SELECT set_config('application_name', $1, false)", ListenerName); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		return err
	}
	// Whatever was announced while nobody listened is found by reading: wake everyone.
	h.wakeAll()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		h.wake(n.Payload)
	}
}

// Subscribe implements domain.NotificationFeed.
func (h *NotificationHub) Subscribe(recipientID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[recipientID] == nil {
		h.subs[recipientID] = map[chan struct{}]struct{}{}
	}
	h.subs[recipientID][ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.subs[recipientID], ch)
			if len(h.subs[recipientID]) == 0 {
				delete(h.subs, recipientID)
			}
		})
	}
}

// Subscribers counts the open subscriptions.
func (h *NotificationHub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, s := range h.subs {
		n += len(s)
	}
	return n
}

func (h *NotificationHub) wake(recipientID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[recipientID] {
		signal(ch)
	}
}

func (h *NotificationHub) wakeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.subs {
		for ch := range s {
			signal(ch)
		}
	}
}

// signal leaves a signal in ch unless one is pending already; it never blocks the listener.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Latest implements domain.NotificationFeed.
func (h *NotificationHub) Latest(ctx context.Context) (string, error) {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() {
		return "", domain.Forbidden(a, "read notifications")
	}
	var ids []string
	err := h.db.Bun.NewSelect().Model((*notificationRow)(nil)).Column("id").Where("recipient_id = ?", a.UserID).
		OrderExpr("id DESC").Limit(1).Scan(ctx, &ids)
	if err != nil {
		return "", translate(err)
	}
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], nil
}

// NewNotifications implements domain.NotificationFeed.
func (h *NotificationHub) NewNotifications(ctx context.Context, w domain.NotificationWindow, limit int) ([]domain.Notification, error) {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() {
		return nil, domain.Forbidden(a, "read notifications")
	}
	limit = domain.Page{Limit: limit}.Normalize().Limit
	var rows []notificationRow
	q := h.db.Bun.NewSelect().Model(&rows).Where("n.recipient_id = ?", a.UserID)
	if w.After != "" {
		if uuid.Validate(w.After) != nil {
			return nil, domain.Errorf(domain.EINVALID, "%q is not a notification id", w.After)
		}
		q = q.Where("n.id > ?", w.After)
	}
	if !w.Since.IsZero() {
		q = q.Where("n.created_at >= ?", w.Since)
	}
	if len(w.Skip) > 0 {
		q = q.Where("NOT (n.id = ANY (?::uuid[]))", pgdialect.Array(w.Skip))
	}
	if err := q.OrderExpr("n.id").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Notification, len(rows))
	for i := range rows {
		out[i] = *rows[i].toDomain()
	}
	return out, nil
}
