package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"steward/domain"
)

// Headers of every webhook post.
const (
	// HeaderDelivery carries the notification's id: a receiver that has seen it drops the post
	// (a post is repeated only when a worker died between sending it and recording it).
	HeaderDelivery = "X-Steward-Delivery"
	// HeaderSignature carries sha256=<hex HMAC-SHA256 of the body> with the webhook's secret
	// (JSON webhooks).
	HeaderSignature = "X-Steward-Signature"
)

// webhookTimeout bounds one post, redirects included.
const webhookTimeout = 10 * time.Second

// webhookSender posts notifications to webhooks in their formats.
type webhookSender struct {
	client *http.Client
	now    func() time.Time
}

func newWebhookSender() *webhookSender {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 32 // one robot receives every post
	return &webhookSender{now: time.Now, client: &http.Client{Timeout: webhookTimeout, Transport: tr, CheckRedirect: sameHostRedirect}}
}

// sameHostRedirect follows a webhook's redirects on its own host only: a post (and its
// signature) never goes somewhere the administrator did not name.
func sameHostRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return fmt.Errorf("more than 3 redirects: %w", domain.ErrUndeliverable)
	}
	if req.URL.Host != via[0].URL.Host || (req.URL.Scheme != "http" && req.URL.Scheme != "https") {
		return fmt.Errorf("redirected to another host (%s): %w", req.URL.Host, domain.ErrUndeliverable)
	}
	return nil
}

// post sends n to h. It is ErrUndeliverable when h was deleted, its URL is not http(s), or it
// answers 4xx other than 429; any other failure is worth another try.
func (s *webhookSender) post(ctx context.Context, h *domain.Webhook, n *domain.Notification, link string) error {
	if h == nil || h.Deleted {
		return fmt.Errorf("the webhook was deleted: %w", domain.ErrUndeliverable)
	}
	target, err := url.Parse(h.URL)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return fmt.Errorf("webhook %q has no http(s) URL: %w", h.Name, domain.ErrUndeliverable)
	}
	body, err := s.render(h, n, link, target)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook %q: %v: %w", h.Name, err, domain.ErrUndeliverable)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Steward")
	req.Header.Set(HeaderDelivery, n.ID)
	if h.Format == domain.WebhookJSON && h.Secret != "" {
		req.Header.Set(HeaderSignature, "sha256="+Sign(h.Secret, body))
	}
	res, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %q: %w", h.Name, err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	switch code := res.StatusCode; {
	case code >= 200 && code < 300:
		if h.Format == domain.WebhookJSON {
			return nil
		}
		// The robots answer 200 with their own error code, 0 when the message was taken.
		var r struct {
			ErrCode *int   `json:"errcode"`
			ErrMsg  string `json:"errmsg"`
		}
		if json.Unmarshal(answer, &r) == nil && r.ErrCode != nil && *r.ErrCode != 0 {
			return fmt.Errorf("webhook %q answered errcode %d: %s", h.Name, *r.ErrCode, clip(r.ErrMsg, 200))
		}
		return nil
	case code == http.StatusTooManyRequests || code >= 500 || code < 200 || code >= 300 && code < 400:
		return fmt.Errorf("webhook %q answered %d: %s", h.Name, code, clip(string(answer), 200))
	default:
		return fmt.Errorf("webhook %q refused the post with %d: %s: %w", h.Name, code, clip(string(answer), 200), domain.ErrUndeliverable)
	}
}

// Sign is the hex HMAC-SHA256 of body with secret: X-Steward-Signature without its "sha256=".
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// DingTalkSign is the sign query parameter of a DingTalk robot with a secret (加签): the base64
// HMAC-SHA256, keyed with the secret, of "timestamp\nsecret" (timestamp in milliseconds).
func DingTalkSign(secret string, timestampMillis int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestampMillis, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// jsonPost is the body of a generic JSON webhook post.
type jsonPost struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Link      string    `json:"link"`
	Urgent    bool      `json:"urgent"`
	CreatedAt time.Time `json:"created_at"`
}

// Robots cap a message's size (WeCom: 4096 bytes of markdown); a long body is cut to fit.
const (
	wecomMaxBody    = 3000
	dingtalkMaxBody = 15000
)

// render makes the body of the post to h, and signs target's query for a DingTalk robot.
func (s *webhookSender) render(h *domain.Webhook, n *domain.Notification, link string, target *url.URL) ([]byte, error) {
	switch h.Format {
	case domain.WebhookJSON:
		return json.Marshal(jsonPost{ID: n.ID, Kind: string(n.Kind), Title: n.Title, Body: n.Body, Link: link,
			Urgent: n.Urgent, CreatedAt: n.CreatedAt.UTC()})
	case domain.WebhookDingTalk:
		if h.Secret != "" {
			ts := s.now().UnixMilli()
			q := target.Query()
			q.Set("timestamp", strconv.FormatInt(ts, 10))
			q.Set("sign", DingTalkSign(h.Secret, ts))
			target.RawQuery = q.Encode()
		}
		title := displayTitle(n)
		text := "#### " + plainMarkdown(title) + "\n\n"
		if n.Body != "" {
			text += clip(plainMarkdown(n.Body), dingtalkMaxBody) + "\n\n"
		}
		text += "[在项目管家中查看](" + link + ")"
		var p struct {
			MsgType  string `json:"msgtype"`
			Markdown struct {
				Title string `json:"title"`
				Text  string `json:"text"`
			} `json:"markdown"`
		}
		p.MsgType, p.Markdown.Title, p.Markdown.Text = "markdown", title, text
		return json.Marshal(p)
	case domain.WebhookWeCom:
		content := "**" + plainMarkdown(displayTitle(n)) + "**\n"
		if n.Body != "" {
			content += clip(plainMarkdown(n.Body), wecomMaxBody) + "\n"
		}
		content += "[在项目管家中查看](" + link + ")"
		var p struct {
			MsgType  string `json:"msgtype"`
			Markdown struct {
				Content string `json:"content"`
			} `json:"markdown"`
		}
		p.MsgType, p.Markdown.Content = "markdown", content
		return json.Marshal(p)
	}
	return nil, fmt.Errorf("webhook %q has an unknown format %q: %w", h.Name, h.Format, domain.ErrUndeliverable)
}

// plainMarkdown keeps text that people typed (a ticket's title, an enterprise's words) from
// becoming links or markup in a group chat: square brackets turn full-width.
var plainMarkdown = strings.NewReplacer("[", "［", "]", "］", "<", "＜", ">", "＞").Replace

// clip cuts s to at most n bytes on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}
