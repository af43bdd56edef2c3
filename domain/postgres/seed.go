package postgres

import (
	"context"
	"crypto/rand"
	"fmt"

	"steward/domain"
)

// DemoLogin is one seeded demo account.
type DemoLogin struct {
	Username string
	Role     domain.Role
	Name     string
}

// SeedDemo fills an empty database with the departments, a portal enterprise and one login per
// role (shared/API.md, "Demo logins"), all with password. It does nothing and returns nil when
// any user exists. It runs as the system, so every record is audited as the seed's.
func SeedDemo(ctx context.Context, db *DB, password string) ([]DemoLogin, error) {
	ctx = domain.WithActor(ctx, domain.System)
	exists, err := db.Bun.NewSelect().Model((*userRow)(nil)).Exists(ctx)
	if err != nil || exists {
		return nil, translate(err)
	}
	depts := NewDepartmentService(db)
	ents := NewEnterpriseService(db)
	users := NewUserService(db)

	bureau := &domain.Department{Name: "区营商环境建设局", Kind: domain.DepartmentBureau}
	if err := depts.CreateDepartment(ctx, bureau); err != nil {
		return nil, err
	}
	government := &domain.Department{Name: "区人民政府", Kind: domain.DepartmentGovernment}
	if err := depts.CreateDepartment(ctx, government); err != nil {
		return nil, err
	}
	var handling []*domain.Department
	for _, d := range []struct {
		name string
		kind domain.DepartmentKind
	}{
		{"区自然资源和规划局", domain.DepartmentGovernment},
		{"区住房和城乡建设局", domain.DepartmentGovernment},
		{"区发展和改革局", domain.DepartmentGovernment},
		{"区市场监督管理局", domain.DepartmentGovernment},
		{"国网区供电公司", domain.DepartmentUtility},
		{"区水务集团", domain.DepartmentUtility},
	} {
		dept := &domain.Department{Name: d.name, Kind: d.kind}
		if err := depts.CreateDepartment(ctx, dept); err != nil {
			return nil, err
		}
		handling = append(handling, dept)
	}

	code, _ := domain.CreditCodeCheckChar("91320594MA1MXK8D0")
	ent := &domain.Enterprise{
		Name: "苏州工业园区示范智能装备有限公司", CreditCode: "91320594MA1MXK8D0" + string(code),
		LegalRepresentative: "周建国", Industry: "C", Scale: domain.ScaleMedium, KeyLevel: domain.KeyMunicipal,
		Address: "星湖街328号", Street: "斜塘街道", Tags: []string{"专精特新", "高新技术企业"},
		Contacts: []domain.Contact{{Name: "陈敏", Title: "行政经理", Phone: "13962100001", Email: "chenmin@example.com"}},
	}
	if err := ents.CreateEnterprise(ctx, ent); err != nil {
		return nil, err
	}

	hash, err := hashPassword(password)
	if err != nil {
		return nil, err
	}
	var logins []DemoLogin
	add := func(username, name string, role domain.Role, dept, enterprise string) error {
		u := &domain.User{Username: username, DisplayName: name, Role: role, DepartmentID: dept, EnterpriseID: enterprise,
			Phone: fmt.Sprintf("1390000%04d", len(logins)+1)}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := users.insert(ctx, u, hash, false); err != nil {
			return err
		}
		logins = append(logins, DemoLogin{Username: username, Role: role, Name: name})
		return nil
	}
	for _, u := range []struct {
		username, name string
		role           domain.Role
		dept           string
	}{
		{"admin", "系统管理员", domain.RoleAdmin, bureau.ID},
		{"dispatcher", "营商局调度员 王芳", domain.RoleDispatcher, bureau.ID},
		{"auditor", "审计员 赵磊", domain.RoleAuditor, ""},
		{"leader1", "副区长 刘强", domain.RoleLeader, government.ID},
		{"steward1", "项目管家 李娜", domain.RoleSteward, bureau.ID},
		{"integration1", "12345 热线接口", domain.RoleIntegration, ""},
	} {
		if err := add(u.username, u.name, u.role, u.dept, ""); err != nil {
			return nil, err
		}
	}
	for i, d := range handling {
		if err := add(fmt.Sprintf("officer%d", i+1), d.Name+"承办人", domain.RoleOfficer, d.ID, ""); err != nil {
			return nil, err
		}
	}
	if err := add("ent1", "陈敏（"+ent.Name+"）", domain.RoleEnterprise, "", ent.ID); err != nil {
		return nil, err
	}
	return logins, nil
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
