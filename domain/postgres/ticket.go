package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"steward/domain"
)

// TicketService implements domain.TicketService.
type TicketService struct {
	db *DB
	// calendar gives the working-day calendar in force (statutory data and admin overrides).
	calendar func(ctx context.Context) (domain.WorkingDays, error)
	// notifier sends what the rules say someone must hear (domain.Notice).
	notifier *Notifier
}

// NewTicketService returns a TicketService on db using the calendar cal, sending notices through
// notifier.
func NewTicketService(db *DB, cal func(ctx context.Context) (domain.WorkingDays, error), notifier *Notifier) *TicketService {
	return &TicketService{db: db, calendar: cal, notifier: notifier}
}

var _ domain.TicketService = (*TicketService)(nil)

type ticketRow struct {
	bun.BaseModel `bun:"table:tickets,alias:t"`
	meta
	Number         string         `bun:"number,notnull" json:"number"`
	EnterpriseID   string         `bun:"enterprise_id,type:uuid,notnull" json:"enterprise_id"`
	ProjectID      *string        `bun:"project_id,type:uuid" json:"project_id"`
	VisitID        *string        `bun:"visit_id,type:uuid" json:"visit_id"`
	Source         string         `bun:"source,notnull" json:"source"`
	CategoryID     string         `bun:"category_id,type:uuid,notnull" json:"category_id"`
	Title          string         `bun:"title,notnull" json:"title"`
	Description    string         `bun:"description,notnull" json:"description"`
	Priority       string         `bun:"priority,notnull" json:"priority"`
	UrgencyAsked   bool           `bun:"urgency_requested,notnull" json:"urgency_requested"`
	Status         string         `bun:"status,notnull" json:"status"`
	DepartmentID   *string        `bun:"department_id,type:uuid" json:"department_id"`
	HandlerID      *string        `bun:"handler_id,type:uuid" json:"handler_id"`
	StewardID      *string        `bun:"steward_id,type:uuid" json:"steward_id"`
	LeaderID       *string        `bun:"leader_id,type:uuid" json:"leader_id"`
	SignDays       int            `bun:"sign_days,notnull" json:"sign_days"`
	ResolveDays    int            `bun:"resolve_days,notnull" json:"resolve_days"`
	DueSignAt      *time.Time     `bun:"due_sign_at" json:"due_sign_at"`
	WarnSignAt     *time.Time     `bun:"warn_sign_at" json:"warn_sign_at"`
	DueResolveAt   *time.Time     `bun:"due_resolve_at" json:"due_resolve_at"`
	WarnResolveAt  *time.Time     `bun:"warn_resolve_at" json:"warn_resolve_at"`
	ClockDueAt     *time.Time     `bun:"clock_due_at" json:"clock_due_at"`
	ClockWarnAt    *time.Time     `bun:"clock_warn_at" json:"clock_warn_at"`
	Extension      *extensionJSON `bun:"extension,type:jsonb" json:"extension"`
	Opinions       []opinionJSON  `bun:"opinions,type:jsonb,notnull" json:"opinions"`
	AcceptedAt     *time.Time     `bun:"accepted_at" json:"accepted_at"`
	Resolution     string         `bun:"resolution,notnull" json:"resolution"`
	ResolvedAt     *time.Time     `bun:"resolved_at" json:"resolved_at"`
	Rating         *ratingJSON    `bun:"rating,type:jsonb" json:"rating"`
	RatingSolved   *int           `bun:"rating_solved" json:"-"`
	RatingAttitude *int           `bun:"rating_attitude" json:"-"`
	ReopenCount    int            `bun:"reopen_count,notnull" json:"reopen_count"`
	ClosedAt       *time.Time     `bun:"closed_at" json:"closed_at"`
	CreatedBy      *string        `bun:"created_by,type:uuid" json:"created_by"`
	IdempotencyKey *string        `bun:"idempotency_key" json:"-"`
	RequestHash    *string        `bun:"request_hash" json:"-"`
	PlanNodeID     *string        `bun:"plan_node_id,type:uuid" json:"plan_node_id"`

	EnterpriseName string `bun:"enterprise_name,scanonly" json:"-"`
	CategoryName   string `bun:"category_name,scanonly" json:"-"`
	DepartmentName string `bun:"department_name,scanonly" json:"-"`
	HandlerName    string `bun:"handler_name,scanonly" json:"-"`
}

// extensionJSON is a pending extension as the extension column stores it, under fixed names.
// Rows written before the names were fixed used the Go field names; encoding/json matches one-word
// names whatever their case, and RequestedBy is read from its old name too.
type extensionJSON struct {
	Days        int       `json:"days"`
	Reason      string    `json:"reason"`
	RequestedBy string    `json:"requested_by"`
	At          time.Time `json:"at"`
	// OldRequestedBy is RequestedBy in rows written before the names were fixed (read only).
	OldRequestedBy string `json:"RequestedBy,omitempty"`
}

func toExtensionJSON(e *domain.Extension) *extensionJSON {
	if e == nil {
		return nil
	}
	return &extensionJSON{Days: e.Days, Reason: e.Reason, RequestedBy: e.RequestedBy, At: e.At}
}

func (j *extensionJSON) toDomain() *domain.Extension {
	if j == nil {
		return nil
	}
	by := j.RequestedBy
	if by == "" {
		by = j.OldRequestedBy
	}
	return &domain.Extension{Days: j.Days, Reason: j.Reason, RequestedBy: by, At: j.At}
}

// opinionJSON is a co-handling department's opinion as an element of the opinions column
// (migration 0016).
type opinionJSON struct {
	DepartmentID   string     `json:"department_id"`
	DepartmentName string     `json:"department_name"`
	Status         string     `json:"status"`
	DueAt          time.Time  `json:"due_at"`
	WarnAt         time.Time  `json:"warn_at"`
	Body           string     `json:"body,omitempty"`
	By             string     `json:"by,omitempty"`
	At             *time.Time `json:"at,omitempty"`
}

