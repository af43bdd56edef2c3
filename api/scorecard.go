package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type scorecardWeightsBody struct {
	OnTime       int `json:"on_time" minimum:"0" maximum:"100" doc:"Points of the on-time rate (按时办结率)"`
	Satisfaction int `json:"satisfaction" minimum:"0" maximum:"100" doc:"Points of the satisfaction rate (满意率)"`
	Returns      int `json:"returns" minimum:"0" maximum:"100" doc:"Points of the returns measure: 1 − the return rate (退回率)"`
	NodeOnTime   int `json:"node_on_time" minimum:"0" maximum:"100" doc:"Points of the approval-plan node on-time rate (审批节点按时率)"`
}

type scorecardSettingsBody struct {
	Weights scorecardWeightsBody `json:"weights" doc:"The points of the four measures; they add up to 100"`
	Red     int                  `json:"red" minimum:"0" maximum:"20" doc:"How many departments the red list (红榜, the best) names"`
	Black   int                  `json:"black" minimum:"0" maximum:"20" doc:"How many departments the black list (黑榜, the worst) names"`
}

type scorecardSettingsOut struct {
	Weights   scorecardWeightsBody `json:"weights" doc:"The points of the four measures; they add up to 100"`
	Red       int                  `json:"red" doc:"How many departments the red list (红榜, the best) names"`
	Black     int                  `json:"black" doc:"How many departments the black list (黑榜, the worst) names"`
	Version   int                  `json:"version"`
	UpdatedAt time.Time            `json:"updated_at"`
}

type scorecardSettingsOutput struct {
	ETag string `header:"ETag"`
	Body scorecardSettingsOut
}

func toScorecardWeightsBody(w domain.ScorecardWeights) scorecardWeightsBody {
	return scorecardWeightsBody{OnTime: w.OnTime, Satisfaction: w.Satisfaction, Returns: w.Returns, NodeOnTime: w.NodeOnTime}
}

func scorecardSettingsOf(s *domain.ScorecardSettings) *scorecardSettingsOutput {
	return &scorecardSettingsOutput{ETag: etag(s.Version), Body: scorecardSettingsOut{
		Weights: toScorecardWeightsBody(s.Weights), Red: s.Red, Black: s.Black, Version: s.Version, UpdatedAt: s.UpdatedAt}}
}

type scorecardRowBody struct {
	DepartmentID     string   `json:"department_id" format:"uuid"`
	Name             string   `json:"name" doc:"The department's name"`
	Score            *float64 `json:"score" doc:"考核得分, 0–100, one decimal; null without any measure"`
	Rank             *int     `json:"rank" doc:"1 for the highest score, equal scores share a rank; null without a score"`
	OnTimeRate       *float64 `json:"on_time_rate" doc:"按时办结率: tickets.on_time_rate of /stats/departments"`
	SatisfactionRate *float64 `json:"satisfaction_rate" doc:"满意率: tickets.satisfaction_rate of /stats/departments"`
	Returns          int      `json:"returns" doc:"退回件数: the month's tickets it returned at least once"`
	Held             int      `json:"held" doc:"承办件数: the month's tickets it held (those it holds now and those it returned)"`
	ReturnRate       *float64 `json:"return_rate" doc:"退回率: returns / held; null when it held none. The score's returns measure is 1 − this"`
	NodeOnTimeRate   *float64 `json:"node_on_time_rate" doc:"审批节点按时率: of its approval-plan nodes due in the month, the share finished by their due date; null without any"`
	List             *string  `json:"list" enum:"red,black" doc:"\"red\" on the red list (红榜), \"black\" on the black list (黑榜), null on neither"`
}

type scorecardBody struct {
	Month       string               `json:"month" example:"2026-10" doc:"The month, YYYY-MM"`
	Weights     scorecardWeightsBody `json:"weights" doc:"The weights in force"`
	Red         int                  `json:"red" doc:"The red list's size in force"`
	Black       int                  `json:"black" doc:"The black list's size in force"`
	Departments []scorecardRowBody   `json:"departments" doc:"The best first; departments without a score last"`
}

func toScorecardBody(c *domain.Scorecard) scorecardBody {
	out := scorecardBody{Month: fmt.Sprintf("%04d-%02d", c.Year, int(c.Month)), Weights: toScorecardWeightsBody(c.Settings.Weights),
		Red: c.Settings.Red, Black: c.Settings.Black, Departments: make([]scorecardRowBody, len(c.Rows))}
	for i, r := range c.Rows {
		b := scorecardRowBody{DepartmentID: r.DepartmentID, Name: r.DepartmentName, Score: r.Score, Rank: r.Rank,
			OnTimeRate: r.OnTimeRate, SatisfactionRate: r.SatisfactionRate, Returns: r.Returns.Returned, Held: r.Returns.Held,
			ReturnRate: r.ReturnRate, NodeOnTimeRate: r.NodeOnTimeRate}
		if r.List != "" {
			l := string(r.List)
			b.List = &l
		}
		out.Departments[i] = b
	}
	return out
}

