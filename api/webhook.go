package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type webhookBody struct {
	ID        string    `json:"id" format:"uuid"`
	Name      string    `json:"name" example:"营商局工作群"`
	Format    string    `json:"format" enum:"dingtalk,wecom,json"`
	URL       string    `json:"url" doc:"Where posts go, with the values of its query (robot access tokens) masked"`
	Secret    string    `json:"secret" doc:"The signing secret, masked (****cdef); empty when there is none"`
	Kinds     []string  `json:"kinds" enum:"ticket_warn,ticket_due,ticket_escalate,ticket_assigned,ticket_instruction,ticket_opinion,rating_reminder,visit_due,leader_digest,project_red" doc:"The notification kinds posted; empty means every kind"`
	CreatedAt time.Time `json:"created_at"`
}

func toWebhookBody(w *domain.Webhook) webhookBody {
	m := w.Masked()
	b := webhookBody{ID: m.ID, Name: m.Name, Format: string(m.Format), URL: m.URL, Secret: m.Secret, Kinds: []string{}, CreatedAt: m.CreatedAt}
	for _, k := range m.Kinds {
		b.Kinds = append(b.Kinds, string(k))
	}
	return b
}

type webhookInput struct {
	Name   string   `json:"name" minLength:"1" maxLength:"100" example:"营商局工作群"`
	Format string   `json:"format" enum:"dingtalk,wecom,json" doc:"dingtalk: a DingTalk group robot (钉钉), signed when it has a secret (加签); wecom: a WeCom group robot (企业微信); json: Steward's JSON {id, kind, ticket_number, status, light, department, link, urgent, created_at} (the ticket fields when the notification is about a ticket), signed with X-Steward-Signature. Posts never carry what people wrote (titles, descriptions, comments, instructions, opinions): they name the kind, the ticket and its state, and link to it"`
	URL    string   `json:"url" minLength:"1" maxLength:"2000" example:"https://oapi.dingtalk.com/robot/send?access_token=…" doc:"http or https. Loopback, link-local, unspecified, multicast and cloud metadata addresses are refused (also when a host name resolves to one), private ranges unless listed in STEWARD_WEBHOOK_ALLOW; every connection is checked again when it is made"`
	Secret string   `json:"secret,omitempty" maxLength:"200" doc:"DingTalk's 加签 secret, or the HMAC-SHA256 key of a json webhook (required there, at least 16 characters). Never shown again."`
	Kinds  []string `json:"kinds,omitempty" maxItems:"20" enum:"ticket_warn,ticket_due,ticket_escalate,ticket_assigned,ticket_instruction,ticket_opinion,rating_reminder,visit_due,leader_digest,project_red" doc:"Post only these notification kinds; empty or absent: every kind"`
}

func registerWebhooks(api huma.API, svc domain.WebhookService) {
	tags := []string{"Notifications"}
	register(api, huma.Operation{
		OperationID: "list-webhooks", Method: http.MethodGet, Path: Prefix + "/webhooks", Tags: tags,
		Summary: "List webhooks (administrators)",
	}, func(ctx context.Context, in *struct{ ListParams }) (*struct{ Body listBody[webhookBody] }, error) {
		l, err := svc.Webhooks(ctx, in.page())
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[webhookBody] }{toListBody(l, toWebhookBody)}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-webhook", Method: http.MethodPost, Path: Prefix + "/webhooks", Tags: tags,
		Summary:       "Add a webhook (administrators)",
		Description:   "Notifications go out to the webhook from now on, at the times quiet hours allow. Every post carries `X-Steward-Delivery: <notification id>`; a post is repeated only after a worker crashed between sending it and recording it, so a receiver drops a post whose id it has seen. A json webhook's posts are signed with `X-Steward-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>`.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct{ Body webhookInput }) (*struct{ Body webhookBody }, error) {
		w := &domain.Webhook{Name: in.Body.Name, Format: domain.WebhookFormat(in.Body.Format), URL: in.Body.URL, Secret: in.Body.Secret}
		for _, k := range in.Body.Kinds {
			w.Kinds = append(w.Kinds, domain.NotificationKind(k))
		}
		if err := svc.CreateWebhook(ctx, w); err != nil {
			return nil, err
		}
		return &struct{ Body webhookBody }{toWebhookBody(w)}, nil
	})

	register(api, huma.Operation{
		OperationID: "delete-webhook", Method: http.MethodDelete, Path: Prefix + "/webhooks/{id}", Tags: tags,
		Summary:       "Remove a webhook (administrators)",
		Description:   "Nothing more is posted to it, including posts still queued. The record is kept for the audit trail.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{}, error) {
		return nil, svc.DeleteWebhook(ctx, in.ID)
	})
}