func toOpinionsJSON(list []domain.Opinion) []opinionJSON {
	out := make([]opinionJSON, len(list)) // never nil: the column is a NOT NULL array
	for i, o := range list {
		out[i] = opinionJSON{DepartmentID: o.DepartmentID, DepartmentName: o.DepartmentName, Status: string(o.Status),
			DueAt: o.Clock.Due, WarnAt: o.Clock.Warn, Body: o.Body, By: o.By, At: o.At}
	}
	return out
}

func opinionsOf(rows []opinionJSON) []domain.Opinion {
	var out []domain.Opinion
	for _, j := range rows {
		out = append(out, domain.Opinion{DepartmentID: j.DepartmentID, DepartmentName: j.DepartmentName,
			Status: domain.OpinionStatus(j.Status), Clock: domain.Clock{Due: j.DueAt, Warn: j.WarnAt}, Body: j.Body, By: j.By, At: j.At})
	}
	return out
}

// ratingJSON is a rating as the rating column stores it, under fixed names (the one-word names of
// rows written before are matched whatever their case).
type ratingJSON struct {
	Solved   int       `json:"solved"`
	Attitude int       `json:"attitude"`
	Tags     []string  `json:"tags"`
	Comment  string    `json:"comment"`
	At       time.Time `json:"at"`
	Auto     bool      `json:"auto"`
}

func toRatingJSON(r *domain.Rating) *ratingJSON {
	if r == nil {
		return nil
	}
	return &ratingJSON{Solved: r.Solved, Attitude: r.Attitude, Tags: r.Tags, Comment: r.Comment, At: r.At, Auto: r.Auto}
}

func (j *ratingJSON) toDomain() *domain.Rating {
	if j == nil {
		return nil
	}
	return &domain.Rating{Solved: j.Solved, Attitude: j.Attitude, Tags: j.Tags, Comment: j.Comment, At: j.At, Auto: j.Auto}
}

func clockOf(due, warn *time.Time) *domain.Clock {
	if due == nil {
		return nil
	}
	c := &domain.Clock{Due: *due}
	if warn != nil {
		c.Warn = *warn
	}
	return c
}

func (r *ticketRow) toDomain() *domain.Ticket {
	return &domain.Ticket{
		ID: r.ID, Number: r.Number, EnterpriseID: r.EnterpriseID, EnterpriseName: r.EnterpriseName,
		ProjectID: deref(r.ProjectID), VisitID: deref(r.VisitID), Source: domain.TicketSource(r.Source),
		CategoryID: r.CategoryID, CategoryName: r.CategoryName, Title: r.Title, Description: r.Description,
		Priority: domain.Priority(r.Priority), UrgencyRequested: r.UrgencyAsked, Status: domain.TicketStatus(r.Status),
		DepartmentID: deref(r.DepartmentID), DepartmentName: r.DepartmentName, HandlerID: deref(r.HandlerID),
		HandlerName: r.HandlerName, StewardID: deref(r.StewardID), LeaderID: deref(r.LeaderID),
		SignDays: r.SignDays, ResolveDays: r.ResolveDays, SignClock: clockOf(r.DueSignAt, r.WarnSignAt),
		ResolveClock: clockOf(r.DueResolveAt, r.WarnResolveAt), Extension: r.Extension.toDomain(), Opinions: opinionsOf(r.Opinions), AcceptedAt: r.AcceptedAt, Resolution: r.Resolution,
		ResolvedAt: r.ResolvedAt, Rating: r.Rating.toDomain(), ReopenCount: r.ReopenCount, ClosedAt: r.ClosedAt,
		CreatedBy: deref(r.CreatedBy), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		PlanNodeID: deref(r.PlanNodeID),
	}
}

// set copies what moves change from t into r.
func (r *ticketRow) set(t *domain.Ticket) {
	r.Status, r.DepartmentID, r.HandlerID = string(t.Status), nullable(t.DepartmentID), nullable(t.HandlerID)
	r.Priority, r.UrgencyAsked, r.SignDays, r.ResolveDays = string(t.Priority), t.UrgencyRequested, t.SignDays, t.ResolveDays
	r.DueSignAt, r.WarnSignAt, r.DueResolveAt, r.WarnResolveAt = nil, nil, nil, nil
	if t.SignClock != nil {
		r.DueSignAt, r.WarnSignAt = &t.SignClock.Due, &t.SignClock.Warn
	}
	if t.ResolveClock != nil {
		r.DueResolveAt, r.WarnResolveAt = &t.ResolveClock.Due, &t.ResolveClock.Warn
	}
	r.ClockDueAt, r.ClockWarnAt = nil, nil
	if c := t.RunningClock(); c != nil {
		r.ClockDueAt, r.ClockWarnAt = &c.Due, &c.Warn
	}
	r.Extension, r.Resolution, r.ResolvedAt, r.Rating = toExtensionJSON(t.Extension), t.Resolution, t.ResolvedAt, toRatingJSON(t.Rating)
	r.AcceptedAt, r.Opinions = t.AcceptedAt, toOpinionsJSON(t.Opinions)
	r.RatingSolved, r.RatingAttitude = nil, nil
	if t.Rating != nil && !t.Rating.Auto {
		r.RatingSolved, r.RatingAttitude = &t.Rating.Solved, &t.Rating.Attitude
	}
	r.ReopenCount, r.ClosedAt = t.ReopenCount, t.ClosedAt
}

// ticketScope narrows a query on tickets (alias t) to the actor's scope (DESIGN.md §5).
func ticketScope(a *domain.Actor) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if a.IsSystem() {
			return q
		}
		if !domain.Can(a, domain.ActRead, domain.ResTicket) {
			return noRows(q)
		}
		switch a.Role {
		case domain.RoleDispatcher:
			return q
		case domain.RoleSteward, domain.RoleLeader:
			// Access follows the assignment in force, never the names a ticket was created with:
			// a steward or leader whose enterprise was reassigned loses its tickets, closed ones
			// and their internal events and files included (DESIGN.md §5).
			return q.Where(portfolioTicketSQL, a.UserID, a.UserID, a.UserID, a.UserID)
		case domain.RoleOfficer:
			// The lead department's tickets, and those it co-handles while they are open.
			return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
				return q.Where(leadSQL, a.DepartmentID).WhereOr(coHandlingSQL, coHandlerSQL(a.DepartmentID))
			})
		case domain.RoleEnterprise:
			return q.Where("t.enterprise_id = ?", a.EnterpriseID)
		case domain.RoleIntegration:
			return q.Where("t.created_by = ?", a.UserID)
		}
		return noRows(q)
	}
}

