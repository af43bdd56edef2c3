package domain

import (
	"context"
	"errors"
)

// QueueDeliver is the job queue deliveries are worked in, apart from reminders and imports, so
// that a slow mail server or webhook never holds those up and deliveries can be tuned alone.
const QueueDeliver = "deliver"

// DeliveryMaxAttempts bounds the tries of one delivery: with River's backoff (attempt⁴
// seconds) the last one is about an hour and a quarter after the first. A reminder is useless
// much later than that.
const DeliveryMaxAttempts = 8

// Delivery statuses.
const (
	DeliveryPending = "pending" // queued, or failed and waiting for another try
	DeliverySent    = "sent"    // handed over (SMTP accepted it, the webhook answered 2xx)
	DeliveryFailed  = "failed"  // given up: a permanent failure or the last try failed
)

// DeliveryKey names one delivery: a notification over a channel to a target, which is the
// email address for email and the webhook's id for a webhook.
type DeliveryKey struct {
	NotificationID string
	Channel        string
	Target         string
}

// Delivery is a notification to be sent over email or a webhook, with what sending it needs.
type Delivery struct {
	DeliveryKey
	Status       string
	Attempts     int
	Notification Notification
	// Webhook is the webhook a webhook delivery posts to, secret included (Deleted when an
	// administrator removed it since).
	Webhook *Webhook
	// Ticket is the ticket the notification is about, as a webhook post names it; nil for
	// email and for notifications about no ticket.
	Ticket *DeliveryTicket
}

// DeliveryTicket is all a webhook post says of a ticket, read when the post goes out. A
// webhook's posts are read by whoever is in the group chat or the receiving system, and it is
// configured by an administrator, who may not read the business (三权分立): so a post carries
// no title, description, comment, instruction or opinion — only what locates the ticket and
// its state. People follow the link and log in to read the rest.
type DeliveryTicket struct {
	Number     string
	Status     TicketStatus
	Light      Light
	Department string // the handling department's name; empty before the ticket is routed
}

// DeliveryStore is what the deliver job needs of storage.
type DeliveryStore interface {
	// Delivery re-reads a delivery with its notification and, for a webhook, the webhook. An
	// empty target finds the notification's one delivery on the channel (an email goes to the
	// address its recipient had when it was queued). ENOTFOUND when there is none.
	Delivery(ctx context.Context, notificationID, channel, target string) (*Delivery, error)
	// MarkDelivered records that the delivery was sent: status sent, one more attempt, the
	// time. A delivery already marked sent is left as it was.
	MarkDelivered(ctx context.Context, k DeliveryKey) error
	// MarkFailed records a failed attempt and why; final gives the delivery up (status failed).
	MarkFailed(ctx context.Context, k DeliveryKey, reason string, final bool) error
}

// Email is one message to one address.
type Email struct {
	To      string
	Subject string
	Text    string // the plain-text body
	HTML    string // the same as HTML
	// ID identifies the message the same way on every attempt to send it (the notification's
	// id): the mailer makes the Message-ID of it, so a message sent again after a crash is
	// recognisably the same message.
	ID string
}

// Mailer sends email.
type Mailer interface {
	// Send hands m to the mail server. An error wrapping ErrUndeliverable means that trying
	// again cannot help (an invalid address, a mailbox the server refuses).
	Send(ctx context.Context, m *Email) error
}

// ErrUndeliverable marks a delivery error that sending again cannot cure: an invalid address,
// a webhook that was deleted or refuses the post for good.
var ErrUndeliverable = errors.New("undeliverable")
