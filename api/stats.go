package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

// statsDefinitions is what every statistics operation counts (domain/stats.go has the same).
const statsDefinitions = "A ticket counts for the period when it was created in it (from inclusive, to exclusive, " +
	"dates in Asia/Shanghai; default the current month to date). open: not rejected, closed or resolved. " +
	"red/yellow: the SLA light now. resolved: resolved, or closed with a resolution. on_time_rate: the share of " +
	"resolved tickets resolved by their resolve deadline as it stood then (extensions included). " +
	"avg_resolve_working_days: the mean working days from acceptance (or creation without one) to resolution, " +
	"statutory holidays off and make-up days working. satisfaction_rate: the share of rated tickets (the system's " +
	"\"none\" excluded) rated 4 满意 or 5 非常满意. visits.count: visits made in the period; coverage_rate: the share of " +
	"current enterprise assignments whose enterprise was visited in the period. A rate is null when there is " +
	"nothing to divide by. Dispatchers count everything; leaders and stewards their portfolio (the tickets and " +
	"visits they may see); officers only their department's row of /stats/departments."

type ticketStatsBody struct {
	Total                 int      `json:"total" doc:"Tickets created in the period"`
	Open                  int      `json:"open" doc:"Not rejected, closed or resolved"`
	Red                   int      `json:"red" doc:"SLA light red now"`
	Yellow                int      `json:"yellow" doc:"SLA light yellow now"`
	Resolved              int      `json:"resolved" doc:"Resolved, or closed with a resolution"`
	OnTime                int      `json:"on_time" doc:"Resolved by their resolve deadline"`
	OnTimeRate            *float64 `json:"on_time_rate" doc:"on_time / resolved; null without resolved tickets"`
	AvgResolveWorkingDays *float64 `json:"avg_resolve_working_days" doc:"Mean working days from acceptance to resolution; null without resolved tickets"`
	Rated                 int      `json:"rated" doc:"Rated by the enterprise (auto-closed without a rating excluded)"`
	Satisfied             int      `json:"satisfied" doc:"Rated 4 满意 or 5 非常满意"`
	SatisfactionRate      *float64 `json:"satisfaction_rate" doc:"satisfied / rated; null without ratings"`
}

func toTicketStatsBody(s domain.TicketStats) ticketStatsBody {
	return ticketStatsBody{Total: s.Total, Open: s.Open, Red: s.Red, Yellow: s.Yellow, Resolved: s.Resolved, OnTime: s.OnTime,
		OnTimeRate: s.OnTimeRate(), AvgResolveWorkingDays: s.AvgResolveWorkingDays(), Rated: s.Rated, Satisfied: s.Satisfied,
		SatisfactionRate: s.SatisfactionRate()}
}

type visitStatsBody struct {
	Count        int      `json:"count" doc:"Visits made in the period"`
	Assigned     int      `json:"assigned" doc:"Current enterprise assignments (包保)"`
	Covered      int      `json:"covered" doc:"Of those, the enterprises visited in the period"`
	CoverageRate *float64 `json:"coverage_rate" doc:"covered / assigned; null without assignments"`
}

func toVisitStatsBody(s domain.VisitStats) visitStatsBody {
	return visitStatsBody{Count: s.Count, Assigned: s.Assigned, Covered: s.Covered, CoverageRate: s.CoverageRate()}
}

type projectStatsBody struct {
	ByStage map[string]int `json:"by_stage" doc:"Projects now, by stage (stages without projects are left out)"`
	Red     int            `json:"red" doc:"Projects whose progress light is red now"`
}

type overviewBody struct {
	From     string           `json:"from" format:"date" doc:"First day of the period"`
	To       string           `json:"to" format:"date" doc:"Day after the last day of the period"`
	Tickets  ticketStatsBody  `json:"tickets"`
	Visits   visitStatsBody   `json:"visits"`
	Projects projectStatsBody `json:"projects"`
}

