package jobs

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"steward/domain"
)

// emailSubjectPrefix names Steward in every subject, so that people can sort its mail.
const emailSubjectPrefix = "【项目管家】"

// composeEmail writes the message of a notification to address: its title, body and a link to
// it, as plain text and as HTML.
func composeEmail(address string, n *domain.Notification, link string) *domain.Email {
	title := displayTitle(n)
	var text strings.Builder
	text.WriteString(title + "\n\n")
	if n.Body != "" {
		text.WriteString(n.Body + "\n\n")
	}
	text.WriteString("在项目管家中查看：" + link + "\n")
	var html bytes.Buffer
	_ = emailHTML.Execute(&html, map[string]any{"Title": title, "Paragraphs": strings.Split(n.Body, "\n"), "Link": link})
	return &domain.Email{To: address, Subject: emailSubjectPrefix + title, Text: text.String(), HTML: html.String(), ID: n.ID}
}

var emailHTML = template.Must(template.New("email").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family: sans-serif; line-height: 1.6">
<h2 style="font-size: 18px">{{.Title}}</h2>
{{range .Paragraphs}}{{if .}}<p>{{.}}</p>
{{end}}{{end}}<p><a href="{{.Link}}">在项目管家中查看</a></p>
<p style="color: #888; font-size: 12px">此邮件由项目管家自动发送，请勿回复。</p>
</body></html>
`))

// SMTPMailer sends email through an SMTP server, one connection per message.
type SMTPMailer struct {
	host string
	opts []gomail.Option
	from string
	// domain is the right-hand side of the Message-IDs: the sender's domain.
	domain string
}

var _ domain.Mailer = (*SMTPMailer)(nil)

// smtpTimeout bounds connecting to the mail server and each exchange with it.
const smtpTimeout = 10 * time.Second

// NewSMTPMailer configures a mailer from STEWARD_SMTP_URL:
//
//	smtp://user:password@host:port?from=steward@example.gov.cn&tls=starttls
//
// tls is starttls (the default; port 587), tls (implicit TLS, port 465; also the smtps://
// scheme) or none (port 25: a relay on a trusted network). from is required. With a user the
// server's strongest mechanism that is safe on the connection is used; auth=plain or auth=login
// asks for that one, even without TLS.
func NewSMTPMailer(raw string) (*SMTPMailer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL") // the error would repeat the password
	}
	q := u.Query()
	mode := q.Get("tls")
	switch u.Scheme {
	case "smtp":
		if mode == "" {
			mode = "starttls"
		}
	case "smtps":
		if mode == "" {
			mode = "tls"
		}
	default:
		return nil, fmt.Errorf("scheme %q: want smtp:// or smtps://", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("no host")
	}
	m := &SMTPMailer{host: u.Hostname(), opts: []gomail.Option{gomail.WithTimeout(smtpTimeout)}}
	port := 0
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("port %q", p)
		}
	}
	encrypted := true
	switch mode {
	case "starttls":
		m.opts = append(m.opts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithPort(cmp.Or(port, gomail.DefaultPortTLS)))
	case "tls":
		m.opts = append(m.opts, gomail.WithSSL(), gomail.WithPort(cmp.Or(port, gomail.DefaultPortSSL)))
	case "none":
		encrypted = false
		m.opts = append(m.opts, gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithPort(cmp.Or(port, gomail.DefaultPort)))
	default:
		return nil, fmt.Errorf("tls=%q: want starttls, tls or none", mode)
	}
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		auth := gomail.SMTPAuthAutoDiscover
		switch strings.ToLower(q.Get("auth")) {
		case "", "auto":
		case "plain":
			auth = gomail.SMTPAuthPlain
			if !encrypted {
				auth = gomail.SMTPAuthPlainNoEnc
			}
		case "login":
			auth = gomail.SMTPAuthLogin
			if !encrypted {
				auth = gomail.SMTPAuthLoginNoEnc
			}
		default:
			return nil, fmt.Errorf("auth=%q: want auto, plain or login", q.Get("auth"))
		}
		m.opts = append(m.opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(user), gomail.WithPassword(pass))
	}
	from, err := mail.ParseAddress(q.Get("from"))
	if err != nil {
		return nil, fmt.Errorf("from=%q: not an email address", q.Get("from"))
	}
	m.from = from.Address
	m.domain = m.from[strings.LastIndexByte(m.from, '@')+1:]
	if _, err := gomail.NewClient(m.host, m.opts...); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageID is the Message-ID (without angle brackets) of the message with the given id: the
// same on every attempt to send it.
func (m *SMTPMailer) MessageID(id string) string { return "notification." + id + "@" + m.domain }

// Send sends e. A recipient the server refuses for good (5xx to RCPT) or an address that is not
// one is ErrUndeliverable; anything else (the server is down, busy, refuses the login) is worth
// another try.
func (m *SMTPMailer) Send(ctx context.Context, e *domain.Email) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.from); err != nil {
		return err
	}
	if err := msg.To(e.To); err != nil {
		return fmt.Errorf("recipient %q is not an email address: %w", e.To, domain.ErrUndeliverable)
	}
	msg.Subject(e.Subject)
	msg.SetMessageIDWithValue(m.MessageID(e.ID))
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no out-of-office replies
	msg.SetBulk()
	msg.SetBodyString(gomail.TypeTextPlain, e.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	c, err := gomail.NewClient(m.host, m.opts...)
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && !se.IsTemp() {
			return fmt.Errorf("the mail server refuses %s: %v: %w", e.To, err, domain.ErrUndeliverable)
		}
		return fmt.Errorf("mail server %s: %w", m.host, err)
	}
	return nil
}
