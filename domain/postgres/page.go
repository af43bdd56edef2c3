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
	cols := append(append([]string{}, k.columns...), "?TableAlias.id")
	var after []any
	if p.Cursor != "" {
		valid := k.validID
		if valid == nil {
			valid = func(s string) bool { return uuid.Validate(s) == nil }
		}
		c, err := decodeCursor(p.Cursor, len(cols), valid)
		if err != nil {
			return nil, "", nil, err
		}
		after = make([]any, len(c))
		for i := range c {
			after[i] = c[i]
		}
	}
	op, dir := ">", " ASC"
	if k.desc {
		op, dir = "<", " DESC"
	}
	order := func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, c := range cols {
			q = q.OrderExpr(c + dir)
		}
		return q.Limit(int64(p.Limit + 1))
	}
	cut := func(q *bun.SelectQuery) *bun.SelectQuery {
		if after != nil {
			q = q.Where("("+strings.Join(cols, ", ")+") "+op+" ("+strings.TrimSuffix(strings.Repeat("?, ", len(after)), ", ")+")", after...)
		}
		return order(q)
	}
	var q *bun.SelectQuery
	if len(parts) == 1 {
		q = cut(more(parts[0]))
	} else {
		union := cut(parts[0])
		for _, part := range parts[1:] {
			union = union.UnionAll(cut(part))
		}
		q = order(more(parts[0].DB().NewSelect().Model((*R)(nil)).
			ModelTableExpr("(?) AS ?TableAlias", union).ColumnExpr("?TableAlias.*")))
	}
	var rows []R
	var err error
	if k.scan != nil {
		rows, err = k.scan(ctx, q, p.Limit+1)
	} else {
		err = q.Scan(ctx, &rows)
	}
	if err != nil {
		if p.Cursor != "" && isDataException(err) {
			// A cursor edited by hand (or taken from another order) holds a value the sort
			// column cannot take: the client's mistake, not the server's.
			return nil, "", nil, errBadCursor
		}
		return nil, "", nil, translate(err)
	}
	next := ""
	if len(rows) > p.Limit {
		rows = rows[:p.Limit]
		last := &rows[len(rows)-1]
		next = encodeCursor(append(k.key(last), k.id(last)))
	}
	return rows, next, total, nil
}