type departmentStatsBody struct {
	DepartmentID   string           `json:"department_id" format:"uuid"`
	DepartmentName string           `json:"department_name"`
	Tickets        ticketStatsBody  `json:"tickets"`
	Opinions       opinionStatsBody `json:"opinions" doc:"Its punctuality as a co-handling department (协办)"`
	Nodes          nodeStatsBody    `json:"nodes" doc:"Its punctuality on approval-plan nodes it answered for (审批节点)"`
	NodeOnTimeRate *float64         `json:"node_on_time_rate" doc:"nodes.on_time_rate: the department's approval-plan node punctuality; null without any"`
}

type nodeStatsBody struct {
	Due        int      `json:"due" doc:"Approval-plan nodes it answered for whose clock fell due in the period"`
	Done       int      `json:"done" doc:"Of those, done"`
	OnTime     int      `json:"on_time" doc:"Done by their due date"`
	Waived     int      `json:"waived" doc:"Waived by the dispatcher"`
	Overdue    int      `json:"overdue" doc:"Still open after their due time"`
	OnTimeRate *float64 `json:"on_time_rate" doc:"on_time / (done + overdue); null without any"`
}

type opinionStatsBody struct {
	Due        int      `json:"due" doc:"Opinions it owed that fell due in the period"`
	Given      int      `json:"given" doc:"Of those, given"`
	OnTime     int      `json:"on_time" doc:"Given by their due time"`
	Waived     int      `json:"waived" doc:"Waived by the dispatcher"`
	Overdue    int      `json:"overdue" doc:"Still owed on an open ticket after their due time"`
	OnTimeRate *float64 `json:"on_time_rate" doc:"on_time / (given + overdue); null without any"`
}

type stewardStatsBody struct {
	StewardID   string          `json:"steward_id" format:"uuid"`
	StewardName string          `json:"steward_name"`
	Tickets     ticketStatsBody `json:"tickets" doc:"The tickets they steward (open tickets follow a reassignment)"`
	Visits      visitStatsBody  `json:"visits" doc:"Their visits; coverage of the enterprises assigned to them now"`
}

type categoryStatsBody struct {
	CategoryID   string          `json:"category_id" format:"uuid"`
	CategoryName string          `json:"category_name"`
	Tickets      ticketStatsBody `json:"tickets"`
}

// periodParams are the from and to of every statistics operation.
type periodParams struct {
	From string `query:"from" format:"date" doc:"First day, inclusive (Asia/Shanghai); default the first of the current month"`
	To   string `query:"to" format:"date" doc:"Day after the last, exclusive; default tomorrow (today included)"`
}

func (p periodParams) period() (domain.StatsPeriod, error) {
	var out domain.StatsPeriod
	var v domain.Validation
	parse := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.Add(field, "must be a date YYYY-MM-DD")
		}
		return t
	}
	out.From, out.To = parse("from", p.From), parse("to", p.To)
	return out, v.Err()
}

