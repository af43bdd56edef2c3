package postgres

import (
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"steward/domain"
	"steward/domain/postgres/demodata"
)

// DemoLogin is one seeded demo account.
type DemoLogin struct {
	Username string
	Role     domain.Role
	Name     string
}

// demoSize is the demo district: about 200 enterprises and 60 projects over every stage.
const (
	demoEnterprises = 200
	demoProjects    = 60
	demoLeaders     = 3
	demoStewards    = 6
	demoPortal      = 3 // enterprises with a portal login (ent1 …)
)

// SeedDemo fills an empty database with the demo district (shared/API.md, "Demo logins"): the
// bureau and handling departments, one login per role (leader1…3, steward1…6, officer1… one per
// handling department, ent1…3) all with password, about 200 enterprises assigned to the leaders
// and stewards with a year of history, about 60 projects spread over every stage with their
// monthly investment, and a year of visits and tickets in every status. It does nothing and returns nil when any user exists. Everything goes
// through the services as the system, so it is validated and audited like real work; the same
// district comes out every time.
func SeedDemo(ctx context.Context, db *DB, password string) ([]DemoLogin, error) {
	ctx = domain.WithActor(ctx, domain.System)
	exists, err := db.Bun.NewSelect().Model((*userRow)(nil)).Exists(ctx)
	if err != nil || exists {
		return nil, translate(err)
	}
	if db.River == nil {
		// The ticket moves queue their reminders; a command that seeds before (or without) a
		// working River client inserts them with an insert-only one.
		rc, err := river.NewClient(riverdatabasesql.New(db.SQL), &river.Config{})
		if err != nil {
			return nil, err
		}
		db.River = rc
		defer func() { db.River = nil }()
	}
	s := &seeder{ctx: ctx, db: db, r: mrand.New(mrand.NewPCG(2026, 11)), now: db.Now()}
	if s.hash, err = hashPassword(password); err != nil {
		return nil, err
	}
	for _, step := range []func() error{s.departments, s.people, s.registerEnterprises, s.assignments, s.registerProjects, s.history, s.plans} {
		if err := step(); err != nil {
			return nil, fmt.Errorf("seed the demo district: %w", err)
		}
	}
	return s.logins, nil
}

type seeder struct {
	ctx    context.Context
	db     *DB
	r      *mrand.Rand
	now    time.Time
	hash   string
	logins []DemoLogin

	bureau, government *domain.Department
	handling           []*domain.Department
	leaders, stewards  []*domain.User
	officers           map[string]*domain.User // by department
	dispatcher         *domain.User
	portal             map[string]*domain.User // enterprise users by enterprise
	enterprises        []*domain.Enterprise
}

func (s *seeder) departments() error {
	depts := NewDepartmentService(s.db)
	s.bureau = &domain.Department{Name: "区营商环境建设局", Kind: domain.DepartmentBureau}
	s.government = &domain.Department{Name: "区人民政府", Kind: domain.DepartmentGovernment}
	for _, d := range []*domain.Department{s.bureau, s.government} {
		if err := depts.CreateDepartment(s.ctx, d); err != nil {
			return err
		}
	}
	for _, d := range []struct {
		name string
		kind domain.DepartmentKind
	}{
		{"区自然资源和规划局", domain.DepartmentGovernment},
		{"区住房和城乡建设局", domain.DepartmentGovernment},
		{"区发展和改革局", domain.DepartmentGovernment},
		{"区市场监督管理局", domain.DepartmentGovernment},
		{"区生态环境局", domain.DepartmentGovernment},
		{"区人力资源和社会保障局", domain.DepartmentGovernment},
		{"国网区供电公司", domain.DepartmentUtility},
		{"区水务集团", domain.DepartmentUtility},
		{"港华燃气公司", domain.DepartmentUtility},
	} {
		dept := &domain.Department{Name: d.name, Kind: d.kind}
		if err := depts.CreateDepartment(s.ctx, dept); err != nil {
			return err
		}
		s.handling = append(s.handling, dept)
	}
	return nil
}

// user stores one demo login.
func (s *seeder) user(username, name string, role domain.Role, dept, enterprise, phone string) (*domain.User, error) {
	u := &domain.User{Username: username, DisplayName: name, Role: role, DepartmentID: dept, EnterpriseID: enterprise, Phone: phone}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := NewUserService(s.db).insert(s.ctx, u, s.hash, false); err != nil {
		return nil, err
	}
	s.logins = append(s.logins, DemoLogin{Username: username, Role: role, Name: name})
	return u, nil
}