type monthStatsBody struct {
	Month   string          `json:"month" example:"2026-10" doc:"The month, YYYY-MM (the current one to date)"`
	Tickets ticketStatsBody `json:"tickets" doc:"The tickets created in the month"`
	Visits  visitStatsBody  `json:"visits" doc:"The month's visits; coverage of the current assignments by them"`
}

// monthParam is a month query parameter, YYYY-MM.
type monthParam struct {
	Month string `query:"month" required:"true" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" example:"2026-10" doc:"The month, YYYY-MM"`
}

func (m monthParam) yearMonth() (int, time.Month) {
	year, _ := strconv.Atoi(m.Month[:4])
	month, _ := strconv.Atoi(m.Month[5:])
	return year, time.Month(month)
}

func registerScorecard(api huma.API, svc domain.StatsService) {
	tags := []string{"Supervision"}
	register(api, huma.Operation{
		OperationID: "get-stats-trends", Method: http.MethodGet, Path: Prefix + "/stats/trends", Tags: tags,
		Summary: "The overview's ticket and visit measures month by month",
		Description: "One item per calendar month, the oldest first, ending with the current month to date; each counts " +
			"like /stats/overview over that month. " + statsDefinitions,
		Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Months int `query:"months" minimum:"1" maximum:"24" default:"6" doc:"How many months, 1–24"`
	}) (*struct{ Body itemsBody[monthStatsBody] }, error) {
		rows, err := svc.Trends(ctx, in.Months)
		if err != nil {
			return nil, err
		}
		return items(rows, func(m *domain.MonthStats) monthStatsBody {
			return monthStatsBody{Month: fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)), Tickets: toTicketStatsBody(m.Tickets),
				Visits: toVisitStatsBody(m.Visits)}
		}), nil
	})
	register(api, huma.Operation{
		OperationID: "get-stats-scorecard", Method: http.MethodGet, Path: Prefix + "/stats/scorecard", Tags: tags,
		Summary: "The department scorecard (考核得分) of a month, with its 红榜 and 黑榜",
		Description: domain.ScorecardDefinition + " Dispatchers score every department; leaders and stewards the departments " +
			"of their portfolio's tickets, counted over those tickets only. Officers are refused.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *monthParam) (*struct{ Body scorecardBody }, error) {
		year, month := in.yearMonth()
		c, err := svc.Scorecard(ctx, year, month)
		if err != nil {
			return nil, err
		}
		return &struct{ Body scorecardBody }{toScorecardBody(c)}, nil
	})
	register(api, huma.Operation{
		OperationID: "get-scorecard-settings", Method: http.MethodGet, Path: Prefix + "/settings/scorecard", Tags: tags,
		Summary: "The scorecard's weights and list sizes (administrators)", Description: domain.ScorecardDefinition,
	}, func(ctx context.Context, _ *struct{}) (*scorecardSettingsOutput, error) {
		s, err := svc.ScorecardSettings(ctx)
		if err != nil {
			return nil, err
		}
		return scorecardSettingsOf(s), nil
	})
	register(api, huma.Operation{
		OperationID: "update-scorecard-settings", Method: http.MethodPut, Path: Prefix + "/settings/scorecard", Tags: tags,
		Summary: "Change the scorecard's weights and list sizes (administrators; audited)",
		Description: "The weights are points, each 0–100, adding up to 100; red and black 0–20. " +
			"A problem names each field that is wrong (weights.on_time …, weights for the sum, red, black). " + domain.ScorecardDefinition,
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		IfMatchHeader
		Body scorecardSettingsBody
	}) (*scorecardSettingsOutput, error) {
		version, err := in.version()
		if err != nil {
			return nil, err
		}
		w := in.Body.Weights
		s, err := svc.SetScorecardSettings(ctx, domain.ScorecardSettings{Weights: domain.ScorecardWeights{OnTime: w.OnTime,
			Satisfaction: w.Satisfaction, Returns: w.Returns, NodeOnTime: w.NodeOnTime}, Red: in.Body.Red, Black: in.Body.Black}, version)
		if err != nil {
			return nil, err
		}
		return scorecardSettingsOf(s), nil
	})
}
