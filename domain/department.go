package domain

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// DepartmentKind says what sort of body a department is.
type DepartmentKind string

// Department kinds.
const (
	DepartmentBureau     DepartmentKind = "bureau"     // 营商局, the business-environment bureau itself
	DepartmentGovernment DepartmentKind = "government" // 政府部门, e.g. 自然资源局, 住建局
	DepartmentUtility    DepartmentKind = "utility"    // 公用事业单位, e.g. 供电公司, 水务公司
)

// DepartmentKinds lists every kind, in display order.
var DepartmentKinds = []DepartmentKind{DepartmentBureau, DepartmentGovernment, DepartmentUtility}

// Department (部门) is a body tickets are routed to and users belong to.
type Department struct {
	ID   string
	Name string
	Kind DepartmentKind
	// HeadUserID is the department's head (负责人), who is warned before a ticket falls due.
	HeadUserID string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// DepartmentPatch carries the fields a PATCH changes; nil means unchanged.
type DepartmentPatch struct {
	Name       *string
	Kind       *DepartmentKind
	HeadUserID *string // "" removes the head
}

// Validate normalizes the department's fields and reports every invalid one.
func (d *Department) Validate() error {
	var v Validation
	d.Name = strings.TrimSpace(d.Name)
	n := utf8.RuneCountInString(d.Name)
	v.Check(n >= 1 && n <= 100, "name", "must be 1 to 100 characters")
	v.Check(oneOf(d.Kind, DepartmentKinds), "kind", "must be one of bureau, government, utility")
	return v.Err()
}

// Apply changes d by p and validates the result.
func (d *Department) Apply(p DepartmentPatch) error {
	if p.Name != nil {
		d.Name = *p.Name
	}
	if p.Kind != nil {
		d.Kind = *p.Kind
	}
	set(&d.HeadUserID, p.HeadUserID)
	return d.Validate()
}

// DepartmentFilter narrows a department list.
type DepartmentFilter struct {
	Kind DepartmentKind
	// Q matches a fragment of the name.
	Q string
}

// DepartmentService stores departments.
type DepartmentService interface {
	// CreateDepartment validates d, stores it and fills in its ID, version and times.
	// Returns EINVALID on bad fields and ECONFLICT when the name is taken.
	CreateDepartment(ctx context.Context, d *Department) error
	// Department returns one department. Returns ENOTFOUND if it does not exist.
	Department(ctx context.Context, id string) (*Department, error)
	// Departments lists departments by name.
	Departments(ctx context.Context, f DepartmentFilter, p Page) (*List[Department], error)
	// UpdateDepartment applies p if version is current. Returns ENOTFOUND, EVERSION on a stale
	// version, EINVALID on bad fields and ECONFLICT when the new name is taken.
	UpdateDepartment(ctx context.Context, id string, version int, p DepartmentPatch) (*Department, error)
}

func oneOf[T comparable](x T, set []T) bool {
	for _, s := range set {
		if x == s {
			return true
		}
	}
	return false
}
