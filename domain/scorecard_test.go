package domain

import (
	"testing"
)

func TestScorecardScore(t *testing.T) {
	t.Parallel()
	f := func(v float64) *float64 { return &v }
	w := ScorecardWeights{OnTime: 40, Satisfaction: 30, Returns: 15, NodeOnTime: 15}
	for _, tc := range []struct {
		name                              string
		onTime, satisfied, returned, node *float64
		want                              *float64
	}{
		// 100 × (40×0.5 + 30×1 + 15×(1−0.25) + 15×0.8) / 100 = 20 + 30 + 11.25 + 12 = 73.25 → 73.3
		{"AllMeasures", f(0.5), f(1), f(0.25), f(0.8), f(73.3)},
		// No plan nodes: their 15 points are spread over the other 85 in proportion:
		// 100 × (20 + 30 + 11.25) / 85 = 72.06 → 72.1
		{"NoNodesSpreadsTheirWeight", f(0.5), f(1), f(0.25), nil, f(72.1)},
		// Only on-time measured: the score is the on-time rate.
		{"OnlyOnTime", f(0.75), nil, nil, nil, f(75)},
		{"NothingToMeasure", nil, nil, nil, nil, nil},
		{"NoReturnsIsFullMarksForThatMeasure", nil, nil, f(0), nil, f(100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := w.Score(tc.onTime, tc.satisfied, tc.returned, tc.node)
			if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
				t.Errorf("score %v, want %v", deref(got), deref(tc.want))
			}
		})
	}
	t.Run("ZeroWeightMeasureDoesNotCount", func(t *testing.T) {
		w := ScorecardWeights{OnTime: 100}
		if got := w.Score(nil, f(1), nil, nil); got != nil {
			t.Errorf("score %v from a measure of weight 0, want none", *got)
		}
	})
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestBuildScorecard(t *testing.T) {
	t.Parallel()
	// dept resolves `onTime` of `resolved` tickets in time and returns none of 4 held: with only
	// on-time (weight 50) and returns (weight 50, all kept) measured, score = 50 × rate + 50.
	dept := func(id string, onTime, resolved int) DepartmentStats {
		return DepartmentStats{DepartmentID: id, DepartmentName: id,
			Tickets: TicketStats{Total: 4, Resolved: resolved, OnTime: onTime}, Returns: ReturnStats{Held: 4}}
	}
	settings := ScorecardSettings{Weights: ScorecardWeights{OnTime: 50, Returns: 50}, Red: 1, Black: 2}
	c := BuildScorecard(2026, 9, settings, []DepartmentStats{
		dept("D", 1, 4),                          // 62.5
		dept("A", 4, 4),                          // 100
		dept("C", 2, 4),                          // 75
		dept("B", 2, 4),                          // 75
		{DepartmentID: "E", DepartmentName: "E"}, // nothing to measure
	})
	type row struct {
		id    string
		score float64
		rank  int
		list  ScorecardList
	}
	want := []row{{"A", 100, 1, ListRed}, {"B", 75, 2, ListBlack}, {"C", 75, 2, ListBlack}, {"D", 62.5, 4, ListBlack}}
	if len(c.Rows) != 5 {
		t.Fatalf("%d rows, want 5", len(c.Rows))
	}
	for i, w := range want {
		r := c.Rows[i]
		if r.DepartmentID != w.id || r.Score == nil || *r.Score != w.score || r.Rank == nil || *r.Rank != w.rank || r.List != w.list {
			t.Errorf("row %d: %s score %v rank %v list %q, want %+v", i, r.DepartmentID, deref(r.Score), r.Rank, r.List, w)
		}
	}
	// B and C tie second from the bottom: both are black-listed with D, three names for a list of
	// two, rather than one of them chosen by name.
	if got := c.Black(); len(got) != 3 {
		t.Errorf("黑榜 %v, want B, C and D (a tie at the boundary lists both)", got)
	}
	if last := c.Rows[4]; last.DepartmentID != "E" || last.Score != nil || last.Rank != nil || last.List != "" {
		t.Errorf("the department with nothing to measure: %+v, want last, unscored, unranked, on no list", last)
	}

	t.Run("NoDepartmentOnBothLists", func(t *testing.T) {
		c := BuildScorecard(2026, 9, ScorecardSettings{Weights: ScorecardWeights{OnTime: 50, Returns: 50}, Red: 2, Black: 2},
			[]DepartmentStats{dept("A", 4, 4), dept("B", 1, 4)})
		if r, b := c.Red(), c.Black(); len(r) != 2 || len(b) != 0 {
			t.Errorf("红榜 %v 黑榜 %v, want both departments red and none black", r, b)
		}
	})
}

func TestScorecardSettingsValidate(t *testing.T) {
	t.Parallel()
	if err := DefaultScorecardSettings.Validate(); err != nil {
		t.Fatalf("the defaults are invalid: %v", err)
	}
	bad := ScorecardSettings{Weights: ScorecardWeights{OnTime: 120, Satisfaction: -10, Returns: 0, NodeOnTime: 0}, Red: 21, Black: -1}
	err := bad.Validate()
	fields := map[string]bool{}
	if e, ok := err.(*Error); ok {
		for _, f := range e.Fields {
			fields[f.Field] = true
		}
	}
	for _, f := range []string{"weights.on_time", "weights.satisfaction", "red", "black"} {
		if !fields[f] {
			t.Errorf("no error for %s: %v", f, err)
		}
	}
	if !fields["weights"] {
		t.Errorf("120 − 10 adds up to 110: want an error for weights too")
	}
}
