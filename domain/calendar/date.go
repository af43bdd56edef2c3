package calendar

import (
	"cmp"
	"fmt"
	"time"
)

// Location is Asia/Shanghai, the zone in which Steward reckons business dates.
//
// When the zone database is missing (the steward binary embeds time/tzdata, but another binary
// importing this package might not) it falls back to a fixed UTC+8 named CST: mainland China has
// kept UTC+8 without daylight saving since 1991, so the answer is the same for every date Steward
// deals with.
var Location = loadLocation()

func loadLocation() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*60*60)
	}
	return loc
}

// dateLayout is the one text form of a Date: YYYY-MM-DD.
const dateLayout = "2006-01-02"

// Date is a civil date: a day of the Gregorian calendar, with no time of day and no zone.
//
// Dates compare with == and serve as map keys as long as they are valid; the dates that ParseDate,
// DateOf and AddDays return always are. The zero Date is not valid.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date on which t falls in Asia/Shanghai, whatever t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Location).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses s in the form YYYY-MM-DD (two-digit month and day) and rejects days that do
// not exist, such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("calendar: %q is not a date in the form YYYY-MM-DD", s)
	}
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}, nil
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// IsValid reports whether d names a day that exists, in the years 1 to 9999.
func (d Date) IsValid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.AddDays(0) == d
}

// AddDays returns the date n calendar days after d (before it when n is negative). An invalid d
// is normalized the way time.Date normalizes: 2026-02-30 plus 0 days is 2026-03-02.
func (d Date) AddDays(n int) Date {
	y, m, dd := d.midday().AddDate(0, 0, n).Date()
	return Date{Year: y, Month: m, Day: dd}
}

// Weekday returns the day of the week d falls on.
func (d Date) Weekday() time.Weekday {
	return d.midday().Weekday()
}

// Compare returns -1 if d is before e, 0 if they are the same day and +1 if d is after e.
func (d Date) Compare(e Date) int {
	if c := cmp.Compare(d.Year, e.Year); c != 0 {
		return c
	}
	if c := cmp.Compare(d.Month, e.Month); c != 0 {
		return c
	}
	return cmp.Compare(d.Day, e.Day)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// At returns the instant at hour:minute Beijing time on d.
func (d Date) At(hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, Location)
}

// MarshalText formats d as YYYY-MM-DD, so a Date is a plain string in JSON.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText parses a YYYY-MM-DD date, as ParseDate does.
func (d *Date) UnmarshalText(text []byte) error {
	parsed, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// midday is d at noon UTC: a time.Time on the same civil day for arithmetic that ignores zones.
func (d Date) midday() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}
