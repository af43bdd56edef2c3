package domain

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Supervision statistics (监督统计): how well the district serves its enterprises, measured on
// outcomes, by department, steward and category, and the monthly report (通报) built from them.
//
// Definitions, which the API documentation repeats:
//
//   - A ticket counts for a period when it was created in it. Periods are civil dates in
//     Asia/Shanghai, From inclusive and To exclusive.
//   - Open: not rejected, closed or resolved.
//   - Red, Yellow: the ticket's SLA light now (Ticket.Light).
//   - Resolved: resolved (办结), or closed with a resolution — a rejected ticket is not.
//   - OnTimeRate: the share of the resolved tickets resolved by their resolve deadline as it
//     stood when they were resolved (resolved_at ≤ due_resolve_at, extensions included).
//   - AvgResolveWorkingDays: the mean working days from acceptance (受理) — or creation, for a
//     ticket with no acceptance recorded — to resolution, counted like
//     calendar.WorkingDaysBetween: the working days after the first date up to and including
//     the second, statutory holidays off and make-up days (调休) working.
//   - SatisfactionRate: the share of rated tickets (the enterprise rated whether the problem was
//     solved; auto-closed "none" ratings excluded) rated 满意 (4) or 非常满意 (5).
//   - Visits.Count: visits made in the period. Visits.CoverageRate: the share of the current
//     enterprise assignments (包保关系) whose enterprise had at least one visit in the period.
//   - Projects: the projects now, by stage, and how many have a red progress light.
//
// A rate is nil when it has nothing to divide by; rates are rounded to four places.

// StatsPeriod is the period statistics are taken over: civil dates, each as midnight UTC of its
// day (the way the domain passes dates), From inclusive and To exclusive.
type StatsPeriod struct {
	From, To time.Time
}

// MaxStatsPeriodDays bounds a period: a year (and a leap day) is the longest a report compares.
const MaxStatsPeriodDays = 366

// CurrentMonthToDate is the default period: the first of the current month (Asia/Shanghai) up to
// and including today.
func CurrentMonthToDate(now time.Time) StatsPeriod {
	today := Today(now)
	return StatsPeriod{From: time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC), To: today.AddDate(0, 0, 1)}
}

// MonthPeriod is the calendar month of year and month.
func MonthPeriod(year int, month time.Month) StatsPeriod {
	from := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	return StatsPeriod{From: from, To: from.AddDate(0, 1, 0)}
}

// Validate reports a period that ends before it starts or spans more than MaxStatsPeriodDays.
func (p StatsPeriod) Validate() error {
	var v Validation
	if !p.To.After(p.From) {
		v.Add("to", "must be after from (to is exclusive)")
	} else if p.To.Sub(p.From) > MaxStatsPeriodDays*24*time.Hour {
		v.Add("to", "the period may span at most %d days", MaxStatsPeriodDays)
	}
	return v.Err()
}

// Start and End are the instants the period begins and ends: midnight in Asia/Shanghai of From
// and To.
func (p StatsPeriod) Start() time.Time { return shanghaiMidnight(p.From) }

// End is the instant the period ends (exclusive).
func (p StatsPeriod) End() time.Time { return shanghaiMidnight(p.To) }

func shanghaiMidnight(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Shanghai)
}

// TicketStats are the ticket measures of a period (see the definitions above).
type TicketStats struct {
	Total, Open, Red, Yellow int
	Resolved, OnTime         int
	// Rated counts the tickets the enterprise rated; Satisfied those rated 4 or 5.
	Rated, Satisfied int
	// ResolveWorkingDays is the sum of the working days to resolve of the resolved tickets.
	ResolveWorkingDays int
}

// OnTimeRate is OnTime / Resolved; nil without resolved tickets.
func (s TicketStats) OnTimeRate() *float64 { return rate(s.OnTime, s.Resolved) }

// AvgResolveWorkingDays is the mean working days to resolve; nil without resolved tickets.
func (s TicketStats) AvgResolveWorkingDays() *float64 { return rate(s.ResolveWorkingDays, s.Resolved) }

// SatisfactionRate is Satisfied / Rated; nil without rated tickets.
func (s TicketStats) SatisfactionRate() *float64 { return rate(s.Satisfied, s.Rated) }

// VisitStats are the visits of a period and the coverage of the assignments by them.
type VisitStats struct {
	Count int
	// Assigned counts the current enterprise assignments; Covered those whose enterprise was
	// visited in the period.
	Assigned, Covered int
}

// CoverageRate is Covered / Assigned; nil without assignments.
func (s VisitStats) CoverageRate() *float64 { return rate(s.Covered, s.Assigned) }

// ProjectStats are the projects now: how many in each stage, and how many are red.
type ProjectStats struct {
	ByStage map[Stage]int
	Red     int
}

// Overview is the district at a glance (or the caller's portfolio).
type Overview struct {
	Period   StatsPeriod
	Tickets  TicketStats
	Visits   VisitStats
	Projects ProjectStats
}