func registerStats(api huma.API, svc domain.StatsService) {
	tags := []string{"Supervision"}
	errs := []int{http.StatusUnprocessableEntity}
	register(api, huma.Operation{
		OperationID: "get-stats-overview", Method: http.MethodGet, Path: Prefix + "/stats/overview", Tags: tags,
		Summary:     "Tickets, visits and projects at a glance",
		Description: statsDefinitions + " Projects are counted as they are now, not by period.", Errors: errs,
	}, func(ctx context.Context, in *periodParams) (*struct{ Body overviewBody }, error) {
		p, err := in.period()
		if err != nil {
			return nil, err
		}
		o, err := svc.Overview(ctx, p)
		if err != nil {
			return nil, err
		}
		stages := make(map[string]int, len(o.Projects.ByStage))
		for st, n := range o.Projects.ByStage {
			stages[string(st)] = n
		}
		return &struct{ Body overviewBody }{overviewBody{From: date(o.Period.From), To: date(o.Period.To),
			Tickets: toTicketStatsBody(o.Tickets), Visits: toVisitStatsBody(o.Visits),
			Projects: projectStatsBody{ByStage: stages, Red: o.Projects.Red}}}, nil
	})
	register(api, huma.Operation{
		OperationID: "get-stats-departments", Method: http.MethodGet, Path: Prefix + "/stats/departments", Tags: tags,
		Summary: "Ticket measures by department",
		Description: statsDefinitions + " A row per department holding or having resolved a ticket of the period, the " +
			"most tickets first; an officer gets their own department's row only. opinions: the punctuality of the department " +
			"as a co-handling department (协办) — of its opinions that fell due in the period, those given (on_time: by their " +
			"due time), waived by the dispatcher, and overdue (still owed on an open ticket after due); on_time_rate = " +
			"on_time / (given + overdue). A department that only co-handled has a row with zero tickets. nodes: its punctuality on " +
			"the approval-plan nodes it answered for whose clock fell due in the period — done (on_time: by their due date), " +
			"waived, and overdue (still open after due); node_on_time_rate = on_time / (done + overdue).", Errors: errs,
	}, func(ctx context.Context, in *periodParams) (*struct {
		Body itemsBody[departmentStatsBody]
	}, error) {
		p, err := in.period()
		if err != nil {
			return nil, err
		}
		rows, err := svc.Departments(ctx, p)
		if err != nil {
			return nil, err
		}
		return items(rows, func(r *domain.DepartmentStats) departmentStatsBody {
			o := r.Opinions
			return departmentStatsBody{DepartmentID: r.DepartmentID, DepartmentName: r.DepartmentName, Tickets: toTicketStatsBody(r.Tickets),
				Opinions: opinionStatsBody{Due: o.Due, Given: o.Given, OnTime: o.OnTime, Waived: o.Waived, Overdue: o.Overdue, OnTimeRate: o.OnTimeRate()},
				Nodes: nodeStatsBody{Due: r.Nodes.Due, Done: r.Nodes.Done, OnTime: r.Nodes.OnTime, Waived: r.Nodes.Waived,
					Overdue: r.Nodes.Overdue, OnTimeRate: r.Nodes.OnTimeRate()}, NodeOnTimeRate: r.Nodes.OnTimeRate()}
		}), nil
	})
	register(api, huma.Operation{
		OperationID: "get-stats-stewards", Method: http.MethodGet, Path: Prefix + "/stats/stewards", Tags: tags,
		Summary: "Ticket and visit measures by steward",
		Description: statsDefinitions + " A row per steward, the most tickets first: every steward for dispatchers, " +
			"the stewards of their portfolio for leaders, their own row for a steward.", Errors: errs,
	}, func(ctx context.Context, in *periodParams) (*struct{ Body itemsBody[stewardStatsBody] }, error) {
		p, err := in.period()
		if err != nil {
			return nil, err
		}
		rows, err := svc.Stewards(ctx, p)
		if err != nil {
			return nil, err
		}
		return items(rows, func(r *domain.StewardStats) stewardStatsBody {
			return stewardStatsBody{StewardID: r.StewardID, StewardName: r.StewardName,
				Tickets: toTicketStatsBody(r.Tickets), Visits: toVisitStatsBody(r.Visits)}
		}), nil
	})
	register(api, huma.Operation{
		OperationID: "get-stats-categories", Method: http.MethodGet, Path: Prefix + "/stats/categories", Tags: tags,
		Summary: "Ticket measures by request category",
		Description: statsDefinitions + " A row per category in use or with tickets in the period, the most " +
			"tickets first.", Errors: errs,
	}, func(ctx context.Context, in *periodParams) (*struct{ Body itemsBody[categoryStatsBody] }, error) {
		p, err := in.period()
		if err != nil {
			return nil, err
		}
		rows, err := svc.Categories(ctx, p)
		if err != nil {
			return nil, err
		}
		return items(rows, func(r *domain.CategoryStats) categoryStatsBody {
			return categoryStatsBody{CategoryID: r.CategoryID, CategoryName: r.CategoryName, Tickets: toTicketStatsBody(r.Tickets)}
		}), nil
	})
	registerReports(api, svc)
}
