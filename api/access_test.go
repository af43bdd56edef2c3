package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"steward/domain"
)

// world is what the access matrix acts on: for every kind of object, one that only some roles
// may reach.
type world struct {
	b        *testBundle
	dept     *domain.Department // a handling department
	ent      *domain.Enterprise // an enterprise assigned to nobody: in no one's portfolio
	own      *domain.Enterprise // the enterprise of the enterprise user
	target   *domain.User       // a user only admins manage
	proj     *domain.Project    // a project of ent, assigned to nobody
	assign   *domain.Assignment // own's assignment to a leader and steward the matrix does not log in as
	leader2  *domain.User
	steward2 *domain.User
	foreign  string             // an API token of another user
	imp      string             // an import by the system: only dispatchers may read it
	ticket   *domain.Ticket     // a ticket of ent routed to another department than the matrix officer's
	fresh    *domain.Ticket     // a submitted ticket of ent
	visit    *domain.Visit      // steward2's visit to own (not in the matrix steward's portfolio)
	attached string             // a file attached to ticket by the system
	note     string             // a notification to steward2: nobody else may read or mark it
	clients  map[string]*client // by role; "anonymous" has no session
}

// matrixRoles are the callers the matrix tries, anonymous included.
var matrixRoles = []string{"anonymous", "admin", "dispatcher", "leader", "steward", "officer", "auditor", "enterprise", "integration"}

// request is one attempt at an operation.
type request struct {
	method, path string
	body         any
	headers      []string
}

// accessRule says, for one operation, which roles may perform it on the world's objects
// (everyone else must get 401, 403 or 404), and for lists, what no one outside its scope may see.
type accessRule struct {
	public  bool // needs no login; not tried
	allowed []string
	// fresh gives each attempt its own login (the operation ends the session).
	fresh bool
	// refused are further statuses that deny without revealing (422 for a reference to an
	// object the caller may not see).
	refused []int
	req     func(w *world, role string) request
	// leak reports what an allowed caller's answer shows that the caller may not see.
	leak func(w *world, role string, r *response) string
}

var staff = []string{"admin", "dispatcher", "leader", "steward", "officer", "integration"}
var loggedIn = []string{"admin", "dispatcher", "leader", "steward", "officer", "auditor", "enterprise", "integration"}

