package calendar

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// closingHour is the hour, Beijing time, at which a working-day clock runs out on its last day.
const closingHour = 18

// Year is the holiday arrangement of one calendar year: what GET /calendar/{year} shows and what
// an administrator's PUT replaces.
type Year struct {
	Year int
	// Holidays are the statutory days off (法定节假日) that fall in Year. They may include weekend
	// days inside a holiday block, which are days off anyway.
	Holidays []Date
	// Workdays are the make-up working days (调休上班) that fall in Year, normally weekend days.
	Workdays []Date
}

// Validate reports the first problem of y as an override: a date that does not exist, a date
// outside y.Year, or a date listed both as a holiday and as a working day.
func (y Year) Validate() error {
	if y.Year < 1 || y.Year > 9999 {
		return fmt.Errorf("calendar: year %d is out of range", y.Year)
	}
	check := func(list string, days []Date) error {
		for _, d := range days {
			if !d.IsValid() {
				return fmt.Errorf("calendar: %s: %s is not a valid date", list, d)
			}
			if d.Year != y.Year {
				return fmt.Errorf("calendar: %s: %s is not in %d", list, d, y.Year)
			}
		}
		return nil
	}
	if err := check("holidays", y.Holidays); err != nil {
		return err
	}
	if err := check("workdays", y.Workdays); err != nil {
		return err
	}
	for _, d := range y.Holidays {
		if slices.Contains(y.Workdays, d) {
			return fmt.Errorf("calendar: %s is listed both as a holiday and as a working day", d)
		}
	}
	return nil
}

// Calendar answers which days are working days and does deadline arithmetic with them.
//
// A Calendar is immutable and safe for concurrent use. The zero Calendar is ready to use: it has
// the library's data and no overrides.
type Calendar struct {
	overrides map[int]arrangement
}

// arrangement is a Year in the form lookups want.
type arrangement struct {
	year Year          // holidays and workdays sorted and without duplicates
	days map[Date]bool // true for a make-up working day, false for a holiday
}

func newArrangement(y Year) arrangement {
	y.Holidays = sortedDates(y.Holidays)
	y.Workdays = sortedDates(y.Workdays)
	a := arrangement{year: y, days: make(map[Date]bool, len(y.Holidays)+len(y.Workdays))}
	for _, d := range y.Holidays {
		a.days[d] = false
	}
	for _, d := range y.Workdays {
		a.days[d] = true
	}
	return a
}

// sortedDates returns a sorted copy of ds without duplicates; never nil, so an empty list stays a
// list.
func sortedDates(ds []Date) []Date {
	out := slices.Clone(ds)
	if out == nil {
		out = []Date{}
	}
	slices.SortFunc(out, Date.Compare)
	return slices.Compact(out)
}

// libraryFirstYear and libraryLastYear bound the years read from lunar-go, whose data starts at
// the end of 2001.
const libraryFirstYear, libraryLastYear = 2001, 2100

// library holds lunar-go's arrangements by year, read once. lunar-go finds a day by searching a
// string of all its data; a map makes every lookup after the first cheap.
var library = sync.OnceValue(func() map[int]arrangement {
	years := make(map[int]arrangement)
	for y := libraryFirstYear; y <= libraryLastYear; y++ {
		l := HolidayUtil.GetHolidaysByYear(y)
		if l.Len() == 0 {
			continue
		}
		year := Year{Year: y}
		for e := l.Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			d, err := ParseDate(h.GetDay())
			if err != nil || d.Year != y {
				panic(fmt.Sprintf("calendar: lunar-go holiday data has a bad day %q for %d", h.GetDay(), y))
			}
			if h.IsWork() {
				year.Workdays = append(year.Workdays, d)
			} else {
				year.Holidays = append(year.Holidays, d)
			}
		}
		years[y] = newArrangement(year)
	}
	return years
})

// New returns a Calendar with the library's data, where each of overrides replaces the library's
// arrangement of its year entirely. It returns the first validation error of an override.
func New(overrides ...Year) (*Calendar, error) {
	return (&Calendar{}).WithOverrides(overrides...)
}

