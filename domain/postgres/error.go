package postgres

import (
	"database/sql"
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
		case "57P01", "57P02", "57P03", "53300", "40P01", "40001":
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
		errors.Is(err, puddle.ErrClosedPool) || errors.Is(err, sql.ErrConnDone) {
		return errUnavailable
	}
	return err
}