// accessMatrix has an entry for every operation of the OpenAPI document; the test fails when an
// operation is added without one.
var accessMatrix = map[string]accessRule{
	"get-health":    {public: true},
	"get-readiness": {public: true},
	"login":         {public: true},
	"logout": {allowed: loggedIn, fresh: true, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/auth/logout"}
	}},
	"get-me": {allowed: loggedIn, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/me"}
	}},
	"change-password": {allowed: loggedIn, req: func(w *world, role string) request {
		// A wrong current password: the caller may try (422), nothing changes.
		return request{method: "POST", path: "/api/v1/me/password", body: map[string]any{"old_password": "wrong", "new_password": "Zq8#rTm4-wP"}}
	}},
	"list-my-tokens": {allowed: loggedIn, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/me/tokens"}
	}, leak: func(w *world, role string, r *response) string {
		for _, it := range r.items() {
			if it["id"] == w.foreign {
				return "another user's token"
			}
		}
		return ""
	}},
	"create-my-token": {allowed: loggedIn, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/me/tokens", body: map[string]any{"name": "matrix " + role}}
	}},
	"revoke-my-token": {req: func(w *world, role string) request {
		return request{method: "DELETE", path: "/api/v1/me/tokens/" + w.foreign}
	}},

	"list-users": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/users"}
	}},
	"list-directory": {allowed: []string{"admin", "dispatcher", "leader", "steward", "officer", "auditor"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/directory"}
	}, leak: func(w *world, role string, r *response) string {
		for _, it := range r.items() {
			if it["role"] == "enterprise" || it["role"] == "integration" {
				return "an enterprise user or integration in the staff directory"
			}
			if _, ok := it["phone"]; ok {
				return "a phone number in the staff directory"
			}
		}
		return ""
	}},
	"create-user": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/users", body: map[string]any{
			"username": "new-" + role, "display_name": "新用户", "role": "integration", "password": "Zq8#rTm4-wP"}}
	}},
	"get-user": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/users/" + w.target.ID}
	}},
	"update-user": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "PATCH", path: "/api/v1/users/" + w.target.ID, body: map[string]any{"display_name": "改名 " + role},
			headers: []string{"If-Match", w.etag("users", w.target.ID)}}
	}},
	"unlock-user": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/users/" + w.target.ID + "/unlock"}
	}},
	"reset-user-password": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/users/" + w.target.ID + "/reset-password", body: map[string]any{"password": "Zq8#rTm4-wP"}}
	}},
	"reveal-user": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/users/" + w.target.ID + "/reveal"}
	}},

	"list-audit": {allowed: []string{"auditor"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/audit"}
	}},
	"verify-audit": {allowed: []string{"auditor"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/audit/verify"}
	}},
	"reveal-audit": {allowed: []string{"auditor"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/audit/1/reveal"}
	}},

	"list-departments": {allowed: staff, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/departments"}
	}},
	"get-department": {allowed: staff, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/departments/" + w.dept.ID}
	}},
	"create-department": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/departments", body: map[string]any{"name": "新部门 " + role, "kind": "government"}}
	}},
	"update-department": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "PATCH", path: "/api/v1/departments/" + w.dept.ID, body: map[string]any{"name": "改名部门 " + role},
			headers: []string{"If-Match", w.etag("departments", w.dept.ID)}}
	}},

	// Categories: every logged-in role but the auditor reads them (the portal and integrations
	// submit requests with them); only admins change them.
	"list-categories": {allowed: []string{"admin", "dispatcher", "leader", "steward", "officer", "enterprise", "integration"},
		req: func(w *world, role string) request { return request{method: "GET", path: "/api/v1/categories"} }},
	"get-category": {allowed: []string{"admin", "dispatcher", "leader", "steward", "officer", "enterprise", "integration"},
		req: func(w *world, role string) request {
			return request{method: "GET", path: "/api/v1/categories/" + w.category("其他")}
		}},
	"create-category": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/categories", body: map[string]any{"name": "新类别 " + role, "resolve_days": 5}}
	}},
	"update-category": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		id := w.category("用水")
		return request{method: "PATCH", path: "/api/v1/categories/" + id, body: map[string]any{"description": "改 " + role},
			headers: []string{"If-Match", w.etag("categories", id)}}
	}},

	// The calendar: anyone logged in reads it; only admins override a year.
	"get-calendar-year": {allowed: loggedIn, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/calendar/2026"}
	}},
	"put-calendar-year": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "PUT", path: "/api/v1/calendar/2099", body: map[string]any{"holidays": []string{"2099-10-01"}, "workdays": []string{}}}
	}},
	"add-working-days": {allowed: loggedIn, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/calendar/add-working-days?from=2026-09-30&days=1"}
	}},

	// An integration may only look an enterprise up by its exact credit code (id and name).
	"list-enterprises": {allowed: []string{"dispatcher", "leader", "steward", "officer", "enterprise", "integration"},
		req: func(w *world, role string) request {
			if role == "integration" {
				return request{method: "GET", path: "/api/v1/enterprises?credit_code=" + w.ent.CreditCode}
			}
			return request{method: "GET", path: "/api/v1/enterprises"}
		},
		leak: func(w *world, role string, r *response) string {
			for _, it := range r.items() {
				id := it["id"]
				if role == "integration" && len(it) != 2 {
					return "more than the id and name of the enterprise looked up"
				}
				if id == w.ent.ID && role != "dispatcher" && role != "integration" {
					return "an enterprise outside the caller's portfolio"
				}
				if id == w.own.ID && role != "dispatcher" && role != "enterprise" {
					return "another enterprise's record"
				}
			}
			return ""
		}},
	"get-my-enterprise": {allowed: []string{"enterprise"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/me/enterprise"}
	}, leak: func(w *world, role string, r *response) string {
		if e, _ := r.body["enterprise"].(map[string]any); e["id"] != w.own.ID {
			return "an enterprise other than the user's own"
		}
		return ""
	}},
	"get-enterprise": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/enterprises/" + w.ent.ID}
	}},
	"create-enterprise": {allowed: []string{"admin", "dispatcher"}, req: func(w *world, role string) request {
		first17 := fmt.Sprintf("91320500%09d", 900000+len(role)*1000+int(role[0]))
		c, _ := domain.CreditCodeCheckChar(first17)
		return request{method: "POST", path: "/api/v1/enterprises", body: map[string]any{
			"name": "矩阵测试有限公司" + role, "credit_code": first17 + string(c), "industry": "C", "scale": "small", "key_level": "district"}}
	}},
	"update-enterprise": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "PATCH", path: "/api/v1/enterprises/" + w.ent.ID, body: map[string]any{"street": "街道 " + role},
			headers: []string{"If-Match", w.etag("enterprises", w.ent.ID)}}
	}},
	"reveal-enterprise": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/enterprises/" + w.ent.ID + "/reveal"}
	}},
	"archive-enterprise": {allowed: []string{"dispatcher"}, refused: []int{409}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/enterprises/" + w.ent.ID + "/archive", body: map[string]any{"reason": "企业迁出本区"}}
	}},
	"restore-enterprise": {allowed: []string{"dispatcher"}, refused: []int{409}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/enterprises/" + w.ent.ID + "/restore"}
	}},

	"list-projects": {allowed: []string{"dispatcher", "leader", "steward", "enterprise"},
		req: func(w *world, role string) request { return request{method: "GET", path: "/api/v1/projects"} },
		leak: func(w *world, role string, r *response) string {
			for _, it := range r.items() {
				if it["id"] == w.proj.ID && role != "dispatcher" {
					return "a project outside the caller's portfolio"
				}
			}
			return ""
		}},
	"get-project": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/projects/" + w.proj.ID}
	}},
	"create-project": {allowed: []string{"dispatcher"}, refused: []int{422}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/projects", body: map[string]any{
			"enterprise_id": w.ent.ID, "name": "矩阵测试项目" + role, "kind": "new", "industry": "C", "planned_investment": 5000,
			"planned_start": "2026-01-01", "planned_completion": "2027-12-31", "key_level": "district"}}
	}},
	"update-project": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "PATCH", path: "/api/v1/projects/" + w.proj.ID, body: map[string]any{"location": "地块 " + role},
			headers: []string{"If-Match", w.etag("projects", w.proj.ID)}}
	}},
	"move-project-stage": {allowed: []string{"dispatcher"}, refused: []int{409}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/projects/" + w.proj.ID + "/stage", body: map[string]any{"stage": "signed", "date": time.Now().Format(time.DateOnly)},
			headers: []string{"If-Match", w.etag("projects", w.proj.ID)}}
	}},
	"list-project-stages": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/projects/" + w.proj.ID + "/stages"}
	}},
	"put-project-investment": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "PUT", path: "/api/v1/projects/" + w.proj.ID + "/investments/" + time.Now().Format("2006-01"), body: map[string]any{"amount": 100}}
	}},
	"list-project-investments": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/projects/" + w.proj.ID + "/investments"}
	}},

	"get-enterprise-timeline": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/enterprises/" + w.ent.ID + "/timeline"}
	}},

	"list-tickets": {allowed: []string{"dispatcher", "leader", "steward", "officer", "enterprise", "integration"},
		req: func(w *world, role string) request { return request{method: "GET", path: "/api/v1/tickets"} },
		leak: func(w *world, role string, r *response) string {
			for _, it := range r.items() {
				if (it["id"] == w.ticket.ID || it["id"] == w.fresh.ID) && role != "dispatcher" {
					return "a ticket outside the caller's scope"
				}
			}
			return ""
		}},
	"get-ticket": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/tickets/" + w.ticket.ID}
	}},
	"create-ticket": {allowed: []string{"dispatcher", "integration", "enterprise"}, refused: []int{422}, req: func(w *world, role string) request {
		// An enterprise user's ticket is always their own enterprise's, whatever the body says.
		return request{method: "POST", path: "/api/v1/tickets", body: map[string]any{"enterprise_id": w.ent.ID,
			"category_id": "01900000-0000-7000-8000-000000000008", "title": "矩阵测试诉求 " + role, "description": "访问矩阵测试提交的诉求内容。"}}
	}},
	"list-ticket-events": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/tickets/" + w.ticket.ID + "/events"}
	}},
	// Ticket actions: only the dispatcher reaches the world's tickets; a move its status does
	// not allow is 409 for them, and no other role gets past 403/404. Bodies are valid, so a
	// refusal is about who asks.
	"accept-ticket": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return w.move(w.fresh, "accept", map[string]any{"urgent": true})
	}},
	"reject-ticket": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return w.move(w.fresh, "reject", map[string]any{"reason": "矩阵：不予受理"})
	}},
	"assign-ticket": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return w.move(w.ticket, "assign", map[string]any{"department_id": w.dept.ID})
	}},
	"sign-ticket": {req: func(w *world, role string) request { return w.move(w.ticket, "sign", nil) }},
	"return-ticket": {req: func(w *world, role string) request {
		return w.move(w.ticket, "return", map[string]any{"reason": "矩阵：非本部门职责"})
	}},
	"request-ticket-extension": {req: func(w *world, role string) request {
		return w.move(w.ticket, "request-extension", map[string]any{"days": 3, "reason": "矩阵：需要踏勘"})
	}},
	"approve-ticket-extension": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return w.move(w.ticket, "approve-extension", nil)
	}},
	"deny-ticket-extension": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return w.move(w.ticket, "deny-extension", map[string]any{"reason": "矩阵：理由不足"})
	}},
	"resolve-ticket": {req: func(w *world, role string) request {
		return w.move(w.ticket, "resolve", map[string]any{"resolution": "矩阵：已办结"})
	}},
	"rate-ticket": {req: func(w *world, role string) request {
		return w.move(w.ticket, "rate", map[string]any{"solved": 5, "attitude": 5})
	}},
	// Co-handling: only an officer of a co-handling department gives an opinion (the world's
	// ticket has none); the opinions are internal; the dispatcher waives (422: no such co-handler).
	"give-ticket-opinion": {req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/tickets/" + w.ticket.ID + "/opinions", body: map[string]any{"body": "矩阵协办意见"}}
	}},
	"list-ticket-opinions": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/tickets/" + w.ticket.ID + "/opinions"}
	}},
	"waive-ticket-opinion": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return w.move(w.ticket, "waive-opinion", map[string]any{"department_id": w.dept.ID, "reason": "矩阵：不涉及"})
	}},
	"comment-on-ticket": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/tickets/" + w.ticket.ID + "/comments", body: map[string]any{"body": "矩阵评论 " + role}}
	}},
	"instruct-on-ticket": {req: func(w *world, role string) request {
		// Only the enterprise's own leader instructs; the ticket's enterprise has none.
		return request{method: "POST", path: "/api/v1/tickets/" + w.ticket.ID + "/instructions", body: map[string]any{"body": "矩阵批示"}}
	}},
	// Attachments: whoever works on a ticket attaches to it and reads its files; of the matrix
	// roles only the dispatcher reaches the ticket.
	"upload-ticket-attachment": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/tickets/" + w.ticket.ID + "/attachments", body: upload("矩阵.png", pngBytes)}
	}},
	"list-ticket-attachments": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/tickets/" + w.ticket.ID + "/attachments"}
	}},
	"download-attachment": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/attachments/" + w.attached}
	}},
	"list-ticket-instructions": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/tickets/" + w.ticket.ID + "/instructions"}
	}},
	"answer-ticket-instruction": {req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/tickets/" + w.ticket.ID + "/instructions/0192a0c4-0000-7000-8000-000000000000/answer", body: map[string]any{"answer": "矩阵答复"}}
	}},

	"list-visits": {allowed: []string{"dispatcher", "leader", "steward"},
		req: func(w *world, role string) request { return request{method: "GET", path: "/api/v1/visits"} },
		leak: func(w *world, role string, r *response) string {
			for _, it := range r.items() {
				if it["id"] == w.visit.ID && role != "dispatcher" {
					return "another steward's visit to an enterprise not the caller's"
				}
			}
			return ""
		}},
	"get-visit": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/visits/" + w.visit.ID}
	}},
	"create-visit": {refused: []int{422}, req: func(w *world, role string) request {
		// Stewards and leaders record visits to their own portfolio; ent is in nobody's.
		return request{method: "POST", path: "/api/v1/visits", body: map[string]any{"enterprise_id": w.ent.ID,
			"visited_at": time.Now().Add(-time.Hour).Format(time.RFC3339), "kind": "phone", "summary": "矩阵走访记录 " + role}}
	}},
	"correct-visit": {req: func(w *world, role string) request {
		return request{method: "PATCH", path: "/api/v1/visits/" + w.visit.ID, body: map[string]any{"summary": "矩阵修改 " + role},
			headers: []string{"If-Match", w.etag("visits", w.visit.ID)}}
	}},
	// Visit photos: only the author adds them (the dispatcher, who sees the visit, is refused;
	// so is the matrix steward, who does not); whoever sees the visit lists them.
	"upload-visit-photo": {req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/visits/" + w.visit.ID + "/photos", body: upload("矩阵.png", pngBytes)}
	}},
	"list-visit-photos": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/visits/" + w.visit.ID + "/photos"}
	}},
	"list-due-visits": {allowed: []string{"dispatcher", "steward"},
		req: func(w *world, role string) request { return request{method: "GET", path: "/api/v1/visits/due"} },
		leak: func(w *world, role string, r *response) string {
			for _, it := range r.items() {
				if it["steward_id"] == w.steward2.ID && role != "dispatcher" {
					return "another steward's due visits"
				}
			}
			return ""
		}},

	"list-assignments": {allowed: []string{"dispatcher", "leader", "steward"},
		req: func(w *world, role string) request { return request{method: "GET", path: "/api/v1/assignments"} },
		leak: func(w *world, role string, r *response) string {
			for _, it := range r.items() {
				if it["id"] == w.assign.ID && role != "dispatcher" {
					return "another leader's and steward's assignment"
				}
			}
			return ""
		}},
	"create-assignment": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/assignments", body: map[string]any{
			"subject_type": "project", "subject_id": w.proj.ID, "leader_id": w.leader2.ID, "steward_id": w.steward2.ID, "reason": "矩阵"}}
	}},

	"get-enterprise-import-template": {allowed: []string{"admin", "dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/imports/templates/enterprises.xlsx"}
	}},
	"create-enterprise-import": {allowed: []string{"admin", "dispatcher"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/imports/enterprises", body: upload("矩阵.csv", []byte("企业名称,统一社会信用代码\n"))}
	}},
	"get-import": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/imports/" + w.imp}
	}},
	"get-import-failed-rows": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/imports/" + w.imp + "/failed.xlsx"}
	}},
	"export-enterprises": {allowed: []string{"dispatcher", "leader", "steward", "officer", "enterprise"},
		req: func(w *world, role string) request {
			return request{method: "GET", path: "/api/v1/exports/enterprises?format=csv"}
		},
		leak: func(w *world, role string, r *response) string {
			for _, name := range exportedNames(r.raw) {
				if name == w.ent.Name && role != "dispatcher" {
					return "an enterprise outside the caller's portfolio"
				}
				if name == w.own.Name && role != "dispatcher" && role != "enterprise" {
					return "another enterprise's record"
				}
			}
			return ""
		}},

	// Notifications: everyone logged in reads and marks their own inbox and follows its stream;
	// another user's notification does not exist for them.
	"list-notifications": {allowed: loggedIn, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/notifications"}
	}, leak: func(w *world, role string, r *response) string {
		for _, it := range r.items() {
			if it["id"] == w.note {
				return "another user's notification"
			}
		}
		return ""
	}},
	"mark-notification-read": {req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/notifications/" + w.note + "/read"}
	}},
	"mark-all-notifications-read": {allowed: loggedIn, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/notifications/read-all"}
	}},
	"stream-notifications": {allowed: loggedIn, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/notifications/stream"}
	}},

	// Webhooks are configuration: administrators only. Each attempt to delete gets a webhook of
	// its own, so the administrator's deletion cannot hide another role's answer.
	"list-webhooks": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/webhooks"}
	}},
	"create-webhook": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/webhooks", body: map[string]any{
			"name": "矩阵 " + role, "format": "json", "url": "https://hooks.example.gov.cn/steward", "secret": "matrix-secret-0123456789"}}
	}},
	"delete-webhook": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "DELETE", path: "/api/v1/webhooks/" + w.webhook()}
	}},
	"test-webhook": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "POST", path: "/api/v1/webhooks/" + w.localWebhook() + "/test"}
	}},

	// Supervision statistics: the bureau sees everything, leaders and stewards their portfolio
	// (in the matrix, empty), an officer only their department's row; the report is the bureau's.
	"get-stats-overview": {allowed: []string{"dispatcher", "leader", "steward"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/stats/overview"}
	}, leak: func(w *world, role string, r *response) string {
		if tickets, _ := r.body["tickets"].(map[string]any); role != "dispatcher" && tickets["total"] != 0.0 {
			return "tickets outside the caller's portfolio"
		}
		return ""
	}},
	"get-stats-departments": {allowed: []string{"dispatcher", "leader", "steward", "officer"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/stats/departments"}
	}, leak: func(w *world, role string, r *response) string {
		for _, it := range r.items() {
			if role != "dispatcher" && it["department_id"] != w.dept.ID {
				return "another department's statistics"
			}
		}
		return ""
	}},
	"get-stats-stewards": {allowed: []string{"dispatcher", "leader", "steward"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/stats/stewards"}
	}, leak: func(w *world, role string, r *response) string {
		for _, it := range r.items() {
			if role != "dispatcher" && it["steward_id"] == w.steward2.ID {
				return "another steward's statistics"
			}
		}
		return ""
	}},
	"get-stats-categories": {allowed: []string{"dispatcher", "leader", "steward"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/stats/categories"}
	}, leak: func(w *world, role string, r *response) string {
		for _, it := range r.items() {
			if tickets, _ := it["tickets"].(map[string]any); role != "dispatcher" && tickets["total"] != 0.0 {
				return "tickets outside the caller's portfolio"
			}
		}
		return ""
	}},
	"get-monthly-report": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/reports/monthly?month=" + time.Now().In(domain.Shanghai).Format("2006-01")}
	}},
	"get-stats-trends": {allowed: []string{"dispatcher", "leader", "steward"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/stats/trends?months=2"}
	}, leak: func(w *world, role string, r *response) string {
		for _, it := range r.items() {
			if tickets, _ := it["tickets"].(map[string]any); role != "dispatcher" && tickets["total"] != 0.0 {
				return "tickets outside the caller's portfolio"
			}
		}
		return ""
	}},
	// The scorecard compares departments: not for officers; a leader's or steward's counts their
	// portfolio only (in the matrix, empty). Its settings are the administrator's.
	"get-stats-scorecard": {allowed: []string{"dispatcher", "leader", "steward"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/stats/scorecard?month=" + time.Now().In(domain.Shanghai).Format("2006-01")}
	}, leak: func(w *world, role string, r *response) string {
		if list, _ := r.body["departments"].([]any); role != "dispatcher" && len(list) > 0 {
			return "departments scored on tickets outside the caller's portfolio"
		}
		return ""
	}},
	"get-scorecard-settings": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		return request{method: "GET", path: "/api/v1/settings/scorecard"}
	}},
	"update-scorecard-settings": {allowed: []string{"admin"}, req: func(w *world, role string) request {
		// Weights adding up to 90: the administrator may try (422), nothing changes.
		return request{method: "PUT", path: "/api/v1/settings/scorecard", headers: []string{"If-Match", `"1"`},
			body: map[string]any{"weights": map[string]any{"on_time": 40, "satisfaction": 30, "returns": 10, "node_on_time": 10}, "red": 3, "black": 3}}
	}},
}

