package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"steward/domain"
)

// auditAnchorWorker publishes the audit chain's head outside the database once a day (the
// audit_anchor job): to the log, to STEWARD_AUDIT_ANCHOR_URL as a JSON post, and by email to
// every auditor with an address when email is configured. A published head is a promise the
// database cannot take back: `steward audit verify --head ID:HASH` fails if record ID no longer
// has that hash, even when someone with the owner's rights rewrote the records and recomputed
// every hash after them.
type auditAnchorWorker struct {
	river.WorkerDefaults[domain.AuditAnchorArgs]
	deps   Deps
	client *http.Client
}

func newAuditAnchorWorker(deps Deps) *auditAnchorWorker {
	// The anchor is the operator's own setting, not an administrator's webhook: no address
	// policy, but no proxy and no redirects either.
	tr := &http.Transport{Proxy: nil, TLSHandshakeTimeout: 5 * time.Second}
	return &auditAnchorWorker{deps: deps, client: &http.Client{Timeout: webhookTimeout, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// anchorPost is the body of the post to STEWARD_AUDIT_ANCHOR_URL.
type anchorPost struct {
	ID       int64     `json:"id"`
	Hash     string    `json:"hash"`
	Head     string    `json:"head"` // ID:HASH, as steward audit verify --head takes it
	At       time.Time `json:"at"`
	Day      string    `json:"day"`
	Verified bool      `json:"verified"`
	Checked  int64     `json:"checked"`
}

func (w *auditAnchorWorker) Work(ctx context.Context, job *river.Job[domain.AuditAnchorArgs]) error {
	if w.deps.AuditAnchors == nil {
		return river.JobCancel(errors.New("no audit anchor store configured"))
	}
	head, v, err := w.deps.AuditAnchors.AuditHead(ctx)
	if err != nil {
		return err
	}
	if head.ID == 0 {
		w.deps.Logger.Info("audit anchor: the audit log is empty; nothing to publish")
		return nil
	}
	log := w.deps.Logger.With("audit_head", head.String(), "records", v.Checked)
	if !v.OK {
		// Published all the same: the head shows what the log holds now, and the auditors
		// must hear of the break.
		log.Error("audit anchor: the audit chain does not verify", "first_bad_id", v.FirstBadID)
	}
	log.Info("audit anchor: chain head published", "id", head.ID, "hash", head.Hash, "verified", v.OK)

	var errs []error
	if u := w.deps.AuditAnchorURL; u != "" {
		body, _ := json.Marshal(anchorPost{ID: head.ID, Hash: head.Hash, Head: head.String(), At: head.At.UTC(), Day: job.Args.Day,
			Verified: v.OK, Checked: v.Checked})
		if err := w.post(ctx, u, body); err != nil {
			errs = append(errs, err)
		}
	}
	if w.deps.Mailer != nil {
		emails, err := w.deps.AuditAnchors.AuditorEmails(ctx)
		if err != nil {
			return err
		}
		for i, to := range emails {
			if err := w.deps.Mailer.Send(ctx, anchorEmail(to, head, v, job.Args.Day, i)); err != nil {
				errs = append(errs, fmt.Errorf("email the audit anchor to auditor %d: %w", i+1, err))
			}
		}
	}
	return errors.Join(errs...)
}

// post sends the anchor; an error says the status code, never the answer.
func (w *auditAnchorWorker) post(ctx context.Context, target string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("STEWARD_AUDIT_ANCHOR_URL: %v", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Steward")
	res, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("post the audit anchor: %w", err)
	}
	res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode >= 300 {
		return fmt.Errorf("the audit anchor receiver answered %d", res.StatusCode)
	}
	return nil
}

func anchorEmail(to string, head domain.AuditHead, v *domain.AuditVerification, day string, n int) *domain.Email {
	state := "校验通过"
	if !v.OK {
		state = "校验未通过：第 " + strconv.FormatInt(v.FirstBadID, 10) + " 条记录起链条断裂，请立即核查"
	}
	text := fmt.Sprintf("审计日志链锚点（%s）\n\n最新记录：%d\n哈希：%s\n共 %d 条记录，%s。\n\n"+
		"请将本邮件留存于项目管家之外。日后可用以下命令核验该记录仍在链中、未被改写：\n\n    steward audit verify --head %s\n",
		day, head.ID, head.Hash, v.Checked, state, head.String())
	html := "<pre>" + text + "</pre>" // digits, hex and fixed Chinese text only: nothing to escape
	return &domain.Email{To: to, Subject: emailSubjectPrefix + "审计日志链锚点 " + day, Text: text, HTML: html,
		ID: "audit-anchor-" + day + "-" + strconv.Itoa(n)}
}
