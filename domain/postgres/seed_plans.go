package postgres

import (
	"fmt"
	"math"
	"slices"
	"time"

	"steward/domain"
	"steward/domain/postgres/demodata"
)

// The demo district's approval plans (审批节点计划): an industrial new-build template of twelve
// nodes with 环评, 能评, 安评 and the land grant in parallel, a renovation template of six, and
// plans for about twenty projects in every state — on time, late and red, blocked with a ticket,
// with waived nodes, finished — played out move by move on their own days, so the dates, lights,
// reminders and timelines are as real work would leave them.

// demoPlanNode is a template node whose department is an index into seeder.handling (-1: the
// emergency management bureau, which the plans add to the district).
type demoPlanNode struct {
	key, name string
	dept      int
	days      int
	after     []string
}

const emergencyDept = -1

var demoIndustrialNodes = []demoPlanNode{
	{"filing", "项目立项备案", 2, 5, nil},
	{"site", "用地预审与选址意见", 0, 20, []string{"filing"}},
	{"eia", "环境影响评价审批（环评）", 4, 30, []string{"site"}},
	{"energy", "固定资产投资项目节能审查（能评）", 2, 20, []string{"site"}},
	{"safety", "建设项目安全条件审查（安评）", emergencyDept, 20, []string{"site"}},
	{"land", "土地出让与不动产权证", 0, 30, []string{"site"}},
	{"planning", "建设工程规划许可证", 0, 20, []string{"eia", "energy", "safety", "land"}},
	{"drawings", "施工图设计文件审查", 1, 15, []string{"planning"}},
	{"permit", "建筑工程施工许可证", 1, 10, []string{"drawings"}},
	{"power", "供电接入方案答复", 6, 15, []string{"planning"}},
	{"water", "供水接入方案答复", 7, 10, []string{"planning"}},
	{"acceptance", "竣工联合验收", 1, 20, []string{"permit", "power", "water"}},
}

var demoRenovationNodes = []demoPlanNode{
	{"filing", "技术改造项目备案", 2, 5, nil},
	{"eia", "环境影响评价（报告表）审批", 4, 15, []string{"filing"}},
	{"energy", "节能审查", 2, 10, []string{"filing"}},
	{"planning", "建设工程规划许可（涉及新增建筑）", 0, 15, []string{"eia", "energy"}},
	{"permit", "建筑工程施工许可证", 1, 10, []string{"planning"}},
	{"acceptance", "竣工验收备案", 1, 15, []string{"permit"}},
}

// demoUnstarted are the nodes whose departments record no start: their nodes go from ready to
// done (the utilities answer an application, they do not open a case).
var demoUnstarted = []string{"power", "water"}

// demoPlanProfile is how a demo plan has gone: how long ago it started, how fast its
// departments work (a node takes pace × its limit), which nodes the dispatcher waived, and
// whether the node open today is blocked.
type demoPlanProfile struct {
	name    string
	ago     int // calendar days before today the plan started
	pace    float64
	waive   []string
	blocked bool
	// blockTo is the department (index into seeder.handling) a block's ticket goes to; -2: the node's own.
	blockTo int
	// stuckAfter, when set, is how many nodes are finished before work stalls: the rest stay
	// open past their due date.
	stuckAfter int
}

// demoPlanProfiles are the twenty plans' stories, by project stage.
var demoPlanProfiles = map[domain.Stage][]demoPlanProfile{
	domain.StageSigned: {
		{name: "just made today", ago: 0, pace: 0.9},
		{name: "started, slow", ago: 20, pace: 1.4},
		{name: "on time", ago: 35, pace: 0.9},
	},
	domain.StagePermitting: {
		{name: "on time", ago: 60, pace: 0.9},
		{name: "late and red", ago: 150, pace: 1.3, stuckAfter: 4},
		{name: "blocked", ago: 70, pace: 1.0, blocked: true, blockTo: 0},
		{name: "safety waived, ahead", ago: 90, pace: 0.75, waive: []string{"safety"}},
		{name: "late", ago: 100, pace: 1.2},
		{name: "red and blocked", ago: 160, pace: 1.4, stuckAfter: 6, blocked: true, blockTo: 6},
		{name: "energy waived, blocked at its own department", ago: 110, pace: 1.1, waive: []string{"energy"}, blocked: true, blockTo: -2},
	},
	domain.StageUnderConstruction: {
		{name: "permits done, acceptance ahead", ago: 190, pace: 0.9},
		{name: "permits done late", ago: 230, pace: 1.3},
		{name: "water waived", ago: 180, pace: 0.9, waive: []string{"water"}},
		{name: "permit overdue", ago: 200, pace: 1.1, stuckAfter: 8},
	},
	domain.StageCompleted: {
		{name: "finished", ago: 320, pace: 1.0},
		{name: "finished with a waiver", ago: 300, pace: 0.9, waive: []string{"safety"}},
	},
	domain.StageOperating: {
		{name: "finished late", ago: 420, pace: 1.3},
		{name: "finished", ago: 380, pace: 0.8},
	},
	domain.StageAtCapacity: {
		{name: "finished", ago: 500, pace: 1.0},
	},
	domain.StageSuspended: {
		{name: "stalled", ago: 200, pace: 1.5, stuckAfter: 5},
	},
}

