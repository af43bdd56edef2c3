package domain

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"time"
)

// ScorecardDefinition is how the department scorecard (部门考核得分) is computed — the one
// statement of it: the API document shows it as it is, and the code below follows it.
const ScorecardDefinition = "The scorecard ranks the departments that handled the month's tickets (those created in the month, " +
	"counted as /stats/departments counts them) on four measures, each a share from 0 to 1 where more is better: " +
	"on_time — tickets.on_time_rate, resolved by the resolve deadline; satisfaction — tickets.satisfaction_rate, rated 满意 or 非常满意; " +
	"returns — 1 − returns.return_rate, the share of the tickets it held that it did not return (退回), so fewer returns score more; " +
	"node_on_time — the approval-plan nodes it was responsible for that fell due in the month, finished by their due date. " +
	"score (考核得分, 0–100) = 100 × Σ weight × measure / Σ weight, both sums over the measures the department has: a measure with " +
	"nothing to measure (no resolved ticket, no rating, no ticket held, no node due) neither punishes nor rewards — its weight is " +
	"spread over the department's other measures in proportion to their weights. A department with no measure (or only measures " +
	"of weight 0) has no score and no rank and is on no list. Scores are rounded to one decimal place. rank: 1 for the highest " +
	"score; equal scores share a rank (1, 2, 2, 4). 红榜 (list \"red\", the best): the departments whose rank is at most red; " +
	"黑榜 (list \"black\", the worst): those whose rank counted from the bottom (1 + how many scored lower) is at most black and " +
	"that are not on the red list — a tie at a boundary lists every tied department, and no department is on both lists."

// ScorecardWeights are the points each measure carries; they add up to 100.
type ScorecardWeights struct {
	OnTime, Satisfaction, Returns, NodeOnTime int
}

// ScorecardSettings are how the scorecard is computed: the weights and how many departments the
// red and black lists name. Version counts the changes, for If-Match.
type ScorecardSettings struct {
	Weights    ScorecardWeights
	Red, Black int
	Version    int
	UpdatedAt  time.Time
}

// MaxScorecardList bounds the red and black lists.
const MaxScorecardList = 20

// DefaultScorecardSettings are the settings until an administrator changes them: on-time 40,
// satisfaction 30, returns 15, node punctuality 15; three departments on each list.
var DefaultScorecardSettings = ScorecardSettings{Weights: ScorecardWeights{OnTime: 40, Satisfaction: 30, Returns: 15, NodeOnTime: 15},
	Red: 3, Black: 3}

// Validate reports, by field, weights outside 0–100 or not adding up to 100, and list counts
// outside 0–MaxScorecardList.
func (s ScorecardSettings) Validate() error {
	var v Validation
	w := s.Weights
	for _, f := range []struct {
		name string
		n    int
	}{{"weights.on_time", w.OnTime}, {"weights.satisfaction", w.Satisfaction}, {"weights.returns", w.Returns}, {"weights.node_on_time", w.NodeOnTime}} {
		v.Check(f.n >= 0 && f.n <= 100, f.name, "must be 0 to 100 points")
	}
	if sum := w.OnTime + w.Satisfaction + w.Returns + w.NodeOnTime; sum != 100 {
		v.Add("weights", "must add up to 100 points (they add up to %d)", sum)
	}
	v.Check(s.Red >= 0 && s.Red <= MaxScorecardList, "red", "must be 0 to %d departments", MaxScorecardList)
	v.Check(s.Black >= 0 && s.Black <= MaxScorecardList, "black", "must be 0 to %d departments", MaxScorecardList)
	return v.Err()
}

// ScorecardList is the list a department is on.
type ScorecardList string

// The lists.
const (
	ListRed   ScorecardList = "red"   // 红榜
	ListBlack ScorecardList = "black" // 黑榜
)

// ScorecardRow is one department's line of the scorecard. Score and Rank are nil without any
// measure; List is empty when it is on neither list.
type ScorecardRow struct {
	DepartmentID, DepartmentName string
	Score                        *float64
	Rank                         *int
	OnTimeRate, SatisfactionRate *float64
	// Returns are its returns and the tickets it held; ReturnRate is Returns.ReturnRate().
	Returns        ReturnStats
	ReturnRate     *float64
	NodeOnTimeRate *float64
	List           ScorecardList
}

