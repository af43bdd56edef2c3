package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

// Problem is an RFC 9457 problem+json body with the machine code of shared/API.md.
type Problem struct {
	Title     string         `json:"title" doc:"A short summary of the problem type"`
	Status    int            `json:"status" doc:"HTTP status code"`
	Detail    string         `json:"detail,omitempty" doc:"What went wrong, for a person"`
	Code      string         `json:"code" enum:"validation_failed,unauthenticated,forbidden,not_found,conflict,invalid_transition,opinions_pending,version_mismatch,precondition_required,locked,too_many_requests,unavailable,internal" doc:"Machine-readable error code"`
	Errors    []FieldProblem `json:"errors,omitempty" doc:"Per-field problems of a validation_failed error"`
	RequestID string         `json:"request_id,omitempty" doc:"The X-Request-Id of the request, for support"`
}

// FieldProblem says what is wrong with one input field.
type FieldProblem struct {
	Field   string `json:"field" doc:"The field, e.g. credit_code or contacts[0].phone"`
	Message string `json:"message"`
}

func (p *Problem) Error() string  { return p.Detail }
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes problems application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// statusByCode is the one table from domain error codes to HTTP statuses.
var statusByCode = map[string]int{
	domain.EINVALID:      http.StatusUnprocessableEntity,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.ECONFLICT:     http.StatusConflict,
	domain.ETRANSITION:   http.StatusConflict,
	domain.EOPINIONS:     http.StatusConflict,
	domain.EVERSION:      http.StatusPreconditionFailed,
	domain.EPRECONDITION: http.StatusPreconditionRequired,
	domain.ELOCKED:       http.StatusLocked,
	domain.ETOOMANY:      http.StatusTooManyRequests,
	domain.EUNAVAILABLE:  http.StatusServiceUnavailable,
	domain.EINTERNAL:     http.StatusInternalServerError,
}

// codeByStatus names the errors huma raises itself (bad parameters, unknown route …).
var codeByStatus = map[int]string{
	http.StatusBadRequest:            domain.EINVALID,
	http.StatusUnprocessableEntity:   domain.EINVALID,
	http.StatusRequestEntityTooLarge: domain.EINVALID,
	http.StatusUnsupportedMediaType:  domain.EINVALID,
	http.StatusNotAcceptable:         domain.EINVALID,
	http.StatusNotFound:              domain.ENOTFOUND,
	http.StatusUnauthorized:          domain.EUNAUTHORIZED,
	http.StatusForbidden:             domain.EFORBIDDEN,
	http.StatusConflict:              domain.ECONFLICT,
	http.StatusPreconditionFailed:    domain.EVERSION,
	http.StatusPreconditionRequired:  domain.EPRECONDITION,
	http.StatusServiceUnavailable:    domain.EUNAVAILABLE,
}

func init() {
	// Replace huma's error constructors: the defaults copy err.Error() of any error, internal
	// ones included, into the response.
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return newProblem(nil, status, msg, errs...)
	}
	huma.NewErrorWithContext = newProblem
}

// newProblem turns whatever a handler or huma itself reports into a Problem: a *domain.Error
// through the code table; huma's own client errors with their field details; anything else is
// logged with the request id and answered as a bare 500.
func newProblem(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
	var rid string
	var log = slog.Default()
	if hctx != nil {
		if info := infoFrom(hctx.Context()); info != nil {
			rid, log = info.id, info.log
		}
	}
	for _, err := range errs {
		var de *domain.Error
		if errors.As(err, &de) {
			return fromDomain(de, rid, log)
		}
	}
	if status >= 500 && status != http.StatusServiceUnavailable {
		if len(errs) > 0 || msg != "" {
			log.Error("internal error", "request_id", rid, "status", status, "msg", msg, "err", errors.Join(errs...))
		}
		return &Problem{Title: http.StatusText(500), Status: 500, Code: domain.EINTERNAL, RequestID: rid}
	}
	code, ok := codeByStatus[status]
	if !ok {
		code = domain.EINVALID
	}
	if status == http.StatusBadRequest {
		status = http.StatusUnprocessableEntity // the contract speaks of 422 validation_failed
	}
	p := &Problem{Title: http.StatusText(status), Status: status, Detail: msg, Code: code, RequestID: rid}
	for _, err := range errs {
		var d *huma.ErrorDetail
		if errors.As(err, &d) {
			p.Errors = append(p.Errors, FieldProblem{Field: fieldName(d.Location), Message: d.Message})
		} else if err != nil && code == domain.EINVALID {
			p.Errors = append(p.Errors, FieldProblem{Field: "body", Message: err.Error()})
		}
	}
	return p
}

func fromDomain(de *domain.Error, rid string, log *slog.Logger) *Problem {
	status, ok := statusByCode[de.Code]
	if !ok || status == http.StatusInternalServerError {
		log.Error("internal error", "request_id", rid, "err", de)
		return &Problem{Title: http.StatusText(500), Status: 500, Code: domain.EINTERNAL, RequestID: rid}
	}
	p := &Problem{Title: http.StatusText(status), Status: status, Detail: de.Message, Code: de.Code, RequestID: rid}
	for _, f := range de.Fields {
		p.Errors = append(p.Errors, FieldProblem{Field: f.Field, Message: f.Message})
	}
	return p
}

// fieldName turns huma's location ("body.contacts[0].phone", "query.limit") into the field name
// the client sent.
func fieldName(loc string) string {
	for _, prefix := range []string{"body.", "query.", "path.", "header."} {
		if strings.HasPrefix(loc, prefix) {
			return strings.TrimPrefix(loc, prefix)
		}
	}
	return loc
}

// writeProblem answers outside huma (middleware, unknown routes) as huma would.
func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	if p.RequestID == "" {
		p.RequestID = RequestID(r.Context())
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