func (s *seeder) people() error {
	people := demodata.People(s.r, 2+demoLeaders+demoStewards+len(s.handling))
	next := func() demodata.Person { p := people[0]; people = people[1:]; return p }
	fixed := []struct {
		username, title string
		role            domain.Role
		dept            string
	}{
		{"admin", "系统管理员", domain.RoleAdmin, s.bureau.ID},
		{"dispatcher", "调度员", domain.RoleDispatcher, s.bureau.ID},
	}
	for _, f := range fixed {
		p := next()
		u, err := s.user(f.username, p.Name+"（"+f.title+"）", f.role, f.dept, "", p.Phone)
		if err != nil {
			return err
		}
		if f.role == domain.RoleDispatcher {
			s.dispatcher = u
		}
	}
	if _, err := s.user("auditor", "审计员", domain.RoleAuditor, "", "", ""); err != nil {
		return err
	}
	if _, err := s.user("integration1", "12345 热线接口", domain.RoleIntegration, "", "", ""); err != nil {
		return err
	}
	titles := []string{"副区长", "区委常委", "副区长"}
	for i := 0; i < demoLeaders; i++ {
		p := next()
		u, err := s.user(fmt.Sprintf("leader%d", i+1), p.Name+"（"+titles[i%len(titles)]+"）", domain.RoleLeader, s.government.ID, "", p.Phone)
		if err != nil {
			return err
		}
		s.leaders = append(s.leaders, u)
	}
	for i := 0; i < demoStewards; i++ {
		p := next()
		u, err := s.user(fmt.Sprintf("steward%d", i+1), p.Name, domain.RoleSteward, s.bureau.ID, "", p.Phone)
		if err != nil {
			return err
		}
		s.stewards = append(s.stewards, u)
	}
	s.officers = map[string]*domain.User{}
	for i, d := range s.handling {
		p := next()
		u, err := s.user(fmt.Sprintf("officer%d", i+1), p.Name+"（"+d.Name+"）", domain.RoleOfficer, d.ID, "", p.Phone)
		if err != nil {
			return err
		}
		s.officers[d.ID] = u
	}
	return nil
}

func (s *seeder) registerEnterprises() error {
	ents := NewEnterpriseService(s.db)
	for _, e := range demodata.Enterprises(s.r, demoEnterprises) {
		e := e
		if err := ents.CreateEnterprise(s.ctx, &e); err != nil {
			return err
		}
		s.enterprises = append(s.enterprises, &e)
	}
	s.portal = map[string]*domain.User{}
	for i := 0; i < demoPortal; i++ {
		e := s.enterprises[i]
		contact := e.Contacts[0]
		u, err := s.user(fmt.Sprintf("ent%d", i+1), contact.Name+"（"+e.Name+"）", domain.RoleEnterprise, "", e.ID, contact.Phone)
		if err != nil {
			return err
		}
		s.portal[e.ID] = u
	}
	return nil
}

// day returns the date n days before today.
func (s *seeder) day(n int) time.Time { return domain.Today(s.now).AddDate(0, 0, -n) }

// assignments gives every enterprise a leader and a steward since some day of the past year;
// one in six changed steward since, so the history has something to show.
func (s *seeder) assignments() error {
	svc := NewAssignmentService(s.db)
	for i, e := range s.enterprises {
		from := s.day(200 + s.r.IntN(160))
		a := &domain.Assignment{SubjectType: domain.SubjectEnterprise, SubjectID: e.ID,
			LeaderID: s.leaders[i%demoLeaders].ID, StewardID: s.stewards[i%demoStewards].ID, From: &from, Reason: "年度重点企业包保安排"}
		if err := svc.Assign(s.ctx, a); err != nil {
			return err
		}
		if i%6 == 5 {
			later := s.day(20 + s.r.IntN(150))
			b := &domain.Assignment{SubjectType: domain.SubjectEnterprise, SubjectID: e.ID,
				LeaderID: a.LeaderID, StewardID: s.stewards[(i+1)%demoStewards].ID, From: &later, Reason: "项目管家岗位轮换"}
			if err := svc.Assign(s.ctx, b); err != nil {
				return err
			}
		}
	}
	return nil
}

