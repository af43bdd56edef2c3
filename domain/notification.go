package domain

import (
	"context"
	"time"
)

// NotificationKind says what a notification is about.
type NotificationKind string

// Notification kinds.
const (
	NotifyTicketWarn     NotificationKind = "ticket_warn"        // a clock has a working day left
	NotifyTicketDue      NotificationKind = "ticket_due"         // a clock fell due (督办)
	NotifyTicketEscalate NotificationKind = "ticket_escalate"    // two working days overdue (通报)
	NotifyTicketAssigned NotificationKind = "ticket_assigned"    // routed to the recipient's department
	NotifyInstruction    NotificationKind = "ticket_instruction" // a leader's instruction to answer
	NotifyTicketOpinion  NotificationKind = "ticket_opinion"     // a co-handling department gave the lead its opinion
	NotifyRatingReminder NotificationKind = "rating_reminder"    // please rate the resolved ticket
	NotifyVisitDue       NotificationKind = "visit_due"          // visits due or overdue
	NotifyLeaderDigest   NotificationKind = "leader_digest"      // the weekly digest
	NotifyProjectRed     NotificationKind = "project_red"        // a project's progress light turned red
	NotifyAccountLocked  NotificationKind = "account_locked"     // failed logins locked the recipient's account
)

// Personal tells a kind that concerns only its recipient (a lockout of their own account, an
// enterprise's own request moving): it
// goes to their inbox and email, never to a webhook's group chat, whatever the webhook's kinds.
func (k NotificationKind) Personal() bool {
	return k == NotifyAccountLocked || k == NotifyTicketProgress // an enterprise's own request
}

// Channels a notification goes out on; in-app always, the others as configured.
const (
	ChannelInApp   = "inapp"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// Notification is one message to one user. Every notification is in the in-app inbox at once;
// email and webhooks follow the quiet hours unless Urgent.
type Notification struct {
	ID          string
	RecipientID string
	// Batch groups the notifications of one event (one webhook post per event, not per person).
	Batch     string
	Kind      NotificationKind
	Title     string
	Body      string
	Link      string // a path in the web app, e.g. /tickets/…
	Urgent    bool
	CreatedAt time.Time
	ReadAt    *time.Time
}

// WorkingTime is the calendar knowledge quiet hours need.
type WorkingTime interface {
	WorkingDays
	// IsWorkingDayAt reports whether t falls on a working day (Asia/Shanghai).
	IsWorkingDayAt(t time.Time) bool
}

// Quiet hours (DESIGN.md §3): email and webhooks go out 08:30–18:00 on working days.
const (
	QuietEndsHour, QuietEndsMinute = 8, 30
	QuietStartsHour                = 18
)

// SendAt is when an email or webhook for a notification created at now may go out: at once when
// urgent or within working hours, otherwise at 08:30 of the next working morning.
func SendAt(now time.Time, urgent bool, wt WorkingTime) time.Time {
	if urgent {
		return now
	}
	local := now.In(Shanghai)
	y, m, d := local.Date()
	opens := time.Date(y, m, d, QuietEndsHour, QuietEndsMinute, 0, 0, Shanghai)
	closes := time.Date(y, m, d, QuietStartsHour, 0, 0, 0, Shanghai)
	if wt.IsWorkingDayAt(now) {
		switch {
		case local.Before(opens):
			return opens
		case local.Before(closes):
			return now
		}
	}
	next := wt.Deadline(now, 1).In(Shanghai) // 18:00 of the next working day
	y, m, d = next.Date()
	return time.Date(y, m, d, QuietEndsHour, QuietEndsMinute, 0, 0, Shanghai)
}

// NotificationService is a user's inbox.
type NotificationService interface {
	// Notifications lists the actor's notifications, newest first.
	Notifications(ctx context.Context, unreadOnly bool, p Page) (*List[Notification], error)
	// MarkRead marks one of the actor's notifications read; ENOTFOUND for another's.
	MarkRead(ctx context.Context, id string) error
	// MarkAllRead marks all the actor's notifications read and returns how many changed.
	MarkAllRead(ctx context.Context) (int, error)
	// Unread counts the actor's unread notifications.
	Unread(ctx context.Context) (int, error)
}
