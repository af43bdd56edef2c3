package domain

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status and one machine code in the API (shared/API.md).
const (
	EINVALID      = "validation_failed"     // the input breaks a rule; Fields says which
	EUNAUTHORIZED = "unauthenticated"       // no valid session or token
	EFORBIDDEN    = "forbidden"             // the actor may see the object but not do this
	ENOTFOUND     = "not_found"             // missing, or the actor may not see it
	ECONFLICT     = "conflict"              // a duplicate or a clash with existing state
	ETRANSITION   = "invalid_transition"    // the move is not allowed from the current state
	EOPINIONS     = "opinions_pending"      // a co-handling department still owes its opinion
	EVERSION      = "version_mismatch"      // the If-Match version is stale
	EPRECONDITION = "precondition_required" // If-Match is required but missing
	ELOCKED       = "locked"                // the account is locked
	ETOOMANY      = "too_many_requests"     // rate limited
	EUNAVAILABLE  = "unavailable"           // a dependency (the database) is down
	EINTERNAL     = "internal"              // a bug; never shown with details
)

// Error is the one error type the domain speaks. Message is safe to show to the user; anything
// that is not an *Error is treated as internal and never shown.
type Error struct {
	Code    string
	Message string
	// Fields lists per-field problems of an EINVALID error.
	Fields []FieldError
}

// FieldError names one invalid input field and says what is wrong with it.
type FieldError struct {
	Field   string
	Message string
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s (%s: %s)", e.Code, e.Message, e.Fields[0].Field, e.Fields[0].Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// Validation collects field errors; its Err is nil when nothing was added.
type Validation struct {
	fields []FieldError
}

// Add records that field is invalid for the reason given.
func (v *Validation) Add(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Check adds a field error when ok is false.
func (v *Validation) Check(ok bool, field, format string, args ...any) {
	if !ok {
		v.Add(field, format, args...)
	}
}

// Err returns an EINVALID *Error listing every recorded field, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "some fields are invalid", Fields: v.fields}
}