// Scorecard is a month's department scorecard, the best first.
type Scorecard struct {
	Year     int
	Month    time.Month
	Settings ScorecardSettings
	Rows     []ScorecardRow
}

// Red and Black are the names on the red and black lists, in rank order.
func (c *Scorecard) Red() []string { return c.names(ListRed) }

// Black is the names on the black list, the worst last.
func (c *Scorecard) Black() []string { return c.names(ListBlack) }

func (c *Scorecard) names(l ScorecardList) []string {
	var out []string
	for _, r := range c.Rows {
		if r.List == l {
			out = append(out, r.DepartmentName)
		}
	}
	return out
}

// Score is the score of one department's measures under weights (see ScorecardDefinition);
// nil when it has none that carries weight.
func (w ScorecardWeights) Score(onTime, satisfaction, returnRate, nodeOnTime *float64) *float64 {
	var sum, weight float64
	add := func(m *float64, pts int) {
		if m != nil && pts > 0 {
			sum += float64(pts) * *m
			weight += float64(pts)
		}
	}
	add(onTime, w.OnTime)
	add(satisfaction, w.Satisfaction)
	if returnRate != nil {
		kept := 1 - *returnRate
		add(&kept, w.Returns)
	}
	add(nodeOnTime, w.NodeOnTime)
	if weight == 0 {
		return nil
	}
	s := math.Round(sum/weight*100*10) / 10
	return &s
}

// BuildScorecard scores, ranks and lists the departments' statistics of a month.
func BuildScorecard(year int, month time.Month, settings ScorecardSettings, depts []DepartmentStats) *Scorecard {
	c := &Scorecard{Year: year, Month: month, Settings: settings, Rows: make([]ScorecardRow, 0, len(depts))}
	for _, d := range depts {
		r := ScorecardRow{DepartmentID: d.DepartmentID, DepartmentName: d.DepartmentName,
			OnTimeRate: d.Tickets.OnTimeRate(), SatisfactionRate: d.Tickets.SatisfactionRate(),
			Returns: d.Returns, ReturnRate: d.Returns.ReturnRate(), NodeOnTimeRate: d.Nodes.OnTimeRate()}
		r.Score = settings.Weights.Score(r.OnTimeRate, r.SatisfactionRate, r.ReturnRate, r.NodeOnTimeRate)
		c.Rows = append(c.Rows, r)
	}
	score := func(r ScorecardRow) float64 {
		if r.Score == nil {
			return -1
		}
		return *r.Score
	}
	slices.SortFunc(c.Rows, func(a, b ScorecardRow) int {
		return cmp.Or(cmp.Compare(score(b), score(a)), strings.Compare(a.DepartmentName, b.DepartmentName),
			strings.Compare(a.DepartmentID, b.DepartmentID))
	})
	for i := range c.Rows {
		r := &c.Rows[i]
		if r.Score == nil {
			continue
		}
		above, below := 0, 0
		for _, o := range c.Rows {
			if o.Score != nil && *o.Score > *r.Score {
				above++
			} else if o.Score != nil && *o.Score < *r.Score {
				below++
			}
		}
		rank := above + 1
		r.Rank = &rank
		switch {
		case rank <= settings.Red:
			r.List = ListRed
		case below+1 <= settings.Black:
			r.List = ListBlack
		}
	}
	return c
}

// ScorecardService computes the scorecard and keeps its settings.
type ScorecardService interface {
	// Scorecard is the scorecard of a month over the departments' statistics as Departments
	// counts them for the actor (everything for dispatchers, their portfolio for leaders and
	// stewards). Officers are refused (EFORBIDDEN): a ranking compares departments.
	Scorecard(ctx context.Context, year int, month time.Month) (*Scorecard, error)
	// ScorecardSettings are the settings in force; administrators only (EFORBIDDEN otherwise).
	ScorecardSettings(ctx context.Context) (*ScorecardSettings, error)
	// SetScorecardSettings replaces the settings (audited). Returns EFORBIDDEN unless the actor
	// is an administrator, EINVALID with field errors for bad settings, EVERSION when version is
	// not the current one.
	SetScorecardSettings(ctx context.Context, s ScorecardSettings, version int) (*ScorecardSettings, error)
}
