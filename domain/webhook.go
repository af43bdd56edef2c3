package domain

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// WebhookFormat is the shape of the posts a webhook receives.
type WebhookFormat string

// Webhook formats.
const (
	// WebhookDingTalk posts to a DingTalk group robot (钉钉群机器人) in its markdown format, signed
	// (加签) when the robot has a secret.
	WebhookDingTalk WebhookFormat = "dingtalk"
	// WebhookWeCom posts to a WeCom group robot (企业微信群机器人) in its markdown format.
	WebhookWeCom WebhookFormat = "wecom"
	// WebhookJSON posts Steward's own JSON, signed with X-Steward-Signature.
	WebhookJSON WebhookFormat = "json"
)

// WebhookFormats lists every format.
var WebhookFormats = []WebhookFormat{WebhookDingTalk, WebhookWeCom, WebhookJSON}

// webhookKinds are the notification kinds a webhook may be limited to.
var webhookKinds = []NotificationKind{NotifyTicketWarn, NotifyTicketDue, NotifyTicketEscalate, NotifyTicketAssigned,
	NotifyInstruction, NotifyRatingReminder, NotifyVisitDue, NotifyLeaderDigest, NotifyProjectRed}

// Limits of a webhook's fields.
const (
	WebhookMinJSONSecret = 16 // a generic JSON webhook's signing secret, at least
	WebhookMaxSecret     = 200
	WebhookMaxURL        = 2000
)

// Webhook is an outgoing post of notifications to another system (a group chat robot, a
// government platform), configured by an administrator.
type Webhook struct {
	ID     string
	Name   string
	Format WebhookFormat
	// URL is where posts go: http or https, at an address WebhookTargets permits (intranet
	// ranges only when configured).
	URL string
	// Secret signs the posts: DingTalk's 加签 secret, or the HMAC key of a JSON webhook.
	Secret string
	// Kinds limits the webhook to these notification kinds; empty means every kind. Whatever
	// the kind, a post names it, the ticket's number, status, light and department, and a link
	// — never what people wrote (see WebhookMessage).
	Kinds     []NotificationKind
	CreatedBy string
	CreatedAt time.Time
	// Deleted: an administrator removed the webhook; nothing more is posted to it.
	Deleted bool
}

// Validate normalizes the webhook's fields and reports every invalid one; the URL's host must be
// an address targets permit (a host name is resolved).
func (w *Webhook) Validate(ctx context.Context, targets *WebhookTargets) error {
	var v Validation
	w.Name = strings.TrimSpace(w.Name)
	n := utf8.RuneCountInString(w.Name)
	v.Check(n >= 1 && n <= 100, "name", "must be 1 to 100 characters")
	v.Check(oneOf(w.Format, WebhookFormats), "format", "must be one of dingtalk, wecom, json")
	w.URL = strings.TrimSpace(w.URL)
	if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		v.Add("url", "must be an http or https address")
	} else {
		v.Check(len(w.URL) <= WebhookMaxURL, "url", "must be at most %d characters", WebhookMaxURL)
		if err := targets.CheckURL(ctx, w.URL); err != nil {
			v.Add("url", "may not be reached: %s", strings.TrimSuffix(err.Error(), ": "+ErrForbiddenTarget.Error()))
		}
	}
	w.Secret = strings.TrimSpace(w.Secret)
	v.Check(len(w.Secret) <= WebhookMaxSecret, "secret", "must be at most %d characters", WebhookMaxSecret)
	if w.Format == WebhookJSON {
		v.Check(len(w.Secret) >= WebhookMinJSONSecret, "secret", "a JSON webhook needs a signing secret of at least %d characters", WebhookMinJSONSecret)
	}
	var kinds []NotificationKind
	for i, k := range w.Kinds {
		if !oneOf(k, webhookKinds) {
			v.Add("kinds["+strconv.Itoa(i)+"]", "is not a notification kind")
		} else if !oneOf(k, kinds) {
			kinds = append(kinds, k)
		}
	}
	w.Kinds = kinds
	return v.Err()
}

// Wants reports whether the webhook takes notifications of kind k.
func (w *Webhook) Wants(k NotificationKind) bool { return len(w.Kinds) == 0 || oneOf(k, w.Kinds) }

// MaskSecret hides a secret but for its last four characters, so that an administrator can tell
// which one is set without anyone reading it back: SEC0123…cdef → ****cdef. Short secrets are
// hidden entirely.
func MaskSecret(s string) string {
	switch {
	case s == "":
		return ""
	case len(s) < 12:
		return "****"
	}
	return "****" + s[len(s)-4:]
}

// MaskURL hides the values of a URL's query, where group robots carry their access token
// (…/robot/send?access_token=…, …/webhook/send?key=…).
func MaskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "****"
	}
	if u.User != nil {
		u.User = url.User("****")
	}
	if u.RawQuery == "" {
		return u.String()
	}
	q := u.Query()
	parts := make([]string, 0, len(q))
	for k, vals := range q {
		for _, v := range vals {
			parts = append(parts, url.QueryEscape(k)+"="+MaskSecret(v))
		}
	}
	slices.Sort(parts)
	u.RawQuery = strings.Join(parts, "&")
	return u.String()
}

// Masked returns a copy of w fit to show: secret and access tokens hidden.
func (w *Webhook) Masked() *Webhook {
	c := *w
	c.Secret = MaskSecret(w.Secret)
	c.URL = MaskURL(w.URL)
	return &c
}

// WebhookService keeps the webhooks (administrators only).
type WebhookService interface {
	// Webhooks lists the webhooks that are not deleted, newest first. EFORBIDDEN for anyone but
	// an administrator.
	Webhooks(ctx context.Context, p Page) (*List[Webhook], error)
	// CreateWebhook validates w, stores it and fills in its ID, creator and time. EINVALID on bad
	// fields, EFORBIDDEN for anyone but an administrator.
	CreateWebhook(ctx context.Context, w *Webhook) error
	// DeleteWebhook removes a webhook: nothing more is posted to it, and posts still queued for
	// it are dropped. The record is kept. ENOTFOUND when there is no such webhook (or it was
	// deleted already), EFORBIDDEN for anyone but an administrator.
	DeleteWebhook(ctx context.Context, id string) error
	// TestWebhook posts a test message to a webhook now and answers whether it was taken; the
	// attempt is audited. ENOTFOUND when there is no such webhook, EFORBIDDEN for anyone but an
	// administrator.
	TestWebhook(ctx context.Context, id string) (*WebhookTest, error)
}

// WebhookTest is the outcome of a test post to a webhook (an administrator checking that the
// receiver takes Steward's posts).
type WebhookTest struct {
	// Delivered: the receiver answered 2xx (and a robot's errcode was 0).
	Delivered bool
	// Error says why not: the receiver's status code or the network's refusal, never what the
	// receiver answered.
	Error string
	At    time.Time
}

// WebhookPoster posts a signed test message to a webhook, as real notifications are posted
// (the same address checks, formats and signatures). Returns the failure as an error.
type WebhookPoster interface {
	PostTest(ctx context.Context, w *Webhook) error
}

// NotifyWebhookTest is the kind of a webhook's test post.
const NotifyWebhookTest NotificationKind = "webhook_test"
