package jobs

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

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

// newWebhookSender returns a sender whose every connection goes to an address targets permit:
// the dialler resolves the host itself, dials only a permitted address, and checks the socket's
// address once more just before connecting. A name that resolved to a permitted address when
// the webhook was created and resolves elsewhere now (DNS rebinding), and a redirect to a
// forbidden address, are refused the same way. No proxy is used: a proxy would connect on our
// behalf to an address no check saw.
func newWebhookSender(targets *domain.WebhookTargets) *webhookSender {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("dial %s: %w", address, domain.ErrForbiddenTarget)
			}
			return targets.Permits(ap.Addr())
		}}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           guardedDial(dialer, targets),
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32, // one robot receives every post
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &webhookSender{now: time.Now, client: &http.Client{Timeout: webhookTimeout, Transport: tr, CheckRedirect: sameHostRedirect}}
}

// guardedDial resolves the host with targets' resolver and dials the first permitted address;
// when none is permitted the post is undeliverable (no retry: the address is forbidden).
func guardedDial(d *net.Dialer, targets *domain.WebhookTargets) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		ips, err := targets.Lookup(ctx, host)
		if err != nil {
			return nil, err
		}
		var errs []error
		for _, ip := range ips {
			if err := targets.Permits(ip); err != nil {
				errs = append(errs, err)
				continue
			}
			c, err := d.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
			if err == nil {
				return c, nil
			}
			if errors.Is(err, domain.ErrForbiddenTarget) {
				errs = append(errs, err)
				continue
			}
			return nil, err
		}
		if len(errs) == 0 {
			return nil, fmt.Errorf("%s has no address", host)
		}
		return nil, fmt.Errorf("%s: %w: %w", host, errors.Join(errs...), domain.ErrUndeliverable)
	}
}

// sameHostRedirect follows a webhook's redirects on its own host only: a post (and its
// signature) never goes somewhere the administrator did not name.
func sameHostRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return fmt.Errorf("more than 3 redirects: %w", domain.ErrUndeliverable)
	}
	if req.URL.Host != via[0].URL.Host || (req.URL.Scheme != "http" && req.URL.Scheme != "https") {
		return fmt.Errorf("redirected to another host (%s): %w", req.URL.Hostname(), domain.ErrUndeliverable)
	}
	return nil
}

// post sends d's notification to h. It is ErrUndeliverable when h was deleted, its URL is not
// http(s) or not permitted, or it answers 4xx other than 429; any other failure is worth another
// try. An
// error says the receiver's status code, never what it answered: errors are kept in the
// deliveries table and in River's job errors, which administrators read, and a receiver's
// body is not theirs to read (nor trusted to hold no secret).
func (s *webhookSender) post(ctx context.Context, h *domain.Webhook, d *domain.Delivery, link string) error {
	if h == nil || h.Deleted {
		return fmt.Errorf("the webhook was deleted: %w", domain.ErrUndeliverable)
	}
	target, err := url.Parse(h.URL)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return fmt.Errorf("webhook %q has no http(s) URL: %w", h.Name, domain.ErrUndeliverable)
	}
	n := &d.Notification
	body, err := s.render(h, newWebhookMessage(d, link), target)
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
		// Not the *url.Error itself: it quotes the URL, and robots carry their token in it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
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
			ErrCode *int `json:"errcode"`
		}
		if json.Unmarshal(answer, &r) == nil && r.ErrCode != nil && *r.ErrCode != 0 {
			return fmt.Errorf("webhook %q answered errcode %d", h.Name, *r.ErrCode)
		}
		return nil
	case code == http.StatusTooManyRequests || code >= 500 || code < 200 || code >= 300 && code < 400:
		return fmt.Errorf("webhook %q answered %d", h.Name, code)
	default:
		return fmt.Errorf("webhook %q refused the post with %d: %w", h.Name, code, domain.ErrUndeliverable)
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

// webhookMessage is what a post says: the kind of notification, the ticket it is about (its
// number, status, light and department) and a link — never a title, description, comment,
// instruction or opinion (domain.DeliveryTicket says why).
type webhookMessage struct {
	ID        string
	Kind      domain.NotificationKind
	Ticket    *domain.DeliveryTicket
	Link      string
	Urgent    bool
	CreatedAt time.Time
}

func newWebhookMessage(d *domain.Delivery, link string) *webhookMessage {
	n := &d.Notification
	return &webhookMessage{ID: n.ID, Kind: n.Kind, Ticket: d.Ticket, Link: link, Urgent: n.Urgent, CreatedAt: n.CreatedAt.UTC()}
}

