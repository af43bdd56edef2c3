package postgres

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"steward/domain/calendar"
)

// The working_days table numbers the working days of the calendar in force, so that SQL counts
// the working days between two dates with one subtraction (ordinal(b) - ordinal(a)) instead of a
// walk per row: the statistics average working days to resolve over hundreds of thousands of
// tickets in one query.
//
// The table covers the years workingDaysBack before the current one to workingDaysAhead after
// it; a date outside joins to nothing and is left out of the averages. The table is kept this
// small (some 6,000 rows) because every statistics query hashes it.
const workingDaysBack, workingDaysAhead = 10, 5

// workingDaysRange is the first and last day the table covers in the year now.
func workingDaysRange(now time.Time) (first, last calendar.Date) {
	y := calendar.DateOf(now).Year
	return calendar.Date{Year: y - workingDaysBack, Month: time.January, Day: 1},
		calendar.Date{Year: y + workingDaysAhead, Month: time.December, Day: 31}
}

// workingDaysLock is the advisory lock key that keeps two processes from rebuilding the table at
// once.
const workingDaysLock = 7263151002

// syncWorkingDays makes the working_days table match the calendar in force: when the overrides'
// fingerprint differs from the one the table was built from, it rebuilds the table in one
// transaction (readers see the old table until it commits). It costs the calendar's fingerprint
// query, and one more the first time synced sees a fingerprint: synced holds the fingerprint
// the table was last seen built from (by its caller, on this database).
func (s *CalendarService) syncWorkingDays(ctx context.Context, synced *atomic.Pointer[string]) error {
	st, err := s.state(ctx, s.db.Bun)
	if err != nil {
		return err
	}
	first, last := workingDaysRange(s.db.Now())
	want := fmt.Sprintf("v1:%s:%s:%s", first, last, st.fingerprint)
	if p := synced.Load(); p != nil && *p == want {
		return nil
	}
	var have string
	err = s.db.Pool.QueryRow(ctx, `SELECT coalesce((SELECT calendar FROM working_days_state), '')`).Scan(&have)
	if err != nil {
		return translate(err)
	}
	if have != want {
		if err := s.rebuildWorkingDays(ctx, st.cal, first, last, want); err != nil {
			return err
		}
	}
	synced.Store(&want)
	return nil
}

func (s *CalendarService) rebuildWorkingDays(ctx context.Context, cal *calendar.Calendar, first, last calendar.Date, fingerprint string) error {
	n := 0
	var days []time.Time
	var ordinals []int32
	for d := first; !d.After(last); d = d.AddDays(1) {
		if cal.IsWorkingDay(d) {
			n++
		}
		days = append(days, time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
		ordinals = append(ordinals, int32(n))
	}
	tx, err := s.db.Pool.Begin(ctx)
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(workingDaysLock)); err != nil {
		return translate(err)
	}
	var have string
	if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT calendar FROM working_days_state), '')`).Scan(&have); err != nil {
		return translate(err)
	}
	if have == fingerprint { // another process rebuilt it meanwhile
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM working_days`); err != nil {
		return translate(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO working_days (day, ordinal) SELECT * FROM unnest($1::date[], $2::integer[])`,
		days, ordinals); err != nil {
		return translate(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO working_days_state (id, calendar, built_at) VALUES (true, $1, now())
		ON CONFLICT (id) DO UPDATE SET calendar = EXCLUDED.calendar, built_at = EXCLUDED.built_at`, fingerprint); err != nil {
		return translate(err)
	}
	return translate(tx.Commit(ctx))
}
