package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"
)

// scanTicketRows runs q and reads its rows (n is room for as many) into ticketRows without bun's
// per-value work: bun looks every column of every row up by name and sets it through reflection,
// which was a third of the server's time on a list of 50 (steward bench --cpu-profile, dispatcher
// intake). Here the columns are matched to their fields once per query; a column this does not
// know is an error, never a silently empty field (TestTicketFieldsCoverTheRow keeps the two in
// step). bun still builds the SQL, but the query runs on the pgx pool itself: database/sql boxed
// every value of every row as a driver.Value and converted it again into its field (half of the
// handler's time after the reflection went, steward bench --cpu-profile, officer inbox), where
// pgx decodes each straight into its field.
func (db *DB) scanTicketRows(ctx context.Context, q *bun.SelectQuery, n int) ([]ticketRow, error) {
	query, err := q.AppendQuery(q.DB().QueryGen(), nil)
	if err != nil {
		return nil, err
	}
	out, err := db.queryTicketRows(ctx, string(query), n)
	db.afterQuery(ctx, string(query), err)
	return out, err
}

func (db *DB) queryTicketRows(ctx context.Context, query string, n int) ([]ticketRow, error) {
	conn, err := db.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	rows, err := conn.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	descs := rows.FieldDescriptions()
	fields := make([]func(*ticketRow) any, len(descs))
	for i, d := range descs {
		if fields[i] = ticketFields[d.Name]; fields[i] == nil {
			return nil, fmt.Errorf("scan tickets: no field for column %q", d.Name)
		}
	}
	out := make([]ticketRow, 0, n)
	dest := make([]any, len(descs))
	for rows.Next() {
		out = append(out, ticketRow{})
		r := &out[len(out)-1]
		for i, f := range fields {
			dest[i] = f(r)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// jsonColumn scans a jsonb column into v; NULL leaves v as it is.
type jsonColumn struct{ v any }

func (j jsonColumn) Scan(src any) error {
	switch b := src.(type) {
	case nil:
		return nil
	case []byte:
		return json.Unmarshal(b, j.v)
	case string:
		return json.Unmarshal([]byte(b), j.v)
	}
	return fmt.Errorf("scan jsonb: unexpected %T", src)
}

// ticketFields are where each column of a ticket row (and the names selectTickets adds) goes.
var ticketFields = map[string]func(*ticketRow) any{
	"id":                func(r *ticketRow) any { return &r.ID },
	"version":           func(r *ticketRow) any { return &r.Version },
	"created_at":        func(r *ticketRow) any { return &r.CreatedAt },
	"updated_at":        func(r *ticketRow) any { return &r.UpdatedAt },
	"number":            func(r *ticketRow) any { return &r.Number },
	"enterprise_id":     func(r *ticketRow) any { return &r.EnterpriseID },
	"project_id":        func(r *ticketRow) any { return &r.ProjectID },
	"visit_id":          func(r *ticketRow) any { return &r.VisitID },
	"source":            func(r *ticketRow) any { return &r.Source },
	"category_id":       func(r *ticketRow) any { return &r.CategoryID },
	"title":             func(r *ticketRow) any { return &r.Title },
	"description":       func(r *ticketRow) any { return &r.Description },
	"priority":          func(r *ticketRow) any { return &r.Priority },
	"urgency_requested": func(r *ticketRow) any { return &r.UrgencyAsked },
	"status":            func(r *ticketRow) any { return &r.Status },
	"department_id":     func(r *ticketRow) any { return &r.DepartmentID },
	"handler_id":        func(r *ticketRow) any { return &r.HandlerID },
	"steward_id":        func(r *ticketRow) any { return &r.StewardID },
	"leader_id":         func(r *ticketRow) any { return &r.LeaderID },
	"sign_days":         func(r *ticketRow) any { return &r.SignDays },
	"resolve_days":      func(r *ticketRow) any { return &r.ResolveDays },
	"due_sign_at":       func(r *ticketRow) any { return &r.DueSignAt },
	"warn_sign_at":      func(r *ticketRow) any { return &r.WarnSignAt },
	"due_resolve_at":    func(r *ticketRow) any { return &r.DueResolveAt },
	"warn_resolve_at":   func(r *ticketRow) any { return &r.WarnResolveAt },
	"clock_due_at":      func(r *ticketRow) any { return &r.ClockDueAt },
	"clock_warn_at":     func(r *ticketRow) any { return &r.ClockWarnAt },
	"extension":         func(r *ticketRow) any { return jsonColumn{&r.Extension} },
	"opinions":          func(r *ticketRow) any { return jsonColumn{&r.Opinions} },
	"accepted_at":       func(r *ticketRow) any { return &r.AcceptedAt },
	"resolution":        func(r *ticketRow) any { return &r.Resolution },
	"resolved_at":       func(r *ticketRow) any { return &r.ResolvedAt },
	"rating":            func(r *ticketRow) any { return jsonColumn{&r.Rating} },
	"rating_solved":     func(r *ticketRow) any { return &r.RatingSolved },
	"rating_attitude":   func(r *ticketRow) any { return &r.RatingAttitude },
	"reopen_count":      func(r *ticketRow) any { return &r.ReopenCount },
	"closed_at":         func(r *ticketRow) any { return &r.ClosedAt },
	"created_by":        func(r *ticketRow) any { return &r.CreatedBy },
	"idempotency_key":   func(r *ticketRow) any { return &r.IdempotencyKey },
	"request_hash":      func(r *ticketRow) any { return &r.RequestHash },
	"plan_node_id":      func(r *ticketRow) any { return &r.PlanNodeID },
	"enterprise_name":   func(r *ticketRow) any { return &r.EnterpriseName },
	"category_name":     func(r *ticketRow) any { return &r.CategoryName },
	"department_name":   func(r *ticketRow) any { return &r.DepartmentName },
	"handler_name":      func(r *ticketRow) any { return &r.HandlerName },
}