// An officer's scope, in two parts (ticketScope, ticketParts): the tickets their department
// leads (leadSQL, with the department) and the open ones it co-handles (coHandlingSQL, with
// coHandlerSQL of the department).
const (
	leadSQL       = "t.department_id = ?"
	coHandlingSQL = "t.status NOT IN ('rejected', 'closed') AND t.opinions @> ?::jsonb"
)

// portfolioTicketSQL is true when the enterprise of ticket t is one the user (the four
// arguments) answers for or serves now: assignedEnterprisesSQL asked of one ticket. EXISTS under
// an OR stay subplans (hashed, or a probe per ticket) that PostgreSQL checks as it walks a list's
// index in order, where the IN form became a join that matched every ticket of the portfolio
// before it could cut the first page (a leader's portfolio on the scale district: 5,250 → 320
// buffers). Leader and steward are asked apart so that each hashed subplan is an index-only
// scan of assignments_current_leader or assignments_current_steward.
const portfolioTicketSQL = `(EXISTS (SELECT 1 FROM assignments a WHERE a.to_date IS NULL AND a.subject_type = 'enterprise'
		AND a.subject_id = t.enterprise_id AND a.leader_id = ?)
	OR EXISTS (SELECT 1 FROM assignments a WHERE a.to_date IS NULL AND a.subject_type = 'enterprise'
		AND a.subject_id = t.enterprise_id AND a.steward_id = ?)
	OR EXISTS (SELECT 1 FROM projects p JOIN assignments a ON a.subject_type = 'project' AND a.subject_id = p.id AND a.to_date IS NULL
		WHERE p.enterprise_id = t.enterprise_id AND (a.steward_id = ? OR a.leader_id = ?)))`

// ticketParts is ticketScope for a list filtered by f, cut into parts that share no ticket and
// whose union is the scope, each a condition that one index reads in the list's order (migration
// 0023): PostgreSQL cannot walk an index through an OR, and collected and sorted every match of
// both branches to show 50 (README, Performance). An officer's parts are the tickets their
// department leads and those it co-handles under another lead; the inbox of a steward or leader
// is the tickets they lead and those they steward under another leader.
func ticketParts(a *domain.Actor, f domain.TicketFilter) []func(*bun.SelectQuery) *bun.SelectQuery {
	scope := ticketScope(a)
	if a.IsSystem() || !domain.Can(a, domain.ActRead, domain.ResTicket) {
		return []func(*bun.SelectQuery) *bun.SelectQuery{scope}
	}
	in := domain.InboxOf(a)
	switch {
	case a.Role == domain.RoleOfficer:
		lead := func(q *bun.SelectQuery) *bun.SelectQuery { return q.Where(leadSQL, a.DepartmentID) }
		if (f.Mine && in.Lead) || (f.DepartmentID != "" && f.DepartmentID == a.DepartmentID) {
			return []func(*bun.SelectQuery) *bun.SelectQuery{lead} // nothing co-handled under another lead is left
		}
		return []func(*bun.SelectQuery) *bun.SelectQuery{lead, func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where(coHandlingSQL, coHandlerSQL(a.DepartmentID)).Where("t.department_id IS DISTINCT FROM ?", a.DepartmentID)
		}}
	case f.Mine && in.Portfolio:
		return []func(*bun.SelectQuery) *bun.SelectQuery{
			func(q *bun.SelectQuery) *bun.SelectQuery { return scope(q).Where("t.leader_id = ?", a.UserID) },
			func(q *bun.SelectQuery) *bun.SelectQuery {
				return scope(q).Where("t.steward_id = ?", a.UserID).Where("t.leader_id IS DISTINCT FROM ?", a.UserID)
			},
		}
	}
	return []func(*bun.SelectQuery) *bun.SelectQuery{scope}
}

// coHandlerSQL is the jsonb that opinions contains when dept co-handles the ticket.
func coHandlerSQL(dept string) string {
	b, _ := json.Marshal([]map[string]string{{"department_id": dept}})
	return string(b)
}

// coHandlerOwedSQL is the jsonb that opinions contains while dept owes its opinion.
func coHandlerOwedSQL(dept string) string {
	b, _ := json.Marshal([]map[string]string{{"department_id": dept, "status": string(domain.OpinionOwed)}})
	return string(b)
}

func (s *TicketService) selectTickets(a *domain.Actor) *bun.SelectQuery {
	return withTicketNames(ticketScope(a)(s.db.Bun.NewSelect().Model((*ticketRow)(nil)).ColumnExpr("t.*")))
}

// withTicketNames adds the names a ticket (alias t) is shown with. They come from scalar
// subqueries, not joins: PostgreSQL evaluates them after the sort and limit, for the rows of the
// page only, where joins would be made for every match (README, Performance: a leader's
// portfolio matched 1,452 tickets to show 50).
func withTicketNames(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("(SELECT e.name FROM enterprises e WHERE e.id = t.enterprise_id) AS enterprise_name").
		ColumnExpr("(SELECT c.name FROM categories c WHERE c.id = t.category_id) AS category_name").
		ColumnExpr("coalesce((SELECT d.name FROM departments d WHERE d.id = t.department_id), '') AS department_name").
		ColumnExpr("coalesce((SELECT h.display_name FROM users h WHERE h.id = t.handler_id), '') AS handler_name")
}

// nextNumber takes the next ticket number of the year (SQ-2026-000123) in the transaction.
func nextNumber(ctx context.Context, tx bun.Tx, now time.Time) (string, error) {
	year := now.In(domain.Shanghai).Year()
	var n int
	err := tx.NewRaw(`INSERT INTO ticket_counters (year, last) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last = ticket_counters.last + 1 RETURNING last`, year).Scan(ctx, &n)
	if err != nil {
		return "", translate(err)
	}
	return fmt.Sprintf("SQ-%d-%06d", year, n), nil
}

