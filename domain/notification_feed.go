package domain

import (
	"context"
	"time"
)

// NotificationFeed tells a user's open event streams (GET /notifications/stream) about their new
// notifications, whichever process recorded them, and reads what a stream has not sent yet.
type NotificationFeed interface {
	// Subscribe returns a channel that is signalled when a notification for the user recipientID
	// has been committed, in this process or another, and also when the feed has regained its
	// connection to the database after losing it (notifications may have been missed meanwhile).
	// Signals are coalesced: one pending signal stands for any number of notifications, so the
	// subscriber reads what is new rather than counting signals. stop ends the subscription.
	Subscribe(recipientID string) (wake <-chan struct{}, stop func())
	// Latest returns the id of the actor's newest notification, or "" when they have none: where
	// a stream that is not resuming starts.
	Latest(ctx context.Context) (string, error)
	// NewNotifications lists the actor's notifications in w, oldest first, at most limit.
	NewNotifications(ctx context.Context, w NotificationWindow, limit int) ([]Notification, error)
}

// NotificationWindow selects the notifications an event stream has not sent yet.
//
// Notification ids grow in the order notifications are created, not in the order their
// transactions commit: a notification created a moment before another may become visible after
// it. A stream therefore does not just ask for ids after the last one it sent; it asks again for
// everything created within NotificationLookback of the newest notification it sent, skipping the
// ones it has sent, so a late commit is still delivered.
type NotificationWindow struct {
	// After is the last notification the client already had when the stream started (its
	// Last-Event-ID, or the newest one then); only later ids are returned. Empty: any.
	After string
	// Since, unless zero, returns only notifications created at or after it.
	Since time.Time
	// Skip are the ids the stream has sent already.
	Skip []string
}

// NotificationLookback is how long before the newest notification a stream has sent it still
// looks for notifications committed late (long transactions, clocks of processes apart).
const NotificationLookback = 2 * time.Minute
