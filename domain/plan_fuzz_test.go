package domain_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"steward/domain"
)

// FuzzPlanTemplate: whatever nodes an administrator sends, Validate answers with field errors
// (never a panic), and a template it accepts is one a plan can be made of: keys unique, every
// predecessor a key of another node, no cycle (checked here by peeling off nodes without
// predecessors, not by the code under test), and the plan's baseline starts every node on or
// after the plan's start and after each of its predecessors' planned finish. A template with a
// cycle is refused.
func FuzzPlanTemplate(f *testing.F) {
	for _, s := range []string{
		`[{"k":"A","d":5},{"k":"B","d":3,"a":["A"]},{"k":"C","d":4,"a":["A"]},{"k":"D","d":2,"a":["B","C"]}]`,
		`[{"k":"A","d":1,"a":["B"]},{"k":"B","d":1,"a":["A"]}]`,
		`[{"k":"A","d":1,"a":["A"]}]`,
		`[{"k":"A","d":1},{"k":"A","d":2}]`,
		`[{"k":" A ","d":250,"a":[" A","B"," "]},{"k":"B","d":0}]`,
		`[{"k":"x-1","d":3,"a":["y_2","y_2"]},{"k":"y_2","d":9}]`,
		`[]`,
	} {
		f.Add(s, "2026-09-28")
	}
	f.Fuzz(func(t *testing.T, nodes, start string) {
		var in []struct {
			K string   `json:"k"`
			N string   `json:"n"`
			D int      `json:"d"`
			A []string `json:"a"`
		}
		if json.Unmarshal([]byte(nodes), &in) != nil || len(in) > 80 {
			return
		}
		tpl := &domain.PlanTemplate{Name: "模糊测试模板", ProjectKind: domain.ProjectNew}
		for _, n := range in {
			name := n.N
			if name == "" {
				name = "节点"
			}
			tpl.Nodes = append(tpl.Nodes, domain.PlanTemplateNode{Key: n.K, Name: name, DepartmentID: "dept", Days: n.D, After: n.A})
		}
		err := tpl.Validate()
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("Validate: %v, not a validation error", err)
			}
			return
		}
		index := map[string]int{}
		for i, n := range tpl.Nodes {
			if _, dup := index[n.Key]; dup {
				t.Fatalf("accepted key %q twice", n.Key)
			}
			index[n.Key] = i
		}
		for _, n := range tpl.Nodes {
			for k, a := range n.After {
				if _, ok := index[a]; !ok || a == n.Key || slices.Index(n.After, a) != k {
					t.Fatalf("node %q accepted with predecessors %q", n.Key, n.After)
				}
			}
		}
		// Peel off nodes whose predecessors are all peeled: a template without a cycle empties.
		peeled := make([]bool, len(tpl.Nodes))
		for left, progress := len(tpl.Nodes), true; left > 0; {
			if !progress {
				t.Fatalf("accepted a template with a cycle: %+v", tpl.Nodes)
			}
			progress = false
			for i, n := range tpl.Nodes {
				if !peeled[i] && !slices.ContainsFunc(n.After, func(a string) bool { return !peeled[index[a]] }) {
					peeled[i], progress = true, true
					left--
				}
			}
		}
		day, perr := time.Parse(time.DateOnly, start)
		if perr != nil || day.Year() < 2000 || day.Year() > 2100 {
			day = pday("2026-09-28")
		}
		p := domain.NewPlan(tpl, "project", day, cal)
		for _, n := range p.Nodes {
			if n.PlannedStart.Before(p.Start) || !n.PlannedFinish.After(n.PlannedStart) {
				t.Fatalf("node %q planned %s–%s on a plan starting %s", n.Key, n.PlannedStart, n.PlannedFinish, p.Start)
			}
			for _, a := range n.After {
				if pred := p.Nodes[index[a]]; n.PlannedStart.Before(pred.PlannedFinish) {
					t.Fatalf("node %q starts %s before its predecessor %q finishes %s", n.Key, n.PlannedStart, a, pred.PlannedFinish)
				}
			}
		}
	})
}