type categoryLimits struct {
	Name                  string  `bun:"name"`
	DefaultDepartmentID   *string `bun:"default_department_id"`
	SignDays, ResolveDays int
	Active                bool
}

func (s *TicketService) CreateTicket(ctx context.Context, t *domain.Ticket, key, bodyHash string) (bool, error) {
	a := domain.ActorFrom(ctx)
	if err := s.prepare(a, t); err != nil {
		return false, err
	}
	if key != "" {
		if replayed, err := s.replay(ctx, a, t, key, bodyHash); replayed || err != nil {
			return replayed, err
		}
	}
	err := s.db.InTx(ctx, func(tx bun.Tx) error { return s.createIn(ctx, tx, t, key, bodyHash, "") })
	if domain.ErrorCode(err) == domain.ECONFLICT && key != "" {
		// The same key committed concurrently: answer with that ticket. A key used more than 24
		// hours ago is not replayed, and may not be used again either.
		if replayed, err := s.replay(ctx, a, t, key, bodyHash); replayed || err != nil {
			return replayed, err
		}
		return false, &domain.Error{Code: domain.EINVALID, Message: "this Idempotency-Key was used before; send a new key for a new ticket",
			Fields: []domain.FieldError{{Field: "Idempotency-Key", Message: "already used"}}}
	}
	if err != nil {
		return false, err
	}
	got, err := s.Ticket(ctx, t.ID)
	if err != nil {
		return false, err
	}
	*t = *got
	return false, nil
}

// prepare checks who submits and the ticket's own fields, and sets its source.
func (s *TicketService) prepare(a *domain.Actor, t *domain.Ticket) error {
	if !domain.Can(a, domain.ActCreate, domain.ResTicket) {
		return domain.Forbidden(a, "submit tickets")
	}
	if a.Role == domain.RoleEnterprise {
		t.EnterpriseID = a.EnterpriseID // an enterprise user's ticket is always their own enterprise's
	}
	source, err := domain.SourceFor(a, t.Source, t.VisitID != "")
	if err != nil {
		return err
	}
	t.Source = source
	return t.Validate()
}

// createIn stores a prepared ticket in tx: it checks what it refers to, takes the category's
// limits and the assignment's steward and leader, numbers it and records its first event.
// Field errors are reported under prefix (tickets[0]. for a visit's findings).
func (s *TicketService) createIn(ctx context.Context, tx bun.Tx, t *domain.Ticket, key, bodyHash, prefix string) error {
	a := domain.ActorFrom(ctx)
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	var v domain.Validation
	// The enterprise must be one the submitter may see (its own, their portfolio, any for the bureau).
	// A database error is never reported as a missing reference.
	exists := func(field, message string, q *bun.SelectQuery) error {
		n, err := q.Count(ctx)
		if err != nil {
			return translate(err)
		}
		v.Check(n == 1, prefix+field, "%s", message)
		return nil
	}
	if uuid.Validate(t.EnterpriseID) != nil {
		v.Add(prefix+"enterprise_id", "no such enterprise")
	} else if err := exists("enterprise_id", "no such enterprise",
		enterpriseScope(a)(tx.NewSelect().Model((*enterpriseRow)(nil)).Where("?TableAlias.id = ?", t.EnterpriseID))); err != nil {
		return err
	}
	if t.ProjectID != "" {
		if uuid.Validate(t.ProjectID) != nil {
			v.Add(prefix+"project_id", "no such project of this enterprise")
		} else if err := exists("project_id", "no such project of this enterprise",
			tx.NewSelect().Table("projects").Where("id = ? AND enterprise_id = ?", t.ProjectID, t.EnterpriseID)); err != nil {
			return err
		}
	}
	if t.VisitID != "" && t.VisitID != "pending" {
		// A ticket may point to a visit of the same enterprise that its submitter may see.
		if uuid.Validate(t.VisitID) != nil {
			v.Add(prefix+"visit_id", "no such visit of this enterprise")
		} else if err := exists("visit_id", "no such visit of this enterprise",
			visitScope(a)(tx.NewSelect().TableExpr("visits AS v").Where("v.id = ? AND v.enterprise_id = ?", t.VisitID, t.EnterpriseID))); err != nil {
			return err
		}
	}
	var cat categoryLimits
	if uuid.Validate(t.CategoryID) != nil {
		v.Add(prefix+"category_id", "no such category")
	} else if err := tx.NewSelect().Table("categories").Column("name", "default_department_id", "sign_days", "resolve_days", "active").
		Where("id = ?", t.CategoryID).Scan(ctx, &cat); err != nil {
		if err := translate(err); domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		v.Add(prefix+"category_id", "no such category")
	} else if !cat.Active {
		v.Add(prefix+"category_id", "no such category")
	}
	if err := v.Err(); err != nil {
		return err
	}
	t.CategoryName = cat.Name
	// Steward and leader come from the assignment in force: the project's, else the enterprise's.
	var asg assignmentRow
	q := tx.NewSelect().Model(&asg).Where("to_date IS NULL").
		Where("(subject_type = 'enterprise' AND subject_id = ?) OR (subject_type = 'project' AND subject_id = ?)", t.EnterpriseID, nullable(t.ProjectID)).
		OrderExpr("subject_type = 'project' DESC").Limit(1)
	if err := q.Scan(ctx); err == nil {
		t.StewardID, t.LeaderID = asg.StewardID, asg.LeaderID
	}
	number, err := nextNumber(ctx, tx, now)
	if err != nil {
		return err
	}
	t.ID, t.Number = uuid.Must(uuid.NewV7()).String(), number
	ev := t.Submit(a, cat.SignDays, cat.ResolveDays, now)
	r := &ticketRow{meta: meta{ID: t.ID, Version: 1, CreatedAt: now, UpdatedAt: now}, Number: number,
		EnterpriseID: t.EnterpriseID, ProjectID: nullable(t.ProjectID), VisitID: nullable(t.VisitID),
		Source: string(t.Source), CategoryID: t.CategoryID, Title: t.Title, Description: t.Description,
		Priority: string(t.Priority), StewardID: nullable(t.StewardID), LeaderID: nullable(t.LeaderID),
		SignDays: t.SignDays, ResolveDays: t.ResolveDays, CreatedBy: nullable(a.UserID),
		IdempotencyKey: nullable(key), RequestHash: nullable(bodyHash)}
	r.set(t)
	if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
		return translate(err)
	}
	if err := s.recordEvent(ctx, tx, &ev); err != nil {
		return err
	}
	return s.db.audit(ctx, tx, "create", "ticket", t.ID, nil, r)
}

