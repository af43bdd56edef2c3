package postgres

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/sync/errgroup"

	"steward/domain"
)

// returnStatsSQL counts, per department, the tickets of the period it held — those it holds now
// and those it returned (退回) — and those of them it returned. Whose return it was is the
// return event's department_id, or for events written before it carried one, the department of
// the officer who returned it. Arguments: the period's start and end, the scope's arguments (the
// first %s) and the department filter's (the second %s).
const returnStatsSQL = `WITH p AS (
		SELECT t.id, t.department_id FROM tickets t WHERE t.created_at >= ? AND t.created_at < ? AND %s
	), r AS (
		SELECT DISTINCT e.ticket_id, coalesce(nullif(e.data->>'department_id', '')::uuid, u.department_id) AS dept
		FROM ticket_events e JOIN p ON p.id = e.ticket_id LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.action = 'return'
	), h AS (
		SELECT id, department_id AS dept FROM p WHERE department_id IS NOT NULL
		UNION SELECT ticket_id, dept FROM r WHERE dept IS NOT NULL
	)
	SELECT h.dept::text AS key, d.name, count(*) AS held,
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM r WHERE r.ticket_id = h.id AND r.dept = h.dept)) AS returned
	FROM h JOIN departments d ON d.id = h.dept WHERE %s GROUP BY 1, 2`

type returnStatsRow struct {
	Key      string `bun:"key"`
	Name     string `bun:"name"`
	Held     int    `bun:"held"`
	Returned int    `bun:"returned"`
}

// withReturns counts each department's returns; merge adds them to the rows, and a row for a
// department whose every ticket of the period it returned.
func (s *StatsService) withReturns(ctx context.Context, q statsQuery) (merge func([]domain.DepartmentStats) []domain.DepartmentStats, err error) {
	cond, args := q.tickets()
	dept, deptArgs := "true", []any(nil)
	if q.scope.Department != "" {
		// An officer's department: the tickets it returned are no longer its own, so the scope
		// is which department held them, not which holds them now.
		cond, args = "true", nil
		dept, deptArgs = "h.dept = ?", []any{q.scope.Department}
	}
	sql := strings.Replace(strings.Replace(returnStatsSQL, "%s", cond, 1), "%s", dept, 1)
	var got []returnStatsRow
	all := append(append([]any{q.start, q.end}, args...), deptArgs...)
	if err := s.db.Bun.NewRaw(sql, all...).Scan(ctx, &got); err != nil {
		return nil, translate(err)
	}
	return mergeByDepartment(got, func(g returnStatsRow) (string, string) { return g.Key, g.Name },
		func(r *domain.DepartmentStats, g returnStatsRow) {
			r.Returns = domain.ReturnStats{Held: g.Held, Returned: g.Returned}
		}), nil
}

func (s *StatsService) Trends(ctx context.Context, months int) ([]domain.MonthStats, error) {
	if months < 1 || months > domain.MaxTrendMonths {
		return nil, &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
			Fields: []domain.FieldError{{Field: "months", Message: "must be 1 to 24 months"}}}
	}
	ctx = s.at(ctx)
	// The current month checks the actor.
	q, err := s.begin(ctx, domain.CurrentMonthToDate(s.now(ctx)), false)
	if err != nil {
		return nil, err
	}
	v, err := s.cached(ctx, q.key("trends:"+strconv.Itoa(months), domain.ActorFrom(ctx)), q.now, func(ctx context.Context) (any, error) {
		return s.trends(ctx, q, months)
	})
	if err != nil {
		return nil, err
	}
	return slices.Clone(v.([]domain.MonthStats)), nil
}

