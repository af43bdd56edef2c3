package domain

import (
	"context"
	"time"
)

// Sources of a year's holiday arrangement.
const (
	CalendarStatutory = "statutory" // the State Council's arrangement, from the calendar data
	CalendarOverride  = "override"  // an administrator's override of the whole year
)

// CalendarYear is the holiday arrangement in force for one year: the statutory holidays
// (法定节假日) and the make-up working days (调休上班). Dates are civil dates, each as midnight UTC
// of its day.
type CalendarYear struct {
	Year     int
	Holidays []time.Time
	Workdays []time.Time
	// Source is CalendarStatutory or CalendarOverride.
	Source string
	// Covered reports whether the arrangement of the year is known. For a year neither the
	// calendar data nor an override covers, only weekends are days off, which is likely wrong:
	// an administrator should enter the year once it is published.
	Covered bool
}

// CalendarService answers working-day questions with the statutory calendar as corrected by
// administrators' overrides. Any logged-in user may read it; only administrators override it.
type CalendarService interface {
	// CalendarYear returns the arrangement in force for year. Returns EFORBIDDEN if the actor
	// may not read the calendar and EINVALID if year is not in 1–9999.
	CalendarYear(ctx context.Context, year int) (*CalendarYear, error)
	// SetCalendarYear replaces the arrangement of y.Year with y.Holidays and y.Workdays (Source
	// and Covered are ignored), audits the change and returns the arrangement now in force. It
	// takes effect at once, in every process. Returns EFORBIDDEN unless the actor may change the
	// calendar, EINVALID with fields such as holidays[2] for a date outside the year or one listed
	// both as a holiday and as a working day, and ECONFLICT when another administrator saved the
	// same year at the same moment.
	SetCalendarYear(ctx context.Context, y CalendarYear) (*CalendarYear, error)
	// AddWorkingDays returns the n-th working day after the civil date of from (its year, month
	// and day in its own location), as midnight UTC; from itself is not counted, and n == 0
	// gives from's date. Returns EFORBIDDEN if the actor may not read the calendar and EINVALID
	// (field days) unless 0 ≤ n ≤ MaxAddWorkingDays.
	AddWorkingDays(ctx context.Context, from time.Time, n int) (time.Time, error)
}

// MaxAddWorkingDays bounds CalendarService.AddWorkingDays: a year of working days is more than
// any time limit.
const MaxAddWorkingDays = 365