// kindTitles name the notification kinds in a chat message.
var kindTitles = map[domain.NotificationKind]string{
	domain.NotifyTicketWarn:     "诉求时限预警",
	domain.NotifyTicketDue:      "诉求到期督办",
	domain.NotifyTicketEscalate: "诉求超期通报",
	domain.NotifyTicketAssigned: "新诉求待签收",
	domain.NotifyInstruction:    "领导批示待办理",
	domain.NotifyRatingReminder: "诉求待评价",
	domain.NotifyVisitDue:       "走访提醒",
	domain.NotifyLeaderDigest:   "包保周报",
	domain.NotifyProjectRed:     "项目进度亮红灯",
	domain.NotifyWebhookTest:    "项目管家测试消息",
}

var statusNames = map[domain.TicketStatus]string{
	domain.TicketSubmitted: "已提交", domain.TicketAccepted: "已受理", domain.TicketRejected: "不予受理",
	domain.TicketAssigned: "已分派", domain.TicketInProgress: "办理中", domain.TicketReturned: "已退回",
	domain.TicketResolved: "已办结", domain.TicketClosed: "已关闭",
}

var lightNames = map[domain.Light]string{
	domain.LightGreen: "绿灯", domain.LightYellow: "黄灯", domain.LightRed: "红灯",
}

// title is the message's headline: the kind and the ticket's number, urgent ones marked.
func (m *webhookMessage) title() string {
	t := kindTitles[m.Kind]
	if t == "" {
		t = "项目管家通知"
	}
	if m.Ticket != nil {
		t += " " + m.Ticket.Number
	}
	if m.Urgent {
		t = urgentMark + t
	}
	return t
}

// facts are the ticket's status, light and department, as a chat line.
func (m *webhookMessage) facts() string {
	if m.Ticket == nil {
		return ""
	}
	parts := []string{"状态：" + cmp.Or(statusNames[m.Ticket.Status], string(m.Ticket.Status))}
	if l := lightNames[m.Ticket.Light]; l != "" {
		parts = append(parts, "时限："+l)
	}
	if m.Ticket.Department != "" {
		parts = append(parts, "承办部门："+m.Ticket.Department)
	}
	return plainMarkdown(strings.Join(parts, "　"))
}

// jsonPost is the body of a generic JSON webhook post.
type jsonPost struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"`
	TicketNumber string    `json:"ticket_number,omitempty"`
	Status       string    `json:"status,omitempty"`
	Light        string    `json:"light,omitempty"`
	Department   string    `json:"department,omitempty"`
	Link         string    `json:"link"`
	Urgent       bool      `json:"urgent"`
	CreatedAt    time.Time `json:"created_at"`
}

// render makes the body of the post to h, and signs target's query for a DingTalk robot.
func (s *webhookSender) render(h *domain.Webhook, m *webhookMessage, target *url.URL) ([]byte, error) {
	switch h.Format {
	case domain.WebhookJSON:
		p := jsonPost{ID: m.ID, Kind: string(m.Kind), Link: m.Link, Urgent: m.Urgent, CreatedAt: m.CreatedAt}
		if t := m.Ticket; t != nil {
			p.TicketNumber, p.Status, p.Light, p.Department = t.Number, string(t.Status), string(t.Light), t.Department
		}
		return json.Marshal(p)
	case domain.WebhookDingTalk:
		if h.Secret != "" {
			ts := s.now().UnixMilli()
			q := target.Query()
			q.Set("timestamp", strconv.FormatInt(ts, 10))
			q.Set("sign", DingTalkSign(h.Secret, ts))
			target.RawQuery = q.Encode()
		}
		text := "#### " + plainMarkdown(m.title()) + "\n\n"
		if f := m.facts(); f != "" {
			text += f + "\n\n"
		}
		text += "[在项目管家中查看](" + m.Link + ")"
		var p struct {
			MsgType  string `json:"msgtype"`
			Markdown struct {
				Title string `json:"title"`
				Text  string `json:"text"`
			} `json:"markdown"`
		}
		p.MsgType, p.Markdown.Title, p.Markdown.Text = "markdown", m.title(), text
		return json.Marshal(p)
	case domain.WebhookWeCom:
		content := "**" + plainMarkdown(m.title()) + "**\n"
		if f := m.facts(); f != "" {
			content += f + "\n"
		}
		content += "[在项目管家中查看](" + m.Link + ")"
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
