package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"steward/domain"
	"steward/domain/calendar"
)

// CalendarService implements domain.CalendarService and gives other services the calendar in
// force (Calendar): the statutory data of package calendar with the overrides stored in
// calendar_overrides.
//
// The Calendar built from the overrides is kept in memory. Before reusing it, every call reads a
// fingerprint of the table — each override's year, version and update time, aggregated in one
// query over a table of a few dozen rows at most — and rebuilds the Calendar when the
// fingerprint differs. Every write changes the version or update time of its row, so a change
// made by any steward process sharing the database is seen by the next call of every other
// process, at the cost of one tiny query per call and no LISTEN connection or expiry delay.
type CalendarService struct {
	db    *DB
	cache atomic.Pointer[calendarState]
}

// NewCalendarService returns a CalendarService on db.
func NewCalendarService(db *DB) *CalendarService { return &CalendarService{db: db} }

var _ domain.CalendarService = (*CalendarService)(nil)

// calendarState is the Calendar built from the overrides whose fingerprint it carries.
type calendarState struct {
	fingerprint string
	cal         *calendar.Calendar
	overridden  map[int]bool // the years an override replaces
}

type calendarOverrideRow struct {
	bun.BaseModel `bun:"table:calendar_overrides,alias:co"`
	Year          int       `bun:"year,pk"`
	Holidays      []string  `bun:"holidays,type:date[],array,notnull"`
	Workdays      []string  `bun:"workdays,type:date[],array,notnull"`
	Version       int       `bun:"version,notnull"`
	UpdatedBy     *string   `bun:"updated_by,type:uuid"`
	UpdatedAt     time.Time `bun:"updated_at,notnull"`
}

// calendarFingerprintSQL changes whenever an override is added, changed or removed.
const calendarFingerprintSQL = `SELECT coalesce(string_agg(year || ':' || version || ':' ||
	(extract(epoch FROM updated_at) * 1000000)::bigint, ',' ORDER BY year), '') FROM calendar_overrides`

// Calendar returns the calendar in force, for services that compute due dates. It checks no
// permission: what the calendar says is no secret, and the caller acts on its own authority.
// Code that holds a transaction should call calendarIn with it instead, so as not to take a
// second connection from the pool.
func (s *CalendarService) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	return s.calendarIn(ctx, s.db.Bun)
}

// calendarIn is Calendar on idb, which may be a transaction.
func (s *CalendarService) calendarIn(ctx context.Context, idb bun.IDB) (*calendar.Calendar, error) {
	st, err := s.state(ctx, idb)
	if err != nil {
		return nil, err
	}
	return st.cal, nil
}

// state returns the cached calendar if the overrides have not changed since it was built, and
// otherwise builds and caches a new one. The fingerprint is read before the overrides: if a
// change commits in between, the state holds the older fingerprint with the newer overrides and
// the next call merely rebuilds it again — never the reverse, which would keep a stale calendar.
func (s *CalendarService) state(ctx context.Context, idb bun.IDB) (*calendarState, error) {
	var fp string
	if err := idb.NewRaw(calendarFingerprintSQL).Scan(ctx, &fp); err != nil {
		return nil, translate(err)
	}
	if st := s.cache.Load(); st != nil && st.fingerprint == fp {
		return st, nil
	}
	var rows []calendarOverrideRow
	if err := idb.NewSelect().Model(&rows).Order("year").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	st := &calendarState{fingerprint: fp, overridden: make(map[int]bool, len(rows))}
	years := make([]calendar.Year, 0, len(rows))
	for _, r := range rows {
		y, err := r.toYear()
		if err != nil {
			return nil, err
		}
		years = append(years, y)
		st.overridden[r.Year] = true
	}
	cal, err := calendar.New(years...)
	if err != nil {
		return nil, fmt.Errorf("stored calendar override: %w", err)
	}
	st.cal = cal
	s.cache.Store(st)
	return st, nil
}

func (r *calendarOverrideRow) toYear() (calendar.Year, error) {
	y := calendar.Year{Year: r.Year}
	var err error
	if y.Holidays, err = parseCalendarDates(r.Holidays); err != nil {
		return y, err
	}
	y.Workdays, err = parseCalendarDates(r.Workdays)
	return y, err
}

func parseCalendarDates(ss []string) ([]calendar.Date, error) {
	ds := make([]calendar.Date, len(ss))
	for i, s := range ss {
		d, err := calendar.ParseDate(s)
		if err != nil {
			return nil, err
		}
		ds[i] = d
	}
	return ds, nil
}

func formatCalendarDates(ds []calendar.Date) []string {
	ss := make([]string, len(ds))
	for i, d := range ds {
		ss[i] = d.String()
	}
	return ss
}

// calendarDate is the date t names in its own location; the domain passes dates as midnight UTC.
func calendarDate(t time.Time) calendar.Date {
	y, m, d := t.Date()
	return calendar.Date{Year: y, Month: m, Day: d}
}

