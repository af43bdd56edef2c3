package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type webhookTestBody struct {
	Delivered bool      `json:"delivered" doc:"The receiver took the post (2xx; a robot's errcode 0)"`
	Error     string    `json:"error" doc:"Why not: the receiver's status code or the network's refusal; empty when delivered"`
	At        time.Time `json:"at"`
}

// registerWebhookTests adds the test post of a webhook.
func registerWebhookTests(api huma.API, svc domain.WebhookService) {
	register(api, huma.Operation{
		OperationID: "test-webhook", Method: http.MethodPost, Path: Prefix + "/webhooks/{id}/test", Tags: []string{"Notifications"},
		Summary: "Send a test post to a webhook now (administrators)",
		Description: "Posts a message of kind `webhook_test` in the webhook's format, signed as every post is " +
			"(`X-Steward-Signature` for json webhooks, 加签 for DingTalk), through the same address checks, and answers " +
			"whether the receiver took it. The attempt is audited. A refusal is an answer (delivered false), not an error.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{ Body webhookTestBody }, error) {
		r, err := svc.TestWebhook(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &struct{ Body webhookTestBody }{webhookTestBody{Delivered: r.Delivered, Error: r.Error, At: r.At}}, nil
	})
}
