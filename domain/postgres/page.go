package postgres

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"steward/domain"
)

// cursor is the position after the last row of a page: the values of the sort key, then the id.
// It travels to the client base64-encoded and comes back unchanged.
type cursor []string

var errBadCursor = &domain.Error{Code: domain.EINVALID, Message: "the cursor is not one this server gave out",
	Fields: []domain.FieldError{{Field: "cursor", Message: "is invalid; start again from the first page"}}}

// isDataException reports whether PostgreSQL refused a value (SQLSTATE class 22: a malformed
// time, a number out of range …).
func isDataException(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "22")
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, n int, validID func(string) bool) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || len(c) != n || !validID(c[n-1]) {
		return nil, errBadCursor
	}
	return c, nil
}

// keyset is how a list is ordered: by the given columns, then by id, all ascending or all
// descending. key returns a row's values for the columns.
type keyset[R any] struct {
	columns []string
	desc    bool
	key     func(*R) []string
	id      func(*R) string
	// validID checks the id in a cursor; nil means a UUID.
	validID func(string) bool
}

// page runs q for one page: it applies the cursor, the order and limit+1 (the extra row says
// whether another page follows) and, when asked, counts every match.
func (k keyset[R]) page(ctx context.Context, q *bun.SelectQuery, p domain.Page) ([]R, string, *int, error) {
	p = p.Normalize()
	var total *int
	if p.WithTotal {
		n, err := q.Count(ctx)
		if err != nil {
			return nil, "", nil, translate(err)
		}
		t := int(n)
		total = &t
	}
	q, err := k.after(q, p)
	if err != nil {
		return nil, "", nil, err
	}
	rows, next, err := k.scan(ctx, q, p)
	return rows, next, total, err
}

// after applies p's cursor to q: the rows after it in the order.
func (k keyset[R]) after(q *bun.SelectQuery, p domain.Page) (*bun.SelectQuery, error) {
	cols := k.cols()
	if p.Cursor != "" {
		valid := k.validID
		if valid == nil {
			valid = func(s string) bool { return uuid.Validate(s) == nil }
		}
		c, err := decodeCursor(p.Cursor, len(cols), valid)
		if err != nil {
			return nil, err
		}
		op := ">"
		if k.desc {
			op = "<"
		}
		args := make([]any, len(c))
		for i := range c {
			args[i] = c[i]
		}
		q = q.Where("("+strings.Join(cols, ", ")+") "+op+" ("+strings.TrimSuffix(strings.Repeat("?, ", len(c)), ", ")+")", args...)
	}
	return q, nil
}

func (k keyset[R]) cols() []string { return append(append([]string{}, k.columns...), "?TableAlias.id") }

// ordered adds the list's order to q.
func (k keyset[R]) ordered(q *bun.SelectQuery) *bun.SelectQuery {
	dir := " ASC"
	if k.desc {
		dir = " DESC"
	}
	for _, c := range k.cols() {
		q = q.OrderExpr(c + dir)
	}
	return q
}

// scan reads one page of q (the cursor applied): limit+1 rows in order, the extra one saying
// whether another page follows.
func (k keyset[R]) scan(ctx context.Context, q *bun.SelectQuery, p domain.Page) ([]R, string, error) {
	var rows []R
	if err := k.ordered(q).Limit(int64(p.Limit+1)).Scan(ctx, &rows); err != nil {
		if p.Cursor != "" && isDataException(err) {
			// A cursor edited by hand (or taken from another order) holds a value the sort
			// column cannot take: the client's mistake, not the server's.
			return nil, "", errBadCursor
		}
		return nil, "", translate(err)
	}
	rows, next := k.trim(rows, p)
	return rows, next, nil
}

// trim cuts rows to the page and returns the cursor of the next page ("" on the last).
func (k keyset[R]) trim(rows []R, p domain.Page) ([]R, string) {
	if len(rows) <= p.Limit {
		return rows, ""
	}
	rows = rows[:p.Limit]
	last := &rows[len(rows)-1]
	return rows, encodeCursor(append(k.key(last), k.id(last)))
}

// pageWalking is page for a filter that is cheap on a row but that no index serves in the
// list's order (a common fragment of a name: thousands of matches an index hands back in no
// useful order, to be sorted for the first fifty). It walks q (the other filters) in the list's
// order, at most window rows after the cursor, and keeps those that pass filter. When that
// fills the page (limit+1 rows), the page is exact: these are the first matches in the order
// whatever lies beyond the window. Otherwise ok is false and the caller asks its index instead:
// the filter is selective, and the index answers it with few rows. db makes the outer query;
// alias is q's table alias.
func (k keyset[R]) pageWalking(ctx context.Context, db bun.IDB, q *bun.SelectQuery, alias string, p domain.Page, window int,
	filter string, args ...any) (rows []R, next string, ok bool, err error) {
	p = p.Normalize()
	q, err = k.after(q, p)
	if err != nil {
		return nil, "", false, err
	}
	// The inner query keeps its order and its limit, so the outer one reads its rows in order
	// (no sort) and stops at the page's last match.
	walk := db.NewSelect().Model(&rows).ModelTableExpr("(?) AS "+alias, k.ordered(q).Limit(int64(window))).Where(filter, args...)
	if err := k.ordered(walk).Limit(int64(p.Limit + 1)).Scan(ctx); err != nil {
		if p.Cursor != "" && isDataException(err) {
			return nil, "", false, errBadCursor
		}
		return nil, "", false, translate(err)
	}
	if len(rows) <= p.Limit {
		return nil, "", false, nil
	}
	rows, next = k.trim(rows, p)
	return rows, next, true, nil
}