// WithOverrides returns a new Calendar that has c's overrides and, in addition, those given; each
// replaces the arrangement of its year entirely (the library's or an earlier override), and of two
// overrides for the same year the later wins. c is not changed. It returns the first validation
// error of an override, and no Calendar then.
func (c *Calendar) WithOverrides(overrides ...Year) (*Calendar, error) {
	next := &Calendar{overrides: make(map[int]arrangement, len(c.overrides)+len(overrides))}
	for y, a := range c.overrides {
		next.overrides[y] = a
	}
	for _, y := range overrides {
		if err := y.Validate(); err != nil {
			return nil, err
		}
		next.overrides[y.Year] = newArrangement(y)
	}
	return next, nil
}

// arrangement returns the arrangement in force for year: its override, or else the library's.
func (c *Calendar) arrangement(year int) (arrangement, bool) {
	if a, ok := c.overrides[year]; ok {
		return a, true
	}
	a, ok := library()[year]
	return a, ok
}

// Covers reports whether c knows the holiday arrangement of year, from the library or an override.
// For a year it does not cover, c treats exactly the weekends as days off — likely wrong, so an
// administrator should be told to enter the arrangement once the State Council publishes it.
func (c *Calendar) Covers(year int) bool {
	_, ok := c.arrangement(year)
	return ok
}

// Year returns the arrangement in force for year: its holidays and make-up working days, each
// sorted. Both lists are empty, not nil, for a year c does not cover.
func (c *Calendar) Year(year int) Year {
	a, ok := c.arrangement(year)
	if !ok {
		return Year{Year: year, Holidays: []Date{}, Workdays: []Date{}}
	}
	return Year{Year: year, Holidays: slices.Clone(a.year.Holidays), Workdays: slices.Clone(a.year.Workdays)}
}

// IsWorkingDay reports whether d is a working day: a make-up working day, or a weekday that is not
// a holiday.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if a, ok := c.arrangement(d.Year); ok {
		if working, ok := a.days[d]; ok {
			return working
		}
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the n-th working day after d; d itself is not counted, whether or not it
// is a working day. AddWorkingDays(d, 0) is d. A negative n counts backwards: the -n-th working
// day before d.
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween returns how many working days have elapsed from from to to: the number of
// working days after from's date up to and including to's date, dates taken in Asia/Shanghai. It
// is negative, with the same size, when to is before from.
//
// The count is whole days, the way time limits are set, and it inverts Deadline:
// WorkingDaysBetween(start, Deadline(start, n)) is n. A ticket accepted and resolved on the same
// day took 0 working days, as did one accepted on a Friday and resolved that weekend; one
// accepted on a Friday and resolved the next Monday took 1.
//
// It walks the days between, so its cost grows with the span.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	a, b := DateOf(from), DateOf(to)
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return sign * n
}

// Deadline returns when a clock of n working days started at start runs out: 18:00 Beijing time
// on the n-th working day after start's date in Asia/Shanghai. The time of day of start does not
// matter — a clock started at 23:59 ends when one started at 08:00 that day does. With n == 0 the
// clock runs out at 18:00 on start's own date. n is not meant to be negative.
func (c *Calendar) Deadline(start time.Time, n int) time.Time {
	return c.AddWorkingDays(DateOf(start), n).At(closingHour, 0)
}

// WorkingDaysBefore returns the instant n working days before t: the same time of day, Beijing
// time, on the n-th working day before t's date. One working day before a deadline of 18:00 on a
// Thursday is 18:00 on the Wednesday (or on the last working day before a holiday) — when the
// "due soon" warning fires and the light turns yellow.
func (c *Calendar) WorkingDaysBefore(t time.Time, n int) time.Time {
	return c.shift(t, -n)
}

// WorkingDaysAfter returns the instant n working days after t: the same time of day, Beijing
// time, on the n-th working day after t's date. Two working days after a deadline is when an
// overdue ticket is escalated.
func (c *Calendar) WorkingDaysAfter(t time.Time, n int) time.Time {
	return c.shift(t, n)
}

func (c *Calendar) shift(t time.Time, n int) time.Time {
	t = t.In(Location)
	d := c.AddWorkingDays(DateOf(t), n)
	return time.Date(d.Year, d.Month, d.Day, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), Location)
}