// replay answers a repeated Idempotency-Key with the ticket it created (within 24 hours).
func (s *TicketService) replay(ctx context.Context, a *domain.Actor, t *domain.Ticket, key, bodyHash string) (bool, error) {
	var r ticketRow
	err := s.db.Bun.NewSelect().Model(&r).Where("created_by = ?", nullable(a.UserID)).Where("idempotency_key = ?", key).
		Where("created_at > ?", s.db.Now().Add(-24*time.Hour)).Scan(ctx)
	if domain.ErrorCode(translate(err)) == domain.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, translate(err)
	}
	if r.RequestHash != nil && *r.RequestHash != bodyHash {
		return false, &domain.Error{Code: domain.EINVALID, Message: "this Idempotency-Key was used for a different request",
			Fields: []domain.FieldError{{Field: "Idempotency-Key", Message: "send a new key for a new ticket"}}}
	}
	got, err := s.Ticket(ctx, r.ID)
	if err != nil {
		return false, err
	}
	*t = *got
	return true, nil
}

type ticketEventRow struct {
	bun.BaseModel `bun:"table:ticket_events,alias:ev"`
	ID            string         `bun:"id,pk,type:uuid"`
	TicketID      string         `bun:"ticket_id,type:uuid,notnull"`
	Action        string         `bun:"action,notnull"`
	FromStatus    string         `bun:"from_status,notnull"`
	ToStatus      string         `bun:"to_status,notnull"`
	ActorID       *string        `bun:"actor_id,type:uuid"`
	ActorName     string         `bun:"actor_name,notnull"`
	ActorRole     string         `bun:"actor_role,notnull"`
	Body          string         `bun:"body,notnull"`
	Public        bool           `bun:"public,notnull"`
	Data          map[string]any `bun:"data,type:jsonb"`
	At            time.Time      `bun:"at,notnull"`
}

func (s *TicketService) recordEvent(ctx context.Context, tx bun.Tx, ev *domain.TicketEvent) error {
	ev.ID = uuid.Must(uuid.NewV7()).String()
	_, err := tx.NewInsert().Model(&ticketEventRow{ID: ev.ID, TicketID: ev.TicketID, Action: ev.Action,
		FromStatus: string(ev.FromStatus), ToStatus: string(ev.ToStatus), ActorID: nullable(ev.ActorID),
		ActorName: ev.ActorName, ActorRole: string(ev.ActorRole), Body: ev.Body, Public: ev.Public, Data: ev.Data, At: ev.At}).Exec(ctx)
	return translate(err)
}

func (s *TicketService) Ticket(ctx context.Context, id string) (*domain.Ticket, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResTicket) {
		return nil, domain.Forbidden(a, "read tickets")
	}
	if uuid.Validate(id) != nil {
		return nil, errNotFound
	}
	rows, err := s.db.scanTicketRows(ctx, s.selectTickets(a).Where("t.id = ?", id), 1)
	if err != nil {
		return nil, translate(err)
	}
	if len(rows) == 0 {
		return nil, errNotFound
	}
	return s.view(&rows[0]), nil
}

// view converts r with its light as of now.
func (s *TicketService) view(r *ticketRow) *domain.Ticket {
	t := r.toDomain()
	now := s.db.Now()
	t.LightNow = t.Light(now)
	for i := range t.Opinions {
		t.Opinions[i].LightNow = t.OpinionLight(&t.Opinions[i], now)
	}
	return t
}

// lightSQL is the SLA light of a ticket (alias t) at the instant given (twice): domain.Clock.Light
// of the running clock its row keeps (clock_due_at, clock_warn_at; domain.Ticket.RunningClock).
const lightSQL = `CASE WHEN t.clock_due_at IS NULL THEN 'none' WHEN t.clock_due_at < ? THEN 'red'
	WHEN t.clock_warn_at <= ? THEN 'yellow' ELSE 'green' END`

// whereLight narrows q to the tickets whose light at now is l, in terms the clock indexes serve.
func whereLight(q *bun.SelectQuery, l domain.Light, now time.Time) *bun.SelectQuery {
	switch l {
	case domain.LightRed:
		return q.Where("t.clock_due_at < ?", now)
	case domain.LightYellow:
		return q.Where("t.clock_warn_at <= ? AND t.clock_due_at >= ?", now, now)
	case domain.LightGreen:
		return q.Where("t.clock_warn_at > ?", now)
	case domain.LightNone:
		return q.Where("t.clock_due_at IS NULL")
	}
	return q
}

var ticketKeyset = keyset[ticketRow]{desc: true, key: func(*ticketRow) []string { return nil }, id: func(r *ticketRow) string { return r.ID }}

// ticketsByDue lists the nearest resolve deadline first (tickets without one last).
var ticketsByDue = keyset[ticketRow]{
	columns: []string{"coalesce(t.due_resolve_at, 'infinity'::timestamptz)"},
	key: func(r *ticketRow) []string {
		if r.DueResolveAt == nil {
			return []string{"infinity"}
		}
		return []string{r.DueResolveAt.UTC().Format(time.RFC3339Nano)}
	},
	id: func(r *ticketRow) string { return r.ID },
}

func (s *TicketService) Tickets(ctx context.Context, f domain.TicketFilter, p domain.Page) (*domain.List[domain.Ticket], error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResTicket) {
		return nil, domain.Forbidden(a, "read tickets")
	}
	now := s.db.Now()
	var parts []*bun.SelectQuery
	for _, part := range ticketParts(a, f) {
		parts = append(parts, filterTickets(part(s.db.Bun.NewSelect().Model((*ticketRow)(nil)).ColumnExpr("t.*")), a, f, now))
	}
	ks := ticketKeyset
	if f.Urgent {
		ks = ticketsByDue
	}
	ks.scan = s.db.scanTicketRows
	rows, next, total, err := ks.pageUnion(ctx, parts, withTicketNames, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, s.view), nil
}