// move is a ticket action on tk with its current ETag.
func (w *world) move(tk *domain.Ticket, action string, body map[string]any) request {
	r := request{method: "POST", path: "/api/v1/tickets/" + tk.ID + "/actions/" + action, headers: []string{"If-Match", w.etag("tickets", tk.ID)}}
	if body != nil {
		r.body = body
	}
	return r
}

// etag reads the current version of an object as the system would, so that a refusal is about
// who asks, never about a stale version.
func (w *world) etag(kind, id string) string {
	var v int
	if err := w.b.db.Bun.NewSelect().Table(kind).Column("version").Where("id = ?", id).Scan(system, &v); err != nil {
		panic(err)
	}
	return fmt.Sprintf(`"%d"`, v)
}

func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := &world{b: b, clients: map[string]*client{"anonymous": b.anonymous()}}
	w.dept = b.department(t, "区自然资源和规划局", domain.DepartmentGovernment)
	w.ent = b.enterprise(t, "无人包保的企业有限公司")
	w.own = b.enterprise(t, "门户企业有限公司")
	w.target = b.user(t, domain.RoleOfficer, w.dept.ID)
	w.leader2, w.steward2 = b.user(t, domain.RoleLeader), b.user(t, domain.RoleSteward)
	w.proj = b.project(t, w.ent.ID, "无人包保的项目")
	w.assign = b.assign(t, domain.SubjectEnterprise, w.own.ID, w.leader2.ID, w.steward2.ID)
	w.imp = b.systemImport(t)
	w.ticket, w.fresh = b.matrixTickets(t, w.ent.ID)
	w.visit = b.visitBy(t, w.steward2, w.own.ID)
	w.attached = b.systemAttachment(t, w.ticket.ID)
	w.note = b.notify(t, w.steward2.ID)[0]
	for _, role := range loggedIn {
		switch domain.Role(role) {
		case domain.RoleEnterprise:
			w.clients[role] = b.as(t, domain.RoleEnterprise, w.own.ID)
		case domain.RoleOfficer, domain.RoleLeader:
			w.clients[role] = b.as(t, domain.Role(role), w.dept.ID)
		default:
			w.clients[role] = b.as(t, domain.Role(role))
		}
	}
	other := b.login(t, b.user(t, domain.RoleSteward).Username)
	w.foreign = other.do(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "not yours"}).want(t, 201).body["id"].(string)

	// Every operation of the document has a rule, and every rule an operation.
	doc := b.anonymous().do(t, "GET", "/openapi.json", nil).want(t, 200)
	var ops []string
	for _, item := range doc.body["paths"].(map[string]any) {
		for _, op := range item.(map[string]any) {
			if m, ok := op.(map[string]any); ok && m["operationId"] != nil {
				ops = append(ops, m["operationId"].(string))
			}
		}
	}
	sort.Strings(ops)
	seen := map[string]bool{}
	for _, op := range ops {
		seen[op] = true
		if _, ok := accessMatrix[op]; !ok {
			t.Errorf("operation %s has no access-matrix entry: add one saying who may reach what", op)
		}
	}
	for op := range accessMatrix {
		if !seen[op] {
			t.Errorf("access-matrix entry %s names no operation", op)
		}
	}

	for _, op := range ops {
		rule, ok := accessMatrix[op]
		if !ok || rule.public {
			continue
		}
		for _, role := range matrixRoles {
			allowed := false
			for _, a := range rule.allowed {
				allowed = allowed || a == role
			}
			c := w.clients[role]
			if rule.fresh && role != "anonymous" {
				c = b.as(t, domain.Role(role), freshMembership(w, role)...)
			}
			rq := rule.req(w, role)
			r := c.do(t, rq.method, rq.path, rq.body, rq.headers...)
			denied := r.StatusCode == http.StatusUnauthorized || r.StatusCode == http.StatusForbidden || r.StatusCode == http.StatusNotFound
			if !allowed && slices.Contains(rule.refused, r.StatusCode) {
				denied = true
			}
			switch {
			case allowed && denied:
				t.Errorf("%s as %s: %d %s; the role should be allowed", op, role, r.StatusCode, r.raw)
			case !allowed && !denied:
				t.Errorf("LEAK: %s as %s: %d %s; want 401, 403 or 404", op, role, r.StatusCode, strings.TrimSpace(string(r.raw)))
			case !allowed && role == "anonymous" && r.StatusCode != http.StatusUnauthorized:
				t.Errorf("%s anonymously: %d, want 401", op, r.StatusCode)
			case allowed && rule.leak != nil:
				if what := rule.leak(w, role, r); what != "" {
					t.Errorf("LEAK: %s as %s shows %s", op, role, what)
				}
			}
		}
	}
}

func freshMembership(w *world, role string) []string {
	switch domain.Role(role) {
	case domain.RoleEnterprise:
		return []string{w.own.ID}
	case domain.RoleOfficer, domain.RoleLeader:
		return []string{w.dept.ID}
	}
	return nil
}
