package postgres

import (
	"context"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/uptrace/bun"

	"steward/domain"
)

// passwordParams are argon2id's costs: OWASP's recommended 19 MiB, 2 passes, 1 lane, which keep
// a burst of logins within the server's memory budget.
var passwordParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func hashPassword(pw string) (string, error) { return argon2id.CreateHash(pw, passwordParams) }

// dummyHash is compared against when the username does not exist, so that a wrong username takes
// as long as a wrong password.
var dummyHash, _ = hashPassword("no such user, no such password")

type userRow struct {
	bun.BaseModel `bun:"table:users,alias:u"`
	meta
	Username           string     `bun:"username,notnull" json:"username"`
	DisplayName        string     `bun:"display_name,notnull" json:"display_name"`
	Role               string     `bun:"role,notnull" json:"role"`
	DepartmentID       *string    `bun:"department_id,type:uuid" json:"department_id"`
	EnterpriseID       *string    `bun:"enterprise_id,type:uuid" json:"enterprise_id"`
	Phone              string     `bun:"phone,notnull" json:"phone"`
	Email              string     `bun:"email,notnull" json:"email"`
	Status             string     `bun:"status,notnull" json:"status"`
	PasswordHash       string     `bun:"password_hash,notnull" json:"-"`
	MustChangePassword bool       `bun:"must_change_password,notnull" json:"must_change_password"`
	FailedLogins       int        `bun:"failed_logins,notnull" json:"failed_logins"`
	LockedUntil        *time.Time `bun:"locked_until" json:"locked_until"`
	PasswordChangedAt  time.Time  `bun:"password_changed_at,notnull" json:"password_changed_at"`
	LastLoginAt        *time.Time `bun:"last_login_at" json:"last_login_at"`
}

func (r *userRow) set(u *domain.User) {
	r.Username, r.DisplayName, r.Role = u.Username, u.DisplayName, string(u.Role)
	r.DepartmentID, r.EnterpriseID = nullable(u.DepartmentID), nullable(u.EnterpriseID)
	r.Phone, r.Email, r.Status = u.Phone, u.Email, string(u.Status)
	r.MustChangePassword, r.FailedLogins, r.LockedUntil = u.MustChangePassword, u.FailedLogins, u.LockedUntil
}

func (r *userRow) toDomain() *domain.User {
	return &domain.User{
		ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Role: domain.Role(r.Role),
		DepartmentID: deref(r.DepartmentID), EnterpriseID: deref(r.EnterpriseID), Phone: r.Phone,
		Email: r.Email, Status: domain.UserStatus(r.Status), MustChangePassword: r.MustChangePassword,
		FailedLogins: r.FailedLogins, LockedUntil: r.LockedUntil, PasswordChangedAt: r.PasswordChangedAt,
		LastLoginAt: r.LastLoginAt, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func (r *userRow) actor() *domain.Actor {
	return &domain.Actor{
		UserID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Role: domain.Role(r.Role),
		DepartmentID: deref(r.DepartmentID), EnterpriseID: deref(r.EnterpriseID),
		MustChangePassword: r.MustChangePassword,
	}
}

// UserService implements domain.UserService.
type UserService struct{ db *DB }

// NewUserService returns a UserService on db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

var _ domain.UserService = (*UserService)(nil)

// checkMembership checks the department and enterprise a user belongs to exist, and that
// stewards and dispatchers belong to the bureau.
func (s *UserService) checkMembership(ctx context.Context, idb bun.IDB, u *domain.User) error {
	var v domain.Validation
	if u.DepartmentID != "" {
		var d departmentRow
		if err := get(ctx, idb, &d, u.DepartmentID, nil); err != nil {
			if domain.ErrorCode(err) != domain.ENOTFOUND {
				return err
			}
			v.Add("department_id", "no such department")
		} else if (u.Role == domain.RoleSteward || u.Role == domain.RoleDispatcher) && d.Kind != string(domain.DepartmentBureau) {
			v.Add("department_id", "a %s belongs to the business-environment bureau (a department of kind bureau)", u.Role)
		}
	}
	if u.EnterpriseID != "" {
		var e enterpriseRow
		if err := get(ctx, idb, &e, u.EnterpriseID, nil); err != nil {
			if domain.ErrorCode(err) != domain.ENOTFOUND {
				return err
			}
			v.Add("enterprise_id", "no such enterprise")
		}
	}
	return v.Err()
}

func (s *UserService) CreateUser(ctx context.Context, u *domain.User, password string, mustChange bool) error {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActCreate, domain.ResUser) {
		return domain.Forbidden(a, "create users")
	}
	u.Status = domain.UserActive
	if err := u.Validate(); err != nil {
		return err
	}
	if err := auditorsByOperator(domain.ActorFrom(ctx), u.Role); err != nil {
		return err
	}
	if err := domain.CheckPassword(password, u.Username); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.insert(ctx, u, hash, mustChange)
}

// insert stores a validated user with a password hash, checking where they belong.
func (s *UserService) insert(ctx context.Context, u *domain.User, hash string, mustChange bool) error {
	m := newMeta(s.db.Now())
	u.ID, u.Version, u.CreatedAt, u.UpdatedAt = m.ID, m.Version, m.CreatedAt, m.UpdatedAt
	u.MustChangePassword, u.PasswordChangedAt = mustChange, m.CreatedAt
	r := &userRow{meta: m, PasswordHash: hash, PasswordChangedAt: m.CreatedAt}
	r.set(u)
	return s.db.InTx(ctx, func(tx bun.Tx) error {
		if err := s.checkMembership(ctx, tx, u); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return translate(err)
		}
		return s.db.audit(ctx, tx, "create", "user", r.ID, nil, r)
	})
}