var demoWaiveReasons = map[string]string{
	"safety": "项目不涉及危险化学品，经认定免于安全条件审查",
	"energy": "年综合能源消费量低于1000吨标准煤，实行告知承诺制，免于单独节能审查",
	"water":  "沿用厂区现有供水管网，无需新增接入",
}

var demoBlockReasons = []string{
	"用地红线与规划道路冲突，需自然资源部门先出具调整意见",
	"企业申报材料缺少环境风险评估专章，需补正后方可受理",
	"外线工程需跨越已建成道路，开挖许可尚未办理",
	"专家评审会因专家时间冲突未能召开",
}

// plans seeds the templates and the plans (after the history: the clock is its own).
func (s *seeder) plans() error {
	realNow := s.db.Now
	clock := s.now
	s.db.Now = func() time.Time { return clock }
	defer func() { s.db.Now = realNow }()

	cal := NewCalendarService(s.db)
	notifier := NewNotifier(s.db, WorkingTimeOf(cal))
	tickets := NewTicketService(s.db, WorkingDaysOf(cal), notifier)
	plans := NewPlanService(s.db, tickets)
	wd, err := WorkingDaysOf(cal)(s.ctx)
	if err != nil {
		return err
	}

	// 安评 is the emergency management bureau's: the district gets it, with its officer.
	emergency := &domain.Department{Name: "区应急管理局", Kind: domain.DepartmentGovernment}
	if err := NewDepartmentService(s.db).CreateDepartment(s.ctx, emergency); err != nil {
		return err
	}
	p := demodata.People(s.r, 1)[0]
	officer, err := s.user(fmt.Sprintf("officer%d", len(s.handling)+1), p.Name+"（"+emergency.Name+"）", domain.RoleOfficer, emergency.ID, "", p.Phone)
	if err != nil {
		return err
	}
	s.officers[emergency.ID] = officer
	deptOf := func(i int) *domain.Department {
		if i == emergencyDept {
			return emergency
		}
		return s.handling[i]
	}
	template := func(name string, kind domain.ProjectKind, nodes []demoPlanNode) (*domain.PlanTemplate, error) {
		t := &domain.PlanTemplate{Name: name, ProjectKind: kind}
		for _, n := range nodes {
			t.Nodes = append(t.Nodes, domain.PlanTemplateNode{Key: n.key, Name: n.name, DepartmentID: deptOf(n.dept).ID, Days: n.days, After: n.after})
		}
		return t, plans.CreatePlanTemplate(s.ctx, t)
	}
	industrial, err := template("工业类新建项目审批计划", domain.ProjectNew, demoIndustrialNodes)
	if err != nil {
		return err
	}
	renovation, err := template("技术改造项目审批计划", domain.ProjectRenovation, demoRenovationNodes)
	if err != nil {
		return err
	}
	if _, err := template("扩建项目审批计划（简化）", domain.ProjectExpansion, demoIndustrialNodes[:9]); err != nil {
		return err
	}

	// The projects of each stage, in the order they were registered.
	var projects []projectRow
	if err := s.db.Bun.NewSelect().Model(&projects).OrderExpr("p.created_at, p.id").Scan(s.ctx); err != nil {
		return translate(err)
	}
	today := domain.Today(s.now)
	blocks := 0
	for _, stage := range domain.Stages {
		profiles := demoPlanProfiles[stage]
		for _, pr := range projects {
			if len(profiles) == 0 {
				break
			}
			if domain.Stage(pr.Stage) != stage {
				continue
			}
			prof := profiles[0]
			profiles = profiles[1:]
			tpl := industrial
			if pr.Kind == string(domain.ProjectRenovation) {
				tpl = renovation
			}
			start := today.AddDate(0, 0, -prof.ago)
			clock = time.Date(start.Year(), start.Month(), start.Day(), 9, 30, 0, 0, domain.Shanghai)
			plan, err := plans.CreatePlan(actorOf(s.ctx, s.dispatcher), pr.ID, tpl.ID, start)
			if err != nil {
				return fmt.Errorf("plan of %s: %w", pr.Name, err)
			}
			if err := s.playPlan(plans, wd, plan, prof, today, &clock); err != nil {
				return fmt.Errorf("plan of %s (%s): %w", pr.Name, prof.name, err)
			}
			if prof.blocked {
				if err := s.blockPlan(plans, pr.ID, prof, blocks, today, &clock); err != nil {
					return fmt.Errorf("block the plan of %s: %w", pr.Name, err)
				}
				blocks++
			}
		}
	}
	return nil
}

