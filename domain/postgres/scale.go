package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"steward/domain"
	"steward/domain/postgres/demodata"
)

// ScaleOptions size a synthetic district for benchmarks.
type ScaleOptions struct {
	Enterprises int
	Projects    int
	// Users is how many people work in the district (about a fifth leaders and stewards, the rest
	// officers and dispatchers).
	Users    int
	Visits   int
	Tickets  int
	Password string
}

// ScaleResult counts what SeedScale wrote.
type ScaleResult struct {
	Departments, Users, Enterprises, Projects, Assignments, Visits, Tickets int
	Took                                                                    time.Duration
}

// SeedScale writes a large synthetic district with COPY, for the benchmark command: it bypasses
// the services (and so the audit log) because it is test data, not government work. It refuses a
// database that already has enterprises.
func SeedScale(ctx context.Context, db *DB, o ScaleOptions) (*ScaleResult, error) {
	start := time.Now()
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM enterprises`).Scan(&n); err != nil {
		return nil, translate(err)
	}
	if n > 0 {
		return nil, errors.New("seed scale needs a database without enterprises: use a new DATABASE_URL or state directory")
	}
	hash, err := hashPassword(o.Password)
	if err != nil {
		return nil, err
	}
	r := mrand.New(mrand.NewPCG(20000, 5000))
	now := db.Now().UTC().Truncate(time.Microsecond)
	res := &ScaleResult{}
	newID := func() string { return uuid.Must(uuid.NewV7()).String() }

	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return nil, translate(err)
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, translate(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	copyRows := func(table string, cols []string, rows [][]any) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
		return nil
	}

	// Departments: the bureau, the government and 30 handling departments.
	deptCols := []string{"id", "name", "kind", "version", "created_at", "updated_at"}
	bureau, government := newID(), newID()
	depts := [][]any{{bureau, "区营商环境建设局（基准）", "bureau", 1, now, now}, {government, "区人民政府（基准）", "government", 1, now, now}}
	var handling []string
	for i := 0; i < 30; i++ {
		id := newID()
		kind := "government"
		if i%5 == 4 {
			kind = "utility"
		}
		handling = append(handling, id)
		depts = append(depts, []any{id, fmt.Sprintf("基准承办部门%02d", i+1), kind, 1, now, now})
	}
	if err := copyRows("departments", deptCols, depts); err != nil {
		return nil, err
	}
	res.Departments = len(depts)

	// Users: leaders and stewards a tenth each, a few dispatchers, the rest officers.
	userCols := []string{"id", "username", "display_name", "role", "department_id", "phone", "status", "password_hash",
		"password_changed_at", "version", "created_at", "updated_at"}
	people := demodata.People(r, max(o.Users, 10))
	var users [][]any
	var leaders, stewards []string
	for i, p := range people {
		id := newID()
		role, dept := domain.RoleOfficer, handling[i%len(handling)]
		switch {
		case i%10 == 0:
			role, dept = domain.RoleLeader, government
			leaders = append(leaders, id)
		case i%10 == 1:
			role, dept = domain.RoleSteward, bureau
			stewards = append(stewards, id)
		case i%50 == 2:
			role, dept = domain.RoleDispatcher, bureau
		}
		users = append(users, []any{id, fmt.Sprintf("bench%d", i+1), p.Name, string(role), dept, p.Phone, "active", hash, now, 1, now, now})
	}
	if err := copyRows("users", userCols, users); err != nil {
		return nil, err
	}
	res.Users = len(users)

	entCols := []string{"id", "name", "credit_code", "legal_representative", "industry", "scale", "key_level", "address",
		"street", "tags", "contacts", "status", "name_pinyin", "name_initials", "version", "created_at", "updated_at"}
	asgCols := []string{"id", "subject_type", "subject_id", "leader_id", "steward_id", "from_date", "reason", "created_at"}
	var ents, asgs [][]any
	entIDs := make([]string, 0, o.Enterprises)
	entNames := make([]string, 0, o.Enterprises)
	for i, e := range demodata.Enterprises(r, o.Enterprises) {
		id := newID()
		contacts, _ := json.Marshal(toEnterpriseRow(&e).Contacts)
		py, ini := namePinyin(e.Name)
		ents = append(ents, []any{id, e.Name, e.CreditCode, e.LegalRepresentative, e.Industry, string(e.Scale), string(e.KeyLevel),
			e.Address, e.Street, e.Tags, string(contacts), "active", py, ini, 1, now, now})
		entIDs, entNames = append(entIDs, id), append(entNames, e.Name)
		asgs = append(asgs, []any{newID(), "enterprise", id, leaders[i%len(leaders)], stewards[i%len(stewards)],
			domain.Today(now).AddDate(0, 0, -r.IntN(365)), "基准包保", now})
	}
	if err := copyRows("enterprises", entCols, ents); err != nil {
		return nil, err
	}
	res.Enterprises = len(ents)

	projCols := []string{"id", "enterprise_id", "name", "name_pinyin", "name_initials", "kind", "industry", "planned_investment",
		"planned_start", "planned_completion", "key_level", "location", "stage", "stage_since", "light", "version", "created_at", "updated_at"}
	var projs [][]any
	for i := 0; i < o.Projects && len(entIDs) > 0; i++ {
		k := r.IntN(len(entIDs))
		seed := demodata.Projects(r, entNames[k], 1)[0]
		name := fmt.Sprintf("%s（%d）", seed.Name, i+1)
		py, ini := namePinyin(name)
		start := domain.Today(now).AddDate(0, -r.IntN(24), 0)
		stage := domain.Stages[r.IntN(len(domain.Stages)-1)] // every stage but cancelled is common
		id := newID()
		projs = append(projs, []any{id, entIDs[k], name, py, ini, seed.Kind, seed.Industry, seed.PlannedInvestment,
			start, start.AddDate(2, 0, 0), "district", seed.Location, string(stage), start, []string{"green", "yellow", "red"}[r.IntN(3)], 1, now, now})
		if i%4 == 0 {
			asgs = append(asgs, []any{newID(), "project", id, leaders[i%len(leaders)], stewards[(i+1)%len(stewards)], start, "基准项目专班", now})
		}
	}
	if err := copyRows("projects", projCols, projs); err != nil {
		return nil, err
	}
	res.Projects = len(projs)
	if err := copyRows("assignments", asgCols, asgs); err != nil {
		return nil, err
	}
	res.Assignments = len(asgs)

	// Visits over the past year by each enterprise's steward, and tickets in every status; both
	// written in batches so memory stays flat.
	stewardOf := func(i int) string { return stewards[i%len(stewards)] }
	visitCols := []string{"id", "steward_id", "enterprise_id", "visited_at", "kind", "summary", "findings", "version", "created_at", "updated_at"}
	kinds := []string{"onsite", "phone", "online", "meeting"}
	for done := 0; done < o.Visits && len(entIDs) > 0; {
		batch := make([][]any, 0, 20000)
		for ; done < o.Visits && len(batch) < cap(batch); done++ {
			k := r.IntN(len(entIDs))
			at := now.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
			summary, findings := demodata.VisitSummary(r)
			batch = append(batch, []any{newID(), stewardOf(k), entIDs[k], at, kinds[r.IntN(len(kinds))], summary, findings, 1, at, at})
		}
		if err := copyRows("visits", visitCols, batch); err != nil {
			return nil, err
		}
	}
	res.Visits = o.Visits

	ticketCols := []string{"id", "number", "enterprise_id", "source", "category_id", "title", "description", "priority", "status",
		"department_id", "steward_id", "leader_id", "sign_days", "resolve_days", "due_resolve_at", "warn_resolve_at",
		"clock_due_at", "clock_warn_at", "resolved_at", "closed_at", "rating_solved", "rating_attitude", "accepted_at", "version", "created_at", "updated_at"}
	statuses := []string{"submitted", "accepted", "assigned", "in_progress", "returned", "resolved", "closed", "closed", "closed", "rejected"}
	categories := []string{"01900000-0000-7000-8000-000000000001", "01900000-0000-7000-8000-000000000002",
		"01900000-0000-7000-8000-000000000004", "01900000-0000-7000-8000-000000000007", "01900000-0000-7000-8000-000000000008"}
	year := now.In(domain.Shanghai).Year()
	for done := 0; done < o.Tickets && len(entIDs) > 0; {
		batch := make([][]any, 0, 20000)
		for ; done < o.Tickets && len(batch) < cap(batch); done++ {
			k := r.IntN(len(entIDs))
			created := now.Add(-time.Duration(r.Int64N(int64(300 * 24 * time.Hour))))
			status := statuses[r.IntN(len(statuses))]
			_, title, desc := demodata.TicketIdea(r)
			var dept, resolved, closed, solved, attitude any
			due := created.Add(time.Duration(5+r.IntN(20)) * 24 * time.Hour)
			if status != "submitted" && status != "rejected" && status != "accepted" && status != "returned" {
				dept = handling[r.IntN(len(handling))]
			}
			if status == "resolved" || status == "closed" {
				rt := created.Add(time.Duration(r.Int64N(int64(25 * 24 * time.Hour))))
				resolved = rt
				if status == "closed" {
					closed, solved, attitude = rt.Add(48*time.Hour), 1+r.IntN(5), 1+r.IntN(5)
				}
			}
			var dueAt, warnAt, acceptedAt, clockDue, clockWarn any
			if status != "submitted" && status != "rejected" {
				dueAt, warnAt, acceptedAt = due, due.Add(-24*time.Hour), created.Add(time.Duration(1+r.IntN(20))*time.Hour)
				tk := domain.Ticket{Status: domain.TicketStatus(status), ResolveClock: &domain.Clock{Due: due, Warn: due.Add(-24 * time.Hour)}}
				if c := tk.RunningClock(); c != nil {
					clockDue, clockWarn = c.Due, c.Warn
				}
			}
			batch = append(batch, []any{newID(), fmt.Sprintf("SQ-%d-%06d", year, done+1), entIDs[k], "steward",
				categories[r.IntN(len(categories))], title, desc, "normal", status, dept, stewardOf(k), leaders[k%len(leaders)],
				1, 10, dueAt, warnAt, clockDue, clockWarn, resolved, closed, solved, attitude, acceptedAt, 1, created, created})
		}
		if err := copyRows("tickets", ticketCols, batch); err != nil {
			return nil, err
		}
	}
	res.Tickets = o.Tickets
	if o.Tickets > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO ticket_counters (year, last) VALUES ($1, $2)
			ON CONFLICT (year) DO UPDATE SET last = greatest(ticket_counters.last, EXCLUDED.last)`, year, o.Tickets); err != nil {
			return nil, translate(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, translate(err)
	}
	if _, err := db.Pool.Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return nil, translate(err)
	}
	res.Took = time.Since(start)
	return res, nil
}
