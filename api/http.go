package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"strconv"
	"strings"

	"steward/domain"
)

// ListParams are the query parameters every list takes (shared/API.md, "Lists").
type ListParams struct {
	Limit     int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Items per page"`
	Cursor    string `query:"cursor" maxLength:"500" doc:"The next_cursor of the page before"`
	WithTotal bool   `query:"with_total" doc:"Also count every matching item"`
}

func (p ListParams) page() domain.Page {
	return domain.Page{Limit: p.Limit, Cursor: p.Cursor, WithTotal: p.WithTotal}
}

// listBody is one page of a list.
type listBody[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page"`
	Total      *int    `json:"total,omitempty" doc:"Every matching item; only with with_total=true"`
}

func toListBody[D any, T any](l *domain.List[D], conv func(*D) T) listBody[T] {
	b := listBody[T]{Items: make([]T, len(l.Items)), Total: l.Total}
	for i := range l.Items {
		b.Items[i] = conv(&l.Items[i])
	}
	if l.NextCursor != "" {
		b.NextCursor = &l.NextCursor
	}
	return b
}

// etag is the entity tag of a version.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// IfMatchHeader is the If-Match header that PATCH and ticket actions require.
type IfMatchHeader struct {
	IfMatch string `header:"If-Match" doc:"The ETag of the version being changed. Required: without it the answer is 428 precondition_required, with a stale one 412 version_mismatch"`
}

// version returns the version the client read. Missing → EPRECONDITION (428); a value that is
// not one of our tags can match no version → EVERSION (412).
func (h IfMatchHeader) version() (int, error) {
	v := strings.TrimSpace(h.IfMatch)
	if v == "" {
		return 0, domain.Errorf(domain.EPRECONDITION, "If-Match is required: send the ETag of the version you are changing")
	}
	v = strings.Trim(strings.TrimPrefix(v, "W/"), `"`)
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, domain.Errorf(domain.EVERSION, "If-Match does not match the current version; reload and try again")
	}
	return n, nil
}

// register declares an operation with the errors every operation can answer: 401 and 403 unless
// it is public, 503 when the database is down, 500.
func register[I, O any](api huma.API, op huma.Operation, handler func(context.Context, *I) (*O, error)) {
	if !publicOps[op.OperationID] {
		op.Errors = append(op.Errors, http.StatusUnauthorized, http.StatusForbidden)
	}
	op.Errors = append(op.Errors, http.StatusServiceUnavailable)
	slices.Sort(op.Errors)
	op.Errors = slices.Compact(op.Errors)
	huma.Register(api, op, handler)
}

// requestHash identifies a request body, so that an Idempotency-Key repeated with another body
// can be told from a retry.
func requestHash(body any) string {
	raw, _ := json.Marshal(body)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// timeRange bounds a list in time: a date (a whole day in Asia/Shanghai) or an RFC 3339
// instant; from is inclusive, to exclusive (a date as to means up to the start of that day).
type timeRange struct {
	From string `query:"from" maxLength:"40" doc:"YYYY-MM-DD (Beijing time) or RFC 3339; inclusive"`
	To   string `query:"to" maxLength:"40" doc:"YYYY-MM-DD (Beijing time) or RFC 3339; exclusive"`
}

func (p timeRange) bounds() (from, to time.Time, err error) {
	parse := func(field, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		if d, err := time.ParseInLocation(time.DateOnly, s, domain.Shanghai); err == nil {
			return d, nil
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, nil
		}
		return time.Time{}, &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
			Fields: []domain.FieldError{{Field: field, Message: "must be a date YYYY-MM-DD or an RFC 3339 time"}}}
	}
	if from, err = parse("from", p.From); err != nil {
		return
	}
	to, err = parse("to", p.To)
	return
}