func (s *UserService) User(ctx context.Context, id string) (*domain.User, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResUser) {
		return nil, domain.Forbidden(a, "read users")
	}
	var r userRow
	if err := get(ctx, s.db.Bun, &r, id, nil); err != nil {
		return nil, err
	}
	return r.toDomain().Masked(), nil
}

func (s *UserService) RevealUser(ctx context.Context, id string) (*domain.User, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActReveal, domain.ResUser) {
		return nil, domain.Forbidden(a, "reveal user details")
	}
	var r userRow
	err := s.db.InTx(ctx, func(tx bun.Tx) error {
		if err := get(ctx, tx, &r, id, nil); err != nil {
			return err
		}
		return s.db.audit(ctx, tx, "reveal", "user", id, nil, map[string]any{"fields": []string{"phone"}})
	})
	if err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}

var userKeyset = keyset[userRow]{
	columns: []string{"username"},
	key:     func(r *userRow) []string { return []string{r.Username} },
	id:      func(r *userRow) string { return r.ID },
}

func (s *UserService) Users(ctx context.Context, f domain.UserFilter, p domain.Page) (*domain.List[domain.User], error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResUser) {
		return nil, domain.Forbidden(a, "read users")
	}
	q := s.db.Bun.NewSelect().Model((*userRow)(nil))
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if f.DepartmentID != "" {
		q = q.Where("department_id = nullif(?, '')::uuid", f.DepartmentID)
	}
	if f.EnterpriseID != "" {
		q = q.Where("enterprise_id = nullif(?, '')::uuid", f.EnterpriseID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Q != "" {
		like := "%" + escapeLike(f.Q) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("username ILIKE ?", like).WhereOr("display_name ILIKE ?", like)
		})
	}
	rows, next, total, err := userKeyset.page(ctx, q, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, func(r *userRow) *domain.User { return r.toDomain().Masked() }), nil
}

// directoryRow is a user as the staff directory shows them.
type directoryRow struct {
	bun.BaseModel  `bun:"table:users,alias:u"`
	ID             string  `bun:"id"`
	DisplayName    string  `bun:"display_name"`
	Role           string  `bun:"role"`
	DepartmentID   *string `bun:"department_id"`
	DepartmentName *string `bun:"department_name,scanonly"`
}

var directoryKeyset = keyset[directoryRow]{
	columns: []string{"u.display_name"},
	key:     func(r *directoryRow) []string { return []string{r.DisplayName} },
	id:      func(r *directoryRow) string { return r.ID },
}