// calendarMidnight is d the way the domain passes dates.
func calendarMidnight(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func calendarMidnights(ds []calendar.Date) []time.Time {
	ts := make([]time.Time, len(ds))
	for i, d := range ds {
		ts[i] = calendarMidnight(d)
	}
	return ts
}

// year is the arrangement of year in force in st.
func (st *calendarState) year(year int) *domain.CalendarYear {
	y := st.cal.Year(year)
	source := domain.CalendarStatutory
	if st.overridden[year] {
		source = domain.CalendarOverride
	}
	return &domain.CalendarYear{Year: year, Holidays: calendarMidnights(y.Holidays), Workdays: calendarMidnights(y.Workdays),
		Source: source, Covered: st.cal.Covers(year)}
}

func calendarInvalid(field, format string, args ...any) error {
	var v domain.Validation
	v.Add(field, format, args...)
	return v.Err()
}

func (s *CalendarService) CalendarYear(ctx context.Context, year int) (*domain.CalendarYear, error) {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActRead, domain.ResCalendar) {
		return nil, domain.Forbidden(a, "read the calendar")
	}
	if year < 1 || year > 9999 {
		return nil, calendarInvalid("year", "must be 1 to 9999")
	}
	st, err := s.state(ctx, s.db.Bun)
	if err != nil {
		return nil, err
	}
	return st.year(year), nil
}

// calendarAudit is a year's arrangement as the audit log records it.
type calendarAudit struct {
	Year     int      `json:"year"`
	Holidays []string `json:"holidays"`
	Workdays []string `json:"workdays"`
	Source   string   `json:"source"`
	Version  int      `json:"version,omitempty"`
}

func (s *CalendarService) SetCalendarYear(ctx context.Context, in domain.CalendarYear) (*domain.CalendarYear, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActUpdate, domain.ResCalendar) {
		return nil, domain.Forbidden(a, "change the calendar")
	}
	y := calendar.Year{Year: in.Year}
	for _, t := range in.Holidays {
		y.Holidays = append(y.Holidays, calendarDate(t))
	}
	for _, t := range in.Workdays {
		y.Workdays = append(y.Workdays, calendarDate(t))
	}
	if err := validateOverride(y); err != nil {
		return nil, err
	}
	var out *domain.CalendarYear
	err := s.db.InTx(ctx, func(tx bun.Tx) error {
		// Lock the year's override first, so that what is recorded as before is what this
		// change replaces.
		var r calendarOverrideRow
		err := tx.NewSelect().Model(&r).Where("year = ?", y.Year).For("UPDATE").Scan(ctx)
		exists := err == nil
		if err := translate(err); err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		st, err := s.state(ctx, tx)
		if err != nil {
			return err
		}
		was := st.cal.Year(y.Year)
		before := calendarAudit{Year: y.Year, Holidays: formatCalendarDates(was.Holidays), Workdays: formatCalendarDates(was.Workdays),
			Source: domain.CalendarStatutory}
		if exists {
			before.Source, before.Version = domain.CalendarOverride, r.Version
		}
		next, err := st.cal.WithOverrides(y)
		if err != nil {
			return err
		}
		now := next.Year(y.Year) // sorted, without duplicates
		r.Year, r.Holidays, r.Workdays = y.Year, formatCalendarDates(now.Holidays), formatCalendarDates(now.Workdays)
		r.UpdatedBy, r.UpdatedAt = nullable(a.UserID), s.db.Now().UTC().Truncate(time.Microsecond)
		if exists {
			r.Version++
			_, err = tx.NewUpdate().Model(&r).WherePK().Exec(ctx)
		} else {
			r.Version = 1
			_, err = tx.NewInsert().Model(&r).Exec(ctx)
		}
		if err != nil {
			return translate(err)
		}
		after := calendarAudit{Year: y.Year, Holidays: r.Holidays, Workdays: r.Workdays,
			Source: domain.CalendarOverride, Version: r.Version}
		out = &domain.CalendarYear{Year: y.Year, Holidays: calendarMidnights(now.Holidays), Workdays: calendarMidnights(now.Workdays),
			Source: domain.CalendarOverride, Covered: true}
		return s.db.audit(ctx, tx, "update", "calendar", strconv.Itoa(y.Year), before, after)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validateOverride reports, by field, what calendar.Year.Validate would refuse: a date outside
// the year, or one listed both as a holiday and as a working day.
func validateOverride(y calendar.Year) error {
	if y.Year < 1 || y.Year > 9999 {
		return calendarInvalid("year", "must be 1 to 9999")
	}
	var v domain.Validation
	check := func(list string, days []calendar.Date) {
		for i, d := range days {
			if (calendar.Year{Year: y.Year, Holidays: []calendar.Date{d}}).Validate() != nil {
				v.Add(fmt.Sprintf("%s[%d]", list, i), "%s is not a day of %d", d, y.Year)
			}
		}
	}
	check("holidays", y.Holidays)
	check("workdays", y.Workdays)
	for i, d := range y.Workdays {
		if slices.Contains(y.Holidays, d) {
			v.Add(fmt.Sprintf("workdays[%d]", i), "%s is also listed as a holiday; a day is one or the other", d)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := y.Validate(); err != nil { // whatever the checks above do not name
		return calendarInvalid("holidays", "%v", err)
	}
	return nil
}

func (s *CalendarService) AddWorkingDays(ctx context.Context, from time.Time, n int) (time.Time, error) {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActRead, domain.ResCalendar) {
		return time.Time{}, domain.Forbidden(a, "read the calendar")
	}
	if n < 0 || n > domain.MaxAddWorkingDays {
		return time.Time{}, calendarInvalid("days", "must be 0 to %d", domain.MaxAddWorkingDays)
	}
	d := calendarDate(from)
	if !d.IsValid() {
		return time.Time{}, calendarInvalid("from", "must be a date in the years 1 to 9999")
	}
	st, err := s.state(ctx, s.db.Bun)
	if err != nil {
		return time.Time{}, err
	}
	to := st.cal.AddWorkingDays(d, n)
	if !to.IsValid() {
		return time.Time{}, calendarInvalid("days", "leads past the year 9999")
	}
	return calendarMidnight(to), nil
}