// projects spreads demoProjects over every stage: each starts negotiating some months ago and
// moves forward stage by stage to where it stands, with monthly investment along the way.
func (s *seeder) registerProjects() error {
	svc := NewProjectService(s.db)
	targets := []domain.Stage{}
	for len(targets) < demoProjects {
		targets = append(targets, domain.Stages...)
	}
	for i := 0; i < demoProjects; i++ {
		// Larger enterprises carry more of the projects.
		e := s.enterprises[(i*7)%len(s.enterprises)]
		seed := demodata.Projects(s.r, e.Name, 1)[0]
		target := targets[i]
		ageDays := 120 + s.r.IntN(480)
		since := s.day(ageDays)
		plannedStart := since.AddDate(0, 2+s.r.IntN(4), 0)
		p := &domain.Project{EnterpriseID: e.ID, Name: seed.Name, Kind: domain.ProjectKind(seed.Kind), Industry: seed.Industry,
			PlannedInvestment: seed.PlannedInvestment, PlannedStart: plannedStart,
			PlannedCompletion: plannedStart.AddDate(1+s.r.IntN(2), s.r.IntN(12), 0), KeyLevel: e.KeyLevel,
			Location: seed.Location, StageSince: since}
		if err := svc.CreateProject(s.ctx, p); err != nil {
			return err
		}
		if err := s.advance(svc, p, target, since, ageDays); err != nil {
			return err
		}
		if i%3 == 0 { // some projects have their own steward, as big ones do
			a := &domain.Assignment{SubjectType: domain.SubjectProject, SubjectID: p.ID, LeaderID: s.leaders[(i/3)%demoLeaders].ID,
				StewardID: s.stewards[(i/3)%demoStewards].ID, Reason: "重大项目专班"}
			if err := NewAssignmentService(s.db).Assign(s.ctx, a); err != nil {
				return err
			}
		}
	}
	return nil
}

var stageNotes = map[domain.Stage]string{
	domain.StageSigned:            "项目正式签约",
	domain.StagePermitting:        "启动立项、规划、环评等审批手续",
	domain.StageUnderConstruction: "取得施工许可，正式开工",
	domain.StageCompleted:         "主体工程竣工验收",
	domain.StageOperating:         "首条产线投产",
	domain.StageAtCapacity:        "产能全部释放，达产",
}

func (s *seeder) advance(svc *ProjectService, p *domain.Project, target domain.Stage, since time.Time, ageDays int) error {
	var path []domain.Stage
	switch target {
	case domain.StageSuspended, domain.StageCancelled:
		path = append(path, domain.MainStages[1:2+s.r.IntN(3)]...)
		path = append(path, target)
	default:
		path = domain.MainStages[1 : target.Index()+1]
	}
	on := since
	step := ageDays / (len(path) + 1)
	for _, st := range path {
		on = on.AddDate(0, 0, 1+s.r.IntN(max(step, 1)))
		if on.After(domain.Today(s.now)) {
			on = domain.Today(s.now)
		}
		note, reason := stageNotes[st], ""
		switch st {
		case domain.StageSuspended:
			reason = "企业资金安排调整，项目暂缓建设"
		case domain.StageCancelled:
			reason = "企业战略调整，项目终止"
		}
		updated, err := svc.MoveProjectStage(s.ctx, p.ID, 0, st, on, note, reason)
		if err != nil {
			return err
		}
		*p = *updated
		if st == domain.StageUnderConstruction {
			if err := s.invest(svc, p, on); err != nil {
				return err
			}
		}
	}
	return nil
}

// invest reports monthly investment from the start of construction: most projects near plan,
// some behind, so every light shows.
func (s *seeder) invest(svc *ProjectService, p *domain.Project, from time.Time) error {
	months := int(p.PlannedCompletion.Sub(p.PlannedStart).Hours()/24/30) + 1
	pace := []float64{1.05, 1.0, 0.95, 0.8, 0.55}[s.r.IntN(5)]
	for m := from; !m.After(domain.Today(s.now)); m = m.AddDate(0, 1, 0) {
		amount := float64(int(p.PlannedInvestment/float64(months)*pace*(0.8+0.4*s.r.Float64())*100)) / 100
		if _, err := svc.SetInvestment(s.ctx, p.ID, domain.Investment{Month: m.Format("2006-01"), Amount: amount}); err != nil {
			return err
		}
	}
	return nil
}

// NewDemoPassword returns a random password that meets the password policy, for demo logins
// when STEWARD_DEMO_PASSWORD is unset.
func NewDemoPassword() string {
	const lower, upper, digits = "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"
	pick := func(set string, n int) string {
		b := make([]byte, n)
		r := make([]byte, n)
		_, _ = rand.Read(r)
		for i := range b {
			b[i] = set[int(r[i])%len(set)]
		}
		return string(b)
	}
	return pick(upper, 2) + pick(lower, 3) + "-" + pick(digits, 2) + pick(lower, 3) + "-" + pick(upper, 1) + pick(digits, 2)
}