// filterTickets narrows q (tickets, alias t) to what f keeps as of now; the portfolio of Mine is
// a part of ticketParts.
func filterTickets(q *bun.SelectQuery, a *domain.Actor, f domain.TicketFilter, now time.Time) *bun.SelectQuery {
	if f.Status != "" {
		q = q.Where("t.status = ?", f.Status)
	}
	q = whereLight(q, f.Light, now)
	if f.DepartmentID != "" {
		q = q.Where("t.department_id = nullif(?, '')::uuid", f.DepartmentID)
	}
	if f.EnterpriseID != "" {
		q = q.Where("t.enterprise_id = nullif(?, '')::uuid", f.EnterpriseID)
	}
	if f.CategoryID != "" {
		q = q.Where("t.category_id = nullif(?, '')::uuid", f.CategoryID)
	}
	if f.Q != "" {
		like := "%" + escapeLike(f.Q) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("t.title ILIKE ?", like).WhereOr("t.number ILIKE ?", like).
				WhereOr("t.enterprise_id IN (SELECT e.id FROM enterprises e WHERE e.name ILIKE ?)", like)
		})
	}
	if f.OpinionOwed {
		// An opinion is owed while the ticket is worked (domain.Ticket.opinionRuns).
		q = q.Where("t.status IN ('accepted', 'assigned', 'in_progress', 'returned')")
		switch a.Role {
		case domain.RoleEnterprise, domain.RoleIntegration:
			q = noRows(q) // co-handling is internal: nothing to find by it
		case domain.RoleOfficer:
			q = q.Where("t.opinions @> ?::jsonb", coHandlerOwedSQL(a.DepartmentID))
		default:
			q = q.Where(`t.opinions @> '[{"status": "owed"}]'::jsonb`)
		}
	}
	if f.Mine {
		in := domain.InboxOf(a)
		if in.Extensions {
			q = q.Where("t.status IN (?) OR t.extension IS NOT NULL", bun.In(in.Statuses))
		} else {
			q = q.Where("t.status IN (?)", bun.In(in.Statuses))
		}
		if in.Lead {
			q = q.Where("t.department_id = nullif(?, '')::uuid", a.DepartmentID)
		}
	}
	return q
}

// ticketRule is a rule applied to a locked ticket: it changes t through its methods (or leaves it
// as it is, for a note) and returns the timeline event and any notices of its own. It may write
// rows of its own through tx (an instruction, a file).
type ticketRule func(tx bun.Tx, t *domain.Ticket, wd domain.WorkingDays, now time.Time) (domain.TicketEvent, []domain.Notice, error)

// anyVersion is the version of a change that does not depend on what the actor saw: a note.
const anyVersion = 0

