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
	// scan runs a page's query and reads its rows (at most n); nil means bun's Scan.
	scan func(ctx context.Context, q *bun.SelectQuery, n int) ([]R, error)
}

// page runs q for one page: it applies the cursor, the order and limit+1 (the extra row says
// whether another page follows) and, when asked, counts every match.
func (k keyset[R]) page(ctx context.Context, q *bun.SelectQuery, p domain.Page) ([]R, string, *int, error) {
	return k.pageUnion(ctx, []*bun.SelectQuery{q}, nil, p)
}

// pageUnion runs one page of the union of parts, which select the rows of R's model with its
// alias and share no row: UNION ALL then neither repeats nor drops one, and their counts add up.
// Each part gets the cursor, the order and limit+1 of its own, so that PostgreSQL reads each
// from an index in the list's order and stops early; the merged parts are ordered and cut again.
// more, when given, adds what is read for the rows of the page only (names from other tables),
// outside the union. The union runs on the parts' DB (not in a transaction).
func (k keyset[R]) pageUnion(ctx context.Context, parts []*bun.SelectQuery, more func(*bun.SelectQuery) *bun.SelectQuery, p domain.Page) ([]R, string, *int, error) {
	if more == nil {
		more = func(q *bun.SelectQuery) *bun.SelectQuery { return q }
	}
	p = p.Normalize()
	var total *int
	if p.WithTotal {
		t := 0
		for _, q := range parts {
			n, err := q.Count(ctx)
			if err != nil {
				return nil, "", nil, translate(err)
			}
			t += int(n)
		}
		total = &t
	}
	after, err := k.cursorValues(p)
	if err != nil {
		return nil, "", nil, err
	}
	cut := func(q *bun.SelectQuery) *bun.SelectQuery {
		return k.ordered(k.after(q, after)).Limit(int64(p.Limit + 1))
	}
	var q *bun.SelectQuery
	if len(parts) == 1 {
		q = cut(more(parts[0]))
	} else {
		union := cut(parts[0])
		for _, part := range parts[1:] {
			union = union.UnionAll(cut(part))
		}
		q = k.ordered(more(parts[0].DB().NewSelect().Model((*R)(nil)).
			ModelTableExpr("(?) AS ?TableAlias", union).ColumnExpr("?TableAlias.*"))).Limit(int64(p.Limit + 1))
	}
	var rows []R
	if k.scan != nil {
		rows, err = k.scan(ctx, q, p.Limit+1)
	} else {
		err = q.Scan(ctx, &rows)
	}
	if err != nil {
		return nil, "", nil, k.readError(err, p)
	}
	rows, next := k.trim(rows, p)
	return rows, next, total, nil
}

// cursorValues decodes p's cursor: the sort key and id the page's rows come after (nil on the
// first page).
func (k keyset[R]) cursorValues(p domain.Page) ([]any, error) {
	if p.Cursor == "" {
		return nil, nil
	}
	valid := k.validID
	if valid == nil {
		valid = func(s string) bool { return uuid.Validate(s) == nil }
	}
	c, err := decodeCursor(p.Cursor, len(k.cols()), valid)
	if err != nil {
		return nil, err
	}
	after := make([]any, len(c))
	for i := range c {
		after[i] = c[i]
	}
	return after, nil
}

func (k keyset[R]) cols() []string { return append(append([]string{}, k.columns...), "?TableAlias.id") }

// after keeps the rows of q that come after the cursor's values in the order (all of them for
// none).
func (k keyset[R]) after(q *bun.SelectQuery, after []any) *bun.SelectQuery {
	if after == nil {
		return q
	}
	op := ">"
	if k.desc {
		op = "<"
	}
	return q.Where("("+strings.Join(k.cols(), ", ")+") "+op+" ("+strings.TrimSuffix(strings.Repeat("?, ", len(after)), ", ")+")", after...)
}

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

// readError is the error of reading a page.
func (k keyset[R]) readError(err error, p domain.Page) error {
	if p.Cursor != "" && isDataException(err) {
		// A cursor edited by hand (or taken from another order) holds a value the sort
		// column cannot take: the client's mistake, not the server's.
		return errBadCursor
	}
	return translate(err)
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
	after, err := k.cursorValues(p)
	if err != nil {
		return nil, "", false, err
	}
	// The inner query keeps its order and its limit, so the outer one reads its rows in order
	// (no sort) and stops at the page's last match.
	walk := db.NewSelect().Model(&rows).ModelTableExpr("(?) AS "+alias, k.ordered(k.after(q, after)).Limit(int64(window))).Where(filter, args...)
	if err := k.ordered(walk).Limit(int64(p.Limit + 1)).Scan(ctx); err != nil {
		return nil, "", false, k.readError(err, p)
	}
	if len(rows) <= p.Limit {
		return nil, "", false, nil
	}
	rows, next = k.trim(rows, p)
	return rows, next, true, nil
}