func (s *UserService) Directory(ctx context.Context, f domain.DirectoryFilter, p domain.Page) (*domain.List[domain.DirectoryEntry], error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResDirectory) {
		return nil, domain.Forbidden(a, "read the staff directory")
	}
	q := s.db.Bun.NewSelect().Model((*directoryRow)(nil)).
		Column("u.id", "u.display_name", "u.role", "u.department_id").
		ColumnExpr("d.name AS department_name").
		Join("LEFT JOIN departments AS d ON d.id = u.department_id").
		Where("u.status <> ?", domain.UserDisabled).
		Where("u.role IN (?)", bun.In(domain.StaffRoles))
	if f.Role != "" {
		q = q.Where("u.role = ?", f.Role)
	}
	if f.DepartmentID != "" {
		q = q.Where("u.department_id = nullif(?, '')::uuid", f.DepartmentID)
	}
	if f.Q != "" {
		q = q.Where("u.display_name ILIKE ?", "%"+escapeLike(f.Q)+"%")
	}
	rows, next, total, err := directoryKeyset.page(ctx, q, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, func(r *directoryRow) *domain.DirectoryEntry {
		e := &domain.DirectoryEntry{ID: r.ID, DisplayName: r.DisplayName, Role: domain.Role(r.Role)}
		if r.DepartmentID != nil {
			e.DepartmentID = *r.DepartmentID
		}
		if r.DepartmentName != nil {
			e.DepartmentName = *r.DepartmentName
		}
		return e
	}), nil
}

// change runs apply on a user row under the update protocol, for admin actions.
func (s *UserService) change(ctx context.Context, id string, version int, what string, apply func(tx bun.Tx, r *userRow) error) (*domain.User, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActUpdate, domain.ResUser) {
		return nil, domain.Forbidden(a, what)
	}
	var r userRow
	if version == 0 { // actions without If-Match act on the current version
		if err := get(ctx, s.db.Bun, &r, id, nil); err != nil {
			return nil, err
		}
		version = r.Version
	}
	if err := update(ctx, s.db, &r, id, version, "user", nil, func(tx bun.Tx) error {
		if err := auditorsByOperator(a, domain.Role(r.Role)); err != nil {
			return err
		}
		return apply(tx, &r)
	}); err != nil {
		return nil, err
	}
	return r.toDomain().Masked(), nil
}

func (s *UserService) UpdateUser(ctx context.Context, id string, version int, p domain.UserPatch) (*domain.User, error) {
	return s.change(ctx, id, version, "change users", func(tx bun.Tx, r *userRow) error {
		u := r.toDomain()
		wasActive := u.Status != domain.UserDisabled
		if err := u.Apply(p); err != nil {
			return err
		}
		if err := auditorsByOperator(domain.ActorFrom(ctx), u.Role); err != nil {
			return err
		}
		if err := s.checkMembership(ctx, tx, u); err != nil {
			return err
		}
		r.set(u)
		if wasActive && u.Status == domain.UserDisabled {
			return endSessions(ctx, tx, r.ID, "")
		}
		return nil
	})
}

func (s *UserService) UnlockUser(ctx context.Context, id string) (*domain.User, error) {
	return s.change(ctx, id, 0, "unlock users", func(tx bun.Tx, r *userRow) error {
		if r.Status == string(domain.UserLocked) {
			r.Status = string(domain.UserActive)
		}
		r.FailedLogins, r.LockedUntil = 0, nil
		return nil
	})
}

func (s *UserService) ResetPassword(ctx context.Context, id, password string) (*domain.User, error) {
	return s.change(ctx, id, 0, "reset passwords", func(tx bun.Tx, r *userRow) error {
		if err := domain.CheckPassword(password, r.Username); err != nil {
			return err
		}
		hash, err := hashPassword(password)
		if err != nil {
			return err
		}
		r.PasswordHash, r.MustChangePassword, r.PasswordChangedAt = hash, true, s.db.Now()
		return endSessions(ctx, tx, r.ID, "")
	})
}

// auditorsByOperator keeps auditor accounts out of the administrator's hands (三权分立): an
// administrator who could create, reset or unlock an auditor could read the audit log through
// it. Auditors are created on the command line (steward user create) by the operator.
func auditorsByOperator(a *domain.Actor, role domain.Role) error {
	if role == domain.RoleAuditor && !a.IsSystem() {
		return domain.Errorf(domain.EFORBIDDEN, "auditor accounts are managed by the operator on the command line, not by administrators (三权分立)")
	}
	return nil
}
