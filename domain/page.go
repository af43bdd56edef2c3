package domain

// Page asks for one page of a list: at most Limit items after the opaque Cursor of the page
// before (empty for the first page).
type Page struct {
	Limit  int
	Cursor string
	// WithTotal asks for the count of every matching item, which costs a second query.
	WithTotal bool
}

// Page size bounds (shared/API.md, "Lists").
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 200
)

// Normalize applies the default and maximum limits.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultPageLimit
	}
	if p.Limit > MaxPageLimit {
		p.Limit = MaxPageLimit
	}
	return p
}

// List is one page of items; NextCursor is empty on the last page.
type List[T any] struct {
	Items      []T
	NextCursor string
	// Total is set only when the Page asked WithTotal.
	Total *int
}