// DepartmentStats are the ticket measures of the tickets a department holds or resolved, and
// the punctuality of the opinions it owed as a co-handling department (协办).
type DepartmentStats struct {
	DepartmentID, DepartmentName string
	Tickets                      TicketStats
	Opinions                     OpinionStats
	Nodes                        NodeStats
}

// OpinionStats count the opinions a co-handling department owed that fell due in the period:
// given (OnTime of them by their due time), waived by the dispatcher, and Overdue — still owed on
// an open ticket after their due time.
type OpinionStats struct {
	Due, Given, OnTime, Waived, Overdue int
}

// OnTimeRate is OnTime / (Given + Overdue): of the opinions that were to be given, the share
// given in time; nil without any.
func (s OpinionStats) OnTimeRate() *float64 { return rate(s.OnTime, s.Given+s.Overdue) }

// NodeStats count the approval-plan nodes a department was responsible for whose clock fell due in the period: Done (OnTime of them by their due date), Waived, and Overdue — still open after their due date.
type NodeStats struct{ Due, Done, OnTime, Waived, Overdue int }

// OnTimeRate is OnTime / (Done + Overdue); nil without any.
func (s NodeStats) OnTimeRate() *float64 { return rate(s.OnTime, s.Done+s.Overdue) }

// StewardStats are the measures of a steward's portfolio: the tickets they were responsible for
// at creation, their visits, and the coverage of the enterprises assigned to them now.
type StewardStats struct {
	StewardID, StewardName string
	Tickets                TicketStats
	Visits                 VisitStats
}

// CategoryStats are the ticket measures of one request category.
type CategoryStats struct {
	CategoryID, CategoryName string
	Tickets                  TicketStats
}

// OverdueTicket is a red ticket as the monthly report lists it (超期诉求).
type OverdueTicket struct {
	ID, Number, Title, EnterpriseName, DepartmentName string
	DueAt                                             time.Time
	// WorkingDaysOverdue is the working days from the due date to today (0 on the due date's
	// evening, when the ticket has just turned red).
	WorkingDaysOverdue int
}

// MonthlyReport is the month's report (营商环境监督通报).
type MonthlyReport struct {
	Year        int
	Month       time.Month
	Overview    Overview
	Departments []DepartmentStats
	Stewards    []StewardStats
	Categories  []CategoryStats
	// Overdue are the red tickets of those created in the month, the longest overdue first.
	Overdue []OverdueTicket
}

// Title is the report's name: 营商环境监督通报-2026年10月.
func (r *MonthlyReport) Title() string {
	return fmt.Sprintf("营商环境监督通报-%d年%d月", r.Year, int(r.Month))
}

// StatsScope is the set of tickets and visits a's statistics count: everything for dispatchers;
// their portfolio (the tickets and visits they may see as its leader or steward) for leaders and
// stewards; their department's tickets for officers. Others have no statistics.
func StatsScope(a *Actor) Scope {
	if a.IsSystem() {
		return Scope{All: true}
	}
	if !Can(a, ActRead, ResStats) {
		return Scope{}
	}
	switch a.Role {
	case RoleDispatcher:
		return Scope{All: true}
	case RoleLeader, RoleSteward:
		return Scope{AssignedTo: a.UserID}
	case RoleOfficer:
		return Scope{Department: a.DepartmentID}
	}
	return Scope{}
}

// StatsService computes the supervision statistics. Every method counts only what StatsScope
// gives the actor in ctx and returns EFORBIDDEN when the actor may not read it, EINVALID for a
// bad period. A period's zero From or To is that of CurrentMonthToDate.
type StatsService interface {
	// Overview is the period's tickets, visits and projects. Officers are refused: their
	// statistics are their department's row of Departments.
	Overview(ctx context.Context, p StatsPeriod) (*Overview, error)
	// Departments has a row per department holding or having resolved a ticket of the period,
	// the most tickets first; an officer gets their own department's row only (zeros when it
	// has no tickets).
	Departments(ctx context.Context, p StatsPeriod) ([]DepartmentStats, error)
	// Stewards has a row per steward, the most tickets first: every steward for dispatchers,
	// the stewards of their portfolio for leaders, their own for a steward. Officers are refused.
	Stewards(ctx context.Context, p StatsPeriod) ([]StewardStats, error)
	// Categories has a row per request category in use or with tickets, the most tickets first.
	// Officers are refused.
	Categories(ctx context.Context, p StatsPeriod) ([]CategoryStats, error)
	// MonthlyReport is the report of a month, for dispatchers only (EFORBIDDEN otherwise).
	MonthlyReport(ctx context.Context, year int, month time.Month) (*MonthlyReport, error)
}

// rate is n/d rounded to four places, nil when d is 0.
func rate(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	r := math.Round(float64(n)/float64(d)*10000) / 10000
	return &r
}