// playPlan makes the moves of a plan's story up to today, each on its day: a ready node is
// started the next working day and finished pace × its limit working days after it became ready
// (each node a little faster or slower than the plan's pace); a node to waive is waived the day
// it becomes ready.
func (s *seeder) playPlan(svc *PlanService, wd domain.WorkingDays, plan *domain.Plan, prof demoPlanProfile, today time.Time, clock *time.Time) error {
	spread := map[string]float64{}
	for _, n := range plan.Nodes {
		spread[n.Key] = prof.pace * (0.85 + 0.3*s.r.Float64())
	}
	type move struct {
		on   time.Time
		node *domain.PlanNode
		act  domain.PlanAction
	}
	finished := 0
	for range 3 * len(plan.Nodes) {
		var next *move
		for i := range plan.Nodes {
			n := &plan.Nodes[i]
			var m *move
			switch {
			case n.ReadyOn == nil:
			case n.Status == domain.NodeReady && slices.Contains(prof.waive, n.Key):
				m = &move{on: *n.ReadyOn, node: n, act: domain.PlanAction{Move: domain.PlanMoveWaive, Reason: demoWaiveReasons[n.Key]}}
			case n.Status == domain.NodeReady && !slices.Contains(demoUnstarted, n.Key):
				m = &move{on: domain.AddWorkingDays(wd, *n.ReadyOn, 1), node: n, act: domain.PlanAction{Move: domain.PlanMoveStart}}
			case prof.stuckAfter > 0 && finished >= prof.stuckAfter:
			case n.Status == domain.NodeInProgress || n.Status == domain.NodeReady:
				days := max(1, int(math.Round(float64(n.Days)*spread[n.Key])))
				on := domain.AddWorkingDays(wd, *n.ReadyOn, days)
				m = &move{on: on, node: n, act: domain.PlanAction{Move: domain.PlanMoveFinish, Date: on, Note: "已取得批复文件"}}
			}
			if m != nil && (next == nil || m.on.Before(next.on)) {
				next = m
			}
		}
		if next == nil || next.on.After(today) {
			return nil
		}
		hour := 10
		if next.act.Move == domain.PlanMoveFinish {
			hour = 16
		}
		*clock = time.Date(next.on.Year(), next.on.Month(), next.on.Day(), hour, 0, 0, 0, domain.Shanghai)
		if clock.After(s.now) {
			*clock = s.now
		}
		actor := actorOf(s.ctx, s.dispatcher)
		if next.act.Move != domain.PlanMoveWaive {
			actor = actorOf(s.ctx, s.officers[next.node.DepartmentID])
		}
		var err error
		if plan, err = svc.ActOnNode(actor, plan.ProjectID, next.node.ID, plan.Version, next.act); err != nil {
			return fmt.Errorf("%s %s on %s: %w", next.act.Move, next.node.Key, next.on.Format(time.DateOnly), err)
		}
		if next.act.Move == domain.PlanMoveFinish {
			finished++
		}
	}
	return nil
}

// blockPlan blocks the plan's first node in progress (卡点) a few days ago: its officer raises a
// ticket to the department that must clear it.
func (s *seeder) blockPlan(svc *PlanService, projectID string, prof demoPlanProfile, k int, today time.Time, clock *time.Time) error {
	plan, err := svc.ProjectPlan(domain.WithActor(s.ctx, domain.System), projectID)
	if err != nil {
		return err
	}
	for i := range plan.Nodes {
		n := &plan.Nodes[i]
		if n.Status != domain.NodeInProgress && n.Status != domain.NodeReady {
			continue
		}
		on := today.AddDate(0, 0, -3)
		if n.ReadyOn.After(on) {
			on = *n.ReadyOn
		}
		*clock = time.Date(on.Year(), on.Month(), on.Day(), 11, 0, 0, 0, domain.Shanghai)
		if clock.After(s.now) {
			*clock = s.now
		}
		act := domain.PlanAction{Move: domain.PlanMoveBlock, Reason: demoBlockReasons[k%len(demoBlockReasons)]}
		if prof.blockTo >= 0 {
			act.DepartmentID = s.handling[prof.blockTo].ID
		}
		_, err := svc.ActOnNode(actorOf(s.ctx, s.officers[n.DepartmentID]), projectID, n.ID, plan.Version, act)
		return err
	}
	return nil
}