func (s *StatsService) trends(ctx context.Context, q statsQuery, months int) ([]domain.MonthStats, error) {
	now := domain.Today(q.now)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1-months, 0)
	out := make([]domain.MonthStats, months)
	fns := make([]func(context.Context) error, 0, months)
	for i := range out {
		from := first.AddDate(0, i, 0)
		p := domain.StatsPeriod{From: from, To: from.AddDate(0, 1, 0)}
		if tomorrow := now.AddDate(0, 0, 1); p.To.After(tomorrow) {
			p.To = tomorrow
		}
		mq := q
		mq.period, mq.start, mq.end = p, p.Start(), p.End()
		out[i] = domain.MonthStats{Year: from.Year(), Month: from.Month()}
		fns = append(fns, func(ctx context.Context) error {
			tickets, args := mq.ticketsSQL()
			var tr ticketStatsRow
			if err := s.db.Bun.NewRaw(`SELECT `+ticketMeasuresSQL+` FROM (`+tickets+`) t`, args...).Scan(ctx, &tr); err != nil {
				return translate(err)
			}
			out[i].Tickets = tr.toDomain()
			var err error
			out[i].Visits, err = s.visitTotals(ctx, mq)
			return err
		})
	}
	// A few months at a time: each month's visits run two queries of their own.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(3)
	for _, fn := range fns {
		g.Go(func() error { return fn(gctx) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *StatsService) Scorecard(ctx context.Context, year int, month time.Month) (*domain.Scorecard, error) {
	a := domain.ActorFrom(ctx)
	if sc := domain.StatsScope(a); sc.Department != "" {
		return nil, domain.Forbidden(a, "read the scorecard: it compares departments; an officer reads their department's row of the department statistics")
	}
	depts, err := s.Departments(ctx, domain.MonthPeriod(year, month))
	if err != nil {
		return nil, err
	}
	var r scorecardRow
	if err := s.db.Bun.NewSelect().Model(&r).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	return domain.BuildScorecard(year, month, r.toDomain(), depts), nil
}

// scorecardRow is the one row of scorecard_settings.
type scorecardRow struct {
	bun.BaseModel      `bun:"table:scorecard_settings,alias:ss"`
	ID                 bool      `bun:"id,pk" json:"-"`
	WeightOnTime       int       `bun:"weight_on_time" json:"weight_on_time"`
	WeightSatisfaction int       `bun:"weight_satisfaction" json:"weight_satisfaction"`
	WeightReturns      int       `bun:"weight_returns" json:"weight_returns"`
	WeightNodeOnTime   int       `bun:"weight_node_on_time" json:"weight_node_on_time"`
	Red                int       `bun:"red" json:"red"`
	Black              int       `bun:"black" json:"black"`
	Version            int       `bun:"version" json:"version"`
	UpdatedBy          *string   `bun:"updated_by,type:uuid" json:"updated_by,omitempty"`
	UpdatedAt          time.Time `bun:"updated_at" json:"updated_at"`
}

func (r *scorecardRow) toDomain() domain.ScorecardSettings {
	return domain.ScorecardSettings{Weights: domain.ScorecardWeights{OnTime: r.WeightOnTime, Satisfaction: r.WeightSatisfaction,
		Returns: r.WeightReturns, NodeOnTime: r.WeightNodeOnTime}, Red: r.Red, Black: r.Black, Version: r.Version, UpdatedAt: r.UpdatedAt}
}

func (s *StatsService) ScorecardSettings(ctx context.Context) (*domain.ScorecardSettings, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResScorecardSettings) {
		return nil, domain.Forbidden(a, "read the scorecard settings")
	}
	var r scorecardRow
	if err := s.db.Bun.NewSelect().Model(&r).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := r.toDomain()
	return &out, nil
}

func (s *StatsService) SetScorecardSettings(ctx context.Context, in domain.ScorecardSettings, version int) (*domain.ScorecardSettings, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActUpdate, domain.ResScorecardSettings) {
		return nil, domain.Forbidden(a, "change the scorecard settings")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out domain.ScorecardSettings
	err := s.db.InTx(ctx, func(tx bun.Tx) error {
		var r scorecardRow
		if err := tx.NewSelect().Model(&r).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		if r.Version != version {
			return domain.Errorf(domain.EVERSION, "the scorecard settings were changed by someone else (now version %d, yours %d); reload them and try again", r.Version, version)
		}
		before := r
		w := in.Weights
		r.WeightOnTime, r.WeightSatisfaction, r.WeightReturns, r.WeightNodeOnTime = w.OnTime, w.Satisfaction, w.Returns, w.NodeOnTime
		r.Red, r.Black, r.Version = in.Red, in.Black, r.Version+1
		r.UpdatedBy, r.UpdatedAt = nullable(a.UserID), s.db.Now().UTC().Truncate(time.Microsecond)
		if _, err := tx.NewUpdate().Model(&r).WherePK().Exec(ctx); err != nil {
			return translate(err)
		}
		out = r.toDomain()
		return s.db.audit(ctx, tx, "update", "scorecard_settings", "scorecard", before, r)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
