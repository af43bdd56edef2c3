package domain

import "fmt"

// NotifyTicketProgress tells an enterprise's portal users that their request moved: accepted
// (受理), not accepted, resolved (please rate) or sent back to work after their rating (重办).
const NotifyTicketProgress NotificationKind = "ticket_progress"

// ProgressNotice is the notice a move from prev to t sends the enterprise, or nil when the move
// is none it hears of. It says only what the portal shows: the number, the title, the new
// status and its public deadline — never who handles it or why internally.
func (t *Ticket) ProgressNotice(prev *Ticket) *Notice {
	if prev.Status == t.Status || t.EnterpriseID == "" {
		return nil
	}
	var title, body string
	switch {
	case t.Status == TicketAccepted && prev.Status == TicketSubmitted:
		title, body = "您的诉求已受理："+t.Number, t.Title+" 已受理"+t.dueText()+"。"
	case t.Status == TicketRejected:
		title, body = "您的诉求未予受理："+t.Number, t.Title+" 未予受理，原因请查看诉求进展。"
	case t.Status == TicketResolved:
		title, body = "您的诉求已办结，请评价："+t.Number, t.Title+" 已办结，请对办理结果和服务态度进行评价。"
	case t.Status == TicketInProgress && prev.Status == TicketResolved:
		title, body = "您的诉求已交回重办："+t.Number, t.Title+" 已交回承办部门重新办理"+t.dueText()+"。"
	default:
		return nil
	}
	return &Notice{
		Notification: Notification{Kind: NotifyTicketProgress, Link: "/portal/tickets/" + t.ID, Title: title, Body: body},
		To:           []Audience{{AudienceEnterprise, t.EnterpriseID}},
		Key:          fmt.Sprintf("progress:%s:%s:%d", t.ID, t.Status, t.ReopenCount),
	}
}

// dueText is "，办结时限 …" for a running resolve clock, else nothing.
func (t *Ticket) dueText() string {
	if t.ResolveClock == nil {
		return ""
	}
	return "，办结时限 " + t.ResolveClock.Due.In(Shanghai).Format("2006年1月2日")
}
