package domain

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Category limits in working days. DefaultSignDays is what the API offers when a new category
// does not say.
const (
	DefaultSignDays = 1
	MaxSignDays     = 30
	MaxResolveDays  = 120
)

// Category (诉求类别) is a kind of request, with the department it usually goes to and its time
// limits in working days: SignDays to sign for (签收) a ticket once it is assigned, ResolveDays to
// resolve (办结) it once accepted. An inactive category stays on its tickets but takes no new ones.
type Category struct {
	ID          string
	Name        string
	Description string
	// DefaultDepartmentID is the department a dispatcher is offered first; "" for none.
	DefaultDepartmentID string
	SignDays            int
	ResolveDays         int
	Active              bool
	Version             int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// CategoryPatch carries the fields a PATCH changes; nil means unchanged.
type CategoryPatch struct {
	Name                *string
	Description         *string
	DefaultDepartmentID *string // "" removes the default department
	SignDays            *int
	ResolveDays         *int
	Active              *bool
}

// Validate normalizes the category's fields and reports every invalid one. Whether the default
// department exists is for the store to check.
func (c *Category) Validate() error {
	var v Validation
	c.Name = strings.TrimSpace(c.Name)
	c.Description = strings.TrimSpace(c.Description)
	c.DefaultDepartmentID = strings.TrimSpace(c.DefaultDepartmentID)
	n := utf8.RuneCountInString(c.Name)
	v.Check(n >= 1 && n <= 50, "name", "must be 1 to 50 characters")
	v.Check(utf8.RuneCountInString(c.Description) <= 500, "description", "must be at most 500 characters")
	v.Check(c.SignDays >= 1 && c.SignDays <= MaxSignDays, "sign_days", "must be 1 to %d working days", MaxSignDays)
	v.Check(c.ResolveDays >= 1 && c.ResolveDays <= MaxResolveDays, "resolve_days", "must be 1 to %d working days", MaxResolveDays)
	return v.Err()
}

// Apply changes c by p and validates the result.
func (c *Category) Apply(p CategoryPatch) error {
	set(&c.Name, p.Name)
	set(&c.Description, p.Description)
	set(&c.DefaultDepartmentID, p.DefaultDepartmentID)
	set(&c.SignDays, p.SignDays)
	set(&c.ResolveDays, p.ResolveDays)
	set(&c.Active, p.Active)
	return c.Validate()
}

// ResolveLimit is the resolve limit (办结时限) in working days of a ticket of this category: an
// urgent ticket gets half of ResolveDays, rounded up, so never less than one day.
func (c *Category) ResolveLimit(urgent bool) int {
	if urgent {
		return (c.ResolveDays + 1) / 2
	}
	return c.ResolveDays
}

// CategoryFilter narrows a category list.
type CategoryFilter struct {
	// Active, when set, keeps only the active (true) or the inactive (false) categories.
	Active *bool
}

// CategoryService stores categories. Every logged-in role but the auditor may read them (the
// portal and integrations need them to submit requests); only administrators change them.
type CategoryService interface {
	// CreateCategory validates c, stores it and fills in its ID, version and times. Returns
	// EFORBIDDEN unless the actor may configure categories, EINVALID on bad fields (also when
	// the default department does not exist) and ECONFLICT when the name is taken.
	CreateCategory(ctx context.Context, c *Category) error
	// Category returns one category, active or not. Returns ENOTFOUND if it does not exist and
	// EFORBIDDEN if the actor may not read categories.
	Category(ctx context.Context, id string) (*Category, error)
	// Categories lists categories, oldest first (the built-in defaults lead, in DESIGN.md's
	// order). Returns EFORBIDDEN if the actor may not read categories.
	Categories(ctx context.Context, f CategoryFilter, p Page) (*List[Category], error)
	// UpdateCategory applies p if version is current. Returns EFORBIDDEN, ENOTFOUND, EVERSION on
	// a stale version, EINVALID on bad fields and ECONFLICT when the new name is taken. Tickets
	// already running keep the limits they were given.
	UpdateCategory(ctx context.Context, id string, version int, p CategoryPatch) (*Category, error)
}