// change is the one way a ticket changes (shared/STYLE.md §4). In one transaction it loads the
// ticket FOR UPDATE within the actor's scope (ENOTFOUND outside it), refuses a stale version
// (EVERSION), runs the rule, and writes what followed from it: the row when the rule changed the
// ticket (its version bumped), the event, the follow-up jobs (domain.Ticket.FollowUps), the
// notices (the rule's and domain.Ticket.MoveNotices) and, last, the audit record — the row
// before and after, or the event of a note that left the row as it was.
func (s *TicketService) change(ctx context.Context, id string, version int, rule ticketRule) (*domain.TicketEvent, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResTicket) {
		return nil, domain.Forbidden(a, "work on tickets")
	}
	if uuid.Validate(id) != nil {
		return nil, errNotFound
	}
	wd, err := s.calendar(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	var ev domain.TicketEvent
	err = s.db.InTx(ctx, func(tx bun.Tx) error {
		var r ticketRow
		if err := ticketScope(a)(tx.NewSelect().Model(&r).Where("t.id = ?", id)).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		if version != anyVersion && r.Version != version {
			return domain.Errorf(domain.EVERSION, "the ticket was changed by someone else (now version %d, yours %d); reload it and try again", r.Version, version)
		}
		before, err := jsonOf(&r)
		if err != nil {
			return err
		}
		prev, t := r.toDomain(), r.toDomain()
		var notices []domain.Notice
		if ev, notices, err = rule(tx, t, wd, now); err != nil {
			return err
		}
		r.set(t)
		var auditBefore, auditAfter any = nil, map[string]any{"body": ev.Body, "public": ev.Public, "data": ev.Data}
		if changed, err := jsonOf(&r); err != nil {
			return err
		} else if !bytes.Equal(before, changed) {
			r.Version++
			r.UpdatedAt = now
			if _, err := tx.NewUpdate().Model(&r).WherePK().Exec(ctx); err != nil {
				return translate(err)
			}
			auditBefore, auditAfter = before, &r
		}
		if err := s.recordEvent(ctx, tx, &ev); err != nil {
			return err
		}
		for _, f := range t.FollowUps(prev, wd, now) {
			if err := s.db.enqueue(ctx, tx, f.Args.(river.JobArgs), &river.InsertOpts{ScheduledAt: f.At, MaxAttempts: 5,
				UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
				return err
			}
		}
		for _, n := range append(notices, t.MoveNotices(prev)...) {
			if _, err := s.notifier.Send(ctx, tx, n); err != nil {
				return err
			}
		}
		return s.db.audit(ctx, tx, "ticket."+ev.Action, "ticket", id, auditBefore, auditAfter)
	})
	if err != nil {
		return nil, err
	}
	return &ev, nil
}

// Act makes one move with the version the actor saw, through change.
func (s *TicketService) Act(ctx context.Context, id string, version int, act domain.TicketAction) (*domain.Ticket, error) {
	a := domain.ActorFrom(ctx)
	_, err := s.change(ctx, id, version, func(tx bun.Tx, t *domain.Ticket, wd domain.WorkingDays, now time.Time) (domain.TicketEvent, []domain.Notice, error) {
		ev, err := s.apply(ctx, tx, a, t, act, wd, now)
		return ev, nil, err
	})
	if err != nil {
		return nil, err
	}
	// The answer is the state the actor just made, even when the move took the ticket out of
	// their sight (a return leaves the department's inbox).
	return s.Ticket(domain.WithActor(ctx, domain.System), id)
}

// errNoLongerWaiting refuses an automatic close the ticket no longer waits for.
var errNoLongerWaiting = domain.Errorf(domain.ETRANSITION, "the ticket no longer waits for this rating")

// CloseUnrated closes, as the system, a resolved ticket its enterprise did not rate in time
// (rating none); ETRANSITION when it was rated, reworked or closed since the job was queued.
func (s *TicketService) CloseUnrated(ctx context.Context, args domain.RatingFollowupArgs) error {
	_, err := s.change(domain.WithActor(ctx, domain.System), args.TicketID, anyVersion,
		func(_ bun.Tx, t *domain.Ticket, _ domain.WorkingDays, now time.Time) (domain.TicketEvent, []domain.Notice, error) {
			if !t.Waiting(args) {
				return domain.TicketEvent{}, nil, errNoLongerWaiting
			}
			ev, err := t.AutoClose(now)
			return ev, nil, err
		})
	return err
}

func (s *TicketService) apply(ctx context.Context, tx bun.Tx, a *domain.Actor, t *domain.Ticket, act domain.TicketAction, wd domain.WorkingDays, now time.Time) (domain.TicketEvent, error) {
	switch act.Name {
	case domain.MoveAccept:
		return t.Accept(a, act.Urgent, wd, now)
	case domain.MoveReject:
		return t.Reject(a, act.Reason, now)
	case domain.MoveAssign:
		lead, err := s.department(ctx, tx, act.Department, "department_id")
		if err != nil {
			return domain.TicketEvent{}, err
		}
		var co []domain.Department
		for i, id := range act.CoDepartments {
			d, err := s.department(ctx, tx, id, fmt.Sprintf("co_department_ids[%d]", i))
			if err != nil {
				return domain.TicketEvent{}, err
			}
			co = append(co, d)
		}
		return t.Assign(a, lead.ID, lead.Name, wd, now, co...)
	case domain.MoveWaiveOpinion:
		return t.WaiveOpinion(a, act.Department, act.Reason, now)
	case domain.MoveSign:
		return t.Sign(a, now)
	case domain.MoveReturn:
		return t.Return(a, act.Reason, now)
	case domain.MoveRequestExtension:
		return t.RequestExtension(a, act.Days, act.Reason, now)
	case domain.MoveApproveExtension:
		return t.ApproveExtension(a, wd, now)
	case domain.MoveDenyExtension:
		return t.DenyExtension(a, act.Reason, now)
	case domain.MoveResolve:
		return t.Resolve(a, act.Resolution, now)
	case domain.MoveRate:
		return t.Rate(a, act.Rating, wd, now)
	}
	return domain.TicketEvent{}, domain.Errorf(domain.ENOTFOUND, "no such action %q", act.Name)
}

// department reads the department id names, or a field error under field.
func (s *TicketService) department(ctx context.Context, tx bun.Tx, id, field string) (domain.Department, error) {
	var d departmentRow
	if err := get(ctx, tx, &d, id, nil); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return domain.Department{}, &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
				Fields: []domain.FieldError{{Field: field, Message: "no such department"}}}
		}
		return domain.Department{}, err
	}
	return domain.Department{ID: d.ID, Name: d.Name}, nil
}

