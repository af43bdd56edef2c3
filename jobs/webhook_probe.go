package jobs

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"steward/domain"
)

// WebhookTester sends an administrator's test posts: a message of kind webhook_test, in the
// webhook's format and signed as every post is, through the same guarded connections.
type WebhookTester struct {
	sender  *webhookSender
	baseURL string
}

// NewWebhookTester returns a tester that reaches what targets permit; links start with baseURL.
func NewWebhookTester(targets *domain.WebhookTargets, baseURL string) *WebhookTester {
	return &WebhookTester{sender: newWebhookSender(targets), baseURL: strings.TrimSuffix(baseURL, "/")}
}

var _ domain.WebhookPoster = (*WebhookTester)(nil)

// PostTest posts one test message to w and answers why it was not taken, if it was not.
func (t *WebhookTester) PostTest(ctx context.Context, w *domain.Webhook) error {
	d := &domain.Delivery{Notification: domain.Notification{ID: uuid.Must(uuid.NewV7()).String(),
		Kind: domain.NotifyWebhookTest, CreatedAt: t.sender.now()}}
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	err := t.sender.post(ctx, w, d, t.baseURL+"/")
	if err == nil {
		return nil
	}
	// The reason, without the marker that tells a delivery not to retry.
	msg := strings.TrimSuffix(err.Error(), ": "+domain.ErrUndeliverable.Error())
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "the receiver did not answer within " + webhookTimeout.String()
	}
	return errors.New(msg)
}
