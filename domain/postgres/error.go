package postgres

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"

	"steward/domain"
)

// conflictMessages says, per unique constraint, what a duplicate means to the user.
var conflictMessages = map[string]string{
	"departments_name_key":        "a department with this name already exists",
	"enterprises_credit_code_key": "an enterprise with this unified social credit code is already registered",
	"users_username_key":          "this username is taken",
	"assignments_one_current":     "someone else changed this assignment at the same time; reload and try again",
	"categories_name_key":         "a category with this name already exists",
	"calendar_overrides_pkey":     "someone else saved this year's calendar at the same time; reload and try again",
}

var errUnavailable = &domain.Error{Code: domain.EUNAVAILABLE, Message: "the database is unavailable; try again shortly"}

// translate turns driver errors into domain errors in one place: no rows → ENOTFOUND, unique
// violation → ECONFLICT, an unreachable server → EUNAVAILABLE. Domain errors pass unchanged;
// anything else stays an internal error.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var re *retryError
	if errors.As(err, &re) {
		return re // already translated; InTx still sees the driver's error in it
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return de
	}
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, "not found")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			if msg, ok := conflictMessages[pgErr.ConstraintName]; ok {
				return domain.Errorf(domain.ECONFLICT, "%s", msg)
			}
			return domain.Errorf(domain.ECONFLICT, "this record already exists")
		case "40P01", "40001":
			return &retryError{pgErr}
		case "57P01", "57P02", "57P03", "53300":
			return errUnavailable
		case "23503":
			return domain.Errorf(domain.EINVALID, "the request refers to something that does not exist")
		case "23514", "22P02", "22001", "22003":
			return domain.Errorf(domain.EINVALID, "a value is out of range or malformed")
		}
		return err
	}
	var netErr net.Error
	var connErr *pgconn.ConnectError
	if errors.As(err, &netErr) || errors.As(err, &connErr) || pgconn.SafeToRetry(err) ||
		errors.Is(err, puddle.ErrClosedPool) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) {
		return errUnavailable
	}
	return err
}

// retryError is a transaction PostgreSQL aborted to break a deadlock (40P01) or a serialization
// conflict (40001). To the caller it is EUNAVAILABLE; it still wraps the driver's error, so that
// InTx, which the error passes through on its way out, can tell it and run the transaction again.
type retryError struct{ pg *pgconn.PgError }

func (e *retryError) Error() string   { return errUnavailable.Error() }
func (e *retryError) Unwrap() []error { return []error{errUnavailable, e.pg} }