func (s *TicketService) GiveOpinion(ctx context.Context, id, body string) (*domain.Opinion, error) {
	a := domain.ActorFrom(ctx)
	var o domain.Opinion
	_, err := s.note(ctx, id, func(_ bun.Tx, t *domain.Ticket, now time.Time) (domain.TicketEvent, []domain.Notice, error) {
		ev, err := t.GiveOpinion(a, body, now)
		if err == nil {
			for _, got := range t.Opinions {
				if got.DepartmentID == a.DepartmentID {
					o = got
					o.LightNow = t.OpinionLight(&got, now)
				}
			}
		}
		return ev, nil, err
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

func (s *TicketService) Opinions(ctx context.Context, id string) ([]domain.Opinion, error) {
	a := domain.ActorFrom(ctx)
	if a.Role == domain.RoleEnterprise || a.Role == domain.RoleIntegration {
		return nil, domain.Forbidden(a, "read opinions: they are internal")
	}
	t, err := s.Ticket(ctx, id)
	if err != nil {
		return nil, err
	}
	// Departments are named as they are called now.
	for i := range t.Opinions {
		var name string
		if err := s.db.Bun.NewSelect().Table("departments").Column("name").Where("id = ?", t.Opinions[i].DepartmentID).Scan(ctx, &name); err == nil {
			t.Opinions[i].DepartmentName = name
		}
	}
	return t.Opinions, nil
}

func (s *TicketService) Events(ctx context.Context, id string) ([]domain.TicketEvent, error) {
	a := domain.ActorFrom(ctx)
	if _, err := s.Ticket(ctx, id); err != nil {
		return nil, err
	}
	var rows []ticketEventRow
	q := s.db.Bun.NewSelect().Model(&rows).Where("ticket_id = ?", id).OrderExpr("at, id")
	outside := a.Role == domain.RoleEnterprise || a.Role == domain.RoleIntegration
	if outside {
		q = q.Where("public")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := make([]domain.TicketEvent, len(rows))
	for i, r := range rows {
		out[i] = domain.TicketEvent{ID: r.ID, TicketID: r.TicketID, Action: r.Action, FromStatus: domain.TicketStatus(r.FromStatus),
			ToStatus: domain.TicketStatus(r.ToStatus), ActorID: deref(r.ActorID), ActorName: r.ActorName,
			ActorRole: domain.Role(r.ActorRole), Body: r.Body, Public: r.Public, Data: r.Data, At: r.At}
		if outside && r.ActorRole != string(domain.RoleEnterprise) {
			// Enterprises see which body acted, not which official.
			out[i].ActorID, out[i].ActorName = "", publicActorName(domain.Role(r.ActorRole))
		}
	}
	return out, nil
}

// note makes a change through a rule that only adds an event (a comment, an instruction).
func (s *TicketService) note(ctx context.Context, id string, rule func(tx bun.Tx, t *domain.Ticket, now time.Time) (domain.TicketEvent, []domain.Notice, error)) (*domain.TicketEvent, error) {
	return s.change(ctx, id, anyVersion, func(tx bun.Tx, t *domain.Ticket, _ domain.WorkingDays, now time.Time) (domain.TicketEvent, []domain.Notice, error) {
		return rule(tx, t, now)
	})
}

func (s *TicketService) AddComment(ctx context.Context, id, body string, internal bool) (*domain.TicketEvent, error) {
	a := domain.ActorFrom(ctx)
	return s.note(ctx, id, func(_ bun.Tx, t *domain.Ticket, now time.Time) (domain.TicketEvent, []domain.Notice, error) {
		ev, err := t.Comment(a, body, internal, now)
		return ev, nil, err
	})
}

type instructionRow struct {
	bun.BaseModel `bun:"table:ticket_instructions,alias:ti"`
	ID            string     `bun:"id,pk,type:uuid"`
	TicketID      string     `bun:"ticket_id,type:uuid,notnull"`
	LeaderID      string     `bun:"leader_id,type:uuid,notnull"`
	Body          string     `bun:"body,notnull"`
	At            time.Time  `bun:"at,notnull"`
	Answer        string     `bun:"answer,notnull"`
	AnsweredBy    *string    `bun:"answered_by,type:uuid"`
	AnsweredAt    *time.Time `bun:"answered_at"`
	LeaderName    string     `bun:"leader_name,scanonly"`
}

func (r *instructionRow) toDomain() *domain.Instruction {
	return &domain.Instruction{ID: r.ID, TicketID: r.TicketID, LeaderID: r.LeaderID, LeaderName: r.LeaderName,
		Body: r.Body, At: r.At, Answer: r.Answer, AnsweredBy: deref(r.AnsweredBy), AnsweredAt: r.AnsweredAt}
}

func (s *TicketService) Instruct(ctx context.Context, id, body string) (*domain.Instruction, error) {
	a := domain.ActorFrom(ctx)
	var ins *instructionRow
	_, err := s.note(ctx, id, func(tx bun.Tx, t *domain.Ticket, now time.Time) (domain.TicketEvent, []domain.Notice, error) {
		ev, err := t.Instruct(a, body, now)
		if err != nil {
			return ev, nil, err
		}
		ins = &instructionRow{ID: uuid.Must(uuid.NewV7()).String(), TicketID: id, LeaderID: a.UserID, Body: ev.Body, At: now, LeaderName: displayName(a)}
		ev.Data = map[string]any{"instruction_id": ins.ID}
		if _, err := tx.NewInsert().Model(ins).Exec(ctx); err != nil {
			return ev, nil, translate(err)
		}
		return ev, []domain.Notice{t.InstructionNotice(ins.toDomain())}, nil
	})
	if err != nil {
		return nil, err
	}
	return ins.toDomain(), nil
}

func (s *TicketService) AnswerInstruction(ctx context.Context, id, instructionID, answer string) (*domain.Instruction, error) {
	a := domain.ActorFrom(ctx)
	var ins *domain.Instruction
	_, err := s.note(ctx, id, func(tx bun.Tx, t *domain.Ticket, now time.Time) (domain.TicketEvent, []domain.Notice, error) {
		var r instructionRow
		if uuid.Validate(instructionID) != nil {
			return domain.TicketEvent{}, nil, domain.Errorf(domain.ENOTFOUND, "no such instruction on this ticket")
		}
		if err := tx.NewSelect().Model(&r).Where("id = ? AND ticket_id = ?", instructionID, id).For("UPDATE").Scan(ctx); err != nil {
			if err := translate(err); domain.ErrorCode(err) != domain.ENOTFOUND {
				return domain.TicketEvent{}, nil, err
			}
			return domain.TicketEvent{}, nil, domain.Errorf(domain.ENOTFOUND, "no such instruction on this ticket")
		}
		ins = r.toDomain()
		ev, err := t.AnswerInstruction(a, ins, answer, now)
		if err != nil {
			return ev, nil, err
		}
		r.Answer, r.AnsweredBy, r.AnsweredAt = ins.Answer, nullable(ins.AnsweredBy), ins.AnsweredAt
		_, err = tx.NewUpdate().Model(&r).Column("answer", "answered_by", "answered_at").WherePK().Exec(ctx)
		return ev, nil, translate(err)
	})
	if err != nil {
		return nil, err
	}
	return ins, nil
}

func (s *TicketService) Instructions(ctx context.Context, id string) ([]domain.Instruction, error) {
	a := domain.ActorFrom(ctx)
	if a.Role == domain.RoleEnterprise || a.Role == domain.RoleIntegration {
		return nil, domain.Forbidden(a, "read instructions")
	}
	if _, err := s.Ticket(ctx, id); err != nil {
		return nil, err
	}
	var rows []instructionRow
	if err := s.db.Bun.NewSelect().Model(&rows).ColumnExpr("ti.*, u.display_name AS leader_name").
		Join("JOIN users u ON u.id = ti.leader_id").Where("ti.ticket_id = ?", id).OrderExpr("ti.at").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Instruction, len(rows))
	for i := range rows {
		out[i] = *rows[i].toDomain()
	}
	return out, nil
}

// WorkingDaysOf adapts the calendar service to what tickets need.
func WorkingDaysOf(c *CalendarService) func(ctx context.Context) (domain.WorkingDays, error) {
	return func(ctx context.Context) (domain.WorkingDays, error) {
		cal, err := c.Calendar(ctx)
		if err != nil {
			return nil, err
		}
		return cal, nil
	}
}

// publicActorName is how an event's actor is named to those outside the government: the body,
// not the official.
func publicActorName(role domain.Role) string {
	switch role {
	case domain.RoleOfficer:
		return "承办部门"
	case domain.RoleLeader:
		return "包保领导"
	case "":
		return "系统"
	}
	return "区营商局"
}
