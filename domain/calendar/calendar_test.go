package calendar_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"steward/domain/calendar"
)

// date parses a YYYY-MM-DD date or fails the test.
func date(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// instant parses an RFC 3339 time or fails the test.
func instant(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// dates parses YYYY-MM-DD dates or fails the test.
func dates(t *testing.T, ss ...string) []calendar.Date {
	t.Helper()
	ds := make([]calendar.Date, len(ss))
	for i, s := range ss {
		ds[i] = date(t, s)
	}
	return ds
}

// newCalendar builds a Calendar or fails the test.
func newCalendar(t *testing.T, overrides ...calendar.Year) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(overrides...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLibrary2026MatchesStateCouncil cross-checks lunar-go's data against the State Council's
// notice on the 2026 holidays (国办发明电〔2025〕7号).
func TestLibrary2026MatchesStateCouncil(t *testing.T) {
	t.Parallel()

	want := calendar.Year{
		Year: 2026,
		Holidays: dates(t,
			"2026-01-01", "2026-01-02", "2026-01-03", // 元旦
			"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", // 春节
			"2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
			"2026-04-04", "2026-04-05", "2026-04-06", // 清明
			"2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", // 劳动节
			"2026-06-19", "2026-06-20", "2026-06-21", // 端午
			"2026-09-25", "2026-09-26", "2026-09-27", // 中秋
			"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", // 国庆
			"2026-10-06", "2026-10-07",
		),
		Workdays: dates(t, "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"),
	}
	for name, c := range map[string]*calendar.Calendar{"New": newCalendar(t), "ZeroValue": {}} {
		got := c.Year(2026)
		if got.Year != want.Year || !slices.Equal(got.Holidays, want.Holidays) || !slices.Equal(got.Workdays, want.Workdays) {
			t.Errorf("%s: Year(2026) =\n%v\nwant\n%v", name, got, want)
		}
	}
}

func TestCovers(t *testing.T) {
	t.Parallel()

	c := newCalendar(t)
	for year, want := range map[int]bool{2001: true, 2025: true, 2026: true, 2027: true, 2028: false, 1999: false} {
		if got := c.Covers(year); got != want {
			t.Errorf("Covers(%d) = %v, want %v", year, got, want)
		}
	}
	if got := c.Year(2028); got.Holidays == nil || got.Workdays == nil || len(got.Holidays)+len(got.Workdays) != 0 {
		t.Errorf("Year(2028) = %#v, want empty non-nil lists", got)
	}
}

func TestIsWorkingDay(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, day string
		want      bool
	}{
		{name: "OrdinaryMonday", day: "2026-03-02", want: true},
		{name: "OrdinarySaturday", day: "2026-03-07", want: false},
		{name: "OrdinarySunday", day: "2026-03-08", want: false},
		{name: "SpringFestivalMakeUpSaturdayBefore", day: "2026-02-14", want: true},
		{name: "SpringFestivalOnSunday", day: "2026-02-15", want: false},
		{name: "SpringFestivalOnMonday", day: "2026-02-16", want: false},
		{name: "SpringFestivalLastDayMonday", day: "2026-02-23", want: false},
		{name: "BackToWorkAfterSpringFestival", day: "2026-02-24", want: true},
		{name: "SpringFestivalMakeUpSaturdayAfter", day: "2026-02-28", want: true},
		{name: "NationalDayMakeUpSunday", day: "2026-09-20", want: true},
		{name: "MidAutumnFriday", day: "2026-09-25", want: false},
		{name: "NationalDayThursday", day: "2026-10-01", want: false},
		{name: "NationalDayLastDayWednesday", day: "2026-10-07", want: false},
		{name: "BackToWorkAfterNationalDay", day: "2026-10-08", want: true},
		{name: "NationalDayMakeUpSaturday", day: "2026-10-10", want: true},
		{name: "SundayAfterMakeUpSaturday", day: "2026-10-11", want: false},
		{name: "NewYearMakeUpSunday", day: "2026-01-04", want: true},
		{name: "MondayOfYearWithoutData", day: "2028-01-03", want: true},
	}
	c := newCalendar(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := date(t, tt.day)
			if got := c.IsWorkingDay(d); got != tt.want {
				t.Fatalf("IsWorkingDay(%v, a %v) = %v, want %v", d, d.Weekday(), got, tt.want)
			}
		})
	}
}

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, from string
		n          int
		want       string
	}{
		{name: "ZeroIsTheSameDay", from: "2026-03-03", n: 0, want: "2026-03-03"},
		{name: "ZeroOnAHolidayIsStillThatDay", from: "2026-10-01", n: 0, want: "2026-10-01"},
		{name: "OrdinaryWeek", from: "2026-03-03", n: 2, want: "2026-03-05"},
		{name: "FridayToMonday", from: "2026-03-06", n: 1, want: "2026-03-09"},
		{name: "FromSaturdayStartsCountingMonday", from: "2026-03-07", n: 1, want: "2026-03-09"},
		{name: "FridayBeforeSpringFestivalNextIsMakeUpSaturday", from: "2026-02-13", n: 1, want: "2026-02-14"},
		{name: "SpringFestivalSkipped", from: "2026-02-13", n: 2, want: "2026-02-24"},
		{name: "SecondMakeUpSaturdayCounted", from: "2026-02-13", n: 6, want: "2026-02-28"},
		{name: "SpanningSpringFestival", from: "2026-02-12", n: 10, want: "2026-03-04"},
		{name: "FromInsideSpringFestival", from: "2026-02-18", n: 1, want: "2026-02-24"},
		{name: "FridayTwoWeeksBeforeNationalDayNextIsMakeUpSunday", from: "2026-09-18", n: 1, want: "2026-09-20"},
		{name: "MidAutumnFridayBeforeNationalDay", from: "2026-09-25", n: 5, want: "2026-10-09"},
		{name: "LastWorkingDayBeforeNationalDay", from: "2026-09-30", n: 1, want: "2026-10-08"},
		{name: "NationalDayMakeUpSaturdayCounted", from: "2026-09-30", n: 3, want: "2026-10-10"},
		{name: "IntoNewYearMakeUpSunday", from: "2025-12-31", n: 1, want: "2026-01-04"},
		{name: "Into2027PastNewYearHoliday", from: "2026-12-31", n: 1, want: "2027-01-04"},
		{name: "BackOneOverSpringFestival", from: "2026-02-24", n: -1, want: "2026-02-14"},
		{name: "BackOneOverNationalDay", from: "2026-10-08", n: -1, want: "2026-09-30"},
	}
	c := newCalendar(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.AddWorkingDays(date(t, tt.from), tt.n).String(); got != tt.want {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestDeadline(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, start string
		n           int
		want        string
	}{
		{name: "EndsAtSixOnTheNthWorkingDay", start: "2026-03-03T09:00:00+08:00", n: 2, want: "2026-03-05T18:00:00+08:00"},
		{name: "ZeroDaysEndsAtSixTheSameDay", start: "2026-03-03T09:00:00+08:00", n: 0, want: "2026-03-03T18:00:00+08:00"},
		{name: "StartedAfterSixStillStartsThatDay", start: "2026-03-03T23:59:59+08:00", n: 1, want: "2026-03-04T18:00:00+08:00"},
		{name: "StartedAtMidnightStartsThatDay", start: "2026-03-04T00:00:00+08:00", n: 1, want: "2026-03-05T18:00:00+08:00"},
		{name: "FridayBeforeNationalDay", start: "2026-09-25T10:00:00+08:00", n: 4, want: "2026-10-08T18:00:00+08:00"},
		{name: "FridayBeforeNationalDayOverMakeUpSunday", start: "2026-09-18T10:00:00+08:00", n: 1, want: "2026-09-20T18:00:00+08:00"},
		{name: "SpanningSpringFestival", start: "2026-02-12T15:00:00+08:00", n: 10, want: "2026-03-04T18:00:00+08:00"},
		{name: "MakeUpSaturdayCounted", start: "2026-02-13T14:00:00+08:00", n: 1, want: "2026-02-14T18:00:00+08:00"},
		{name: "UTCJustBeforeShanghaiMidnight", start: "2026-02-13T15:59:59Z", n: 1, want: "2026-02-14T18:00:00+08:00"},
		{name: "UTCAfterShanghaiMidnightIsNextDay", start: "2026-02-13T16:00:00Z", n: 1, want: "2026-02-24T18:00:00+08:00"},
		{name: "UTCDateIsADayBehindShanghai", start: "2026-10-08T16:30:00Z", n: 1, want: "2026-10-10T18:00:00+08:00"},
	}
	c := newCalendar(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := c.Deadline(instant(t, tt.start), tt.n)
			if !got.Equal(instant(t, tt.want)) {
				t.Fatalf("Deadline(%s, %d) = %v, want %s", tt.start, tt.n, got, tt.want)
			}
			if got.Location() != calendar.Location {
				t.Errorf("Deadline(%s, %d) is in %v, want %v", tt.start, tt.n, got.Location(), calendar.Location)
			}
		})
	}
}

func TestWorkingDaysBeforeAndAfter(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, due string
		n         int // negative: WorkingDaysBefore(due, -n)
		want      string
	}{
		{name: "WarnTheDayBefore", due: "2026-03-05T18:00:00+08:00", n: -1, want: "2026-03-04T18:00:00+08:00"},
		{name: "WarnBeforeWeekend", due: "2026-03-09T18:00:00+08:00", n: -1, want: "2026-03-06T18:00:00+08:00"},
		{name: "WarnBeforeSpringFestivalOnMakeUpSaturday", due: "2026-02-24T18:00:00+08:00", n: -1, want: "2026-02-14T18:00:00+08:00"},
		{name: "WarnBeforeNationalDay", due: "2026-10-08T18:00:00+08:00", n: -1, want: "2026-09-30T18:00:00+08:00"},
		{name: "EscalateOverSpringFestival", due: "2026-02-13T18:00:00+08:00", n: 2, want: "2026-02-24T18:00:00+08:00"},
		{name: "EscalateOnMakeUpSaturday", due: "2026-10-08T18:00:00+08:00", n: 2, want: "2026-10-10T18:00:00+08:00"},
		{name: "DueGivenInUTCKeepsBeijingTimeOfDay", due: "2026-02-13T10:00:00Z", n: 2, want: "2026-02-24T18:00:00+08:00"},
		{name: "ZeroIsUnchanged", due: "2026-03-05T18:00:00+08:00", n: 0, want: "2026-03-05T18:00:00+08:00"},
	}
	c := newCalendar(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			due := instant(t, tt.due)
			var got time.Time
			if tt.n < 0 {
				got = c.WorkingDaysBefore(due, -tt.n)
			} else {
				got = c.WorkingDaysAfter(due, tt.n)
			}
			if !got.Equal(instant(t, tt.want)) {
				t.Fatalf("shifting %s by %d working days = %v, want %s", tt.due, tt.n, got, tt.want)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, from, to string
		want           int
	}{
		{name: "SameDay", from: "2026-03-03T09:00:00+08:00", to: "2026-03-03T17:00:00+08:00", want: 0},
		{name: "NextDay", from: "2026-03-03T17:00:00+08:00", to: "2026-03-04T09:00:00+08:00", want: 1},
		{name: "FridayToSunday", from: "2026-03-06T09:00:00+08:00", to: "2026-03-08T09:00:00+08:00", want: 0},
		{name: "FridayToMonday", from: "2026-03-06T09:00:00+08:00", to: "2026-03-09T09:00:00+08:00", want: 1},
		{name: "AcrossSpringFestival", from: "2026-02-13T09:00:00+08:00", to: "2026-02-24T10:00:00+08:00", want: 2},
		{name: "AcrossNationalDay", from: "2026-09-30T09:00:00+08:00", to: "2026-10-09T10:00:00+08:00", want: 2},
		{name: "MakeUpDaysCounted", from: "2026-09-18T09:00:00+08:00", to: "2026-10-10T10:00:00+08:00", want: 11},
		{name: "Backwards", from: "2026-02-24T10:00:00+08:00", to: "2026-02-13T09:00:00+08:00", want: -2},
		{name: "UTCEveningIsShanghaiNextDay", from: "2026-02-13T16:30:00Z", to: "2026-02-24T02:00:00Z", want: 1},
		{name: "UTCBeforeShanghaiMidnight", from: "2026-02-13T15:30:00Z", to: "2026-02-24T02:00:00Z", want: 2},
	}
	c := newCalendar(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.WorkingDaysBetween(instant(t, tt.from), instant(t, tt.to)); got != tt.want {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

// TestWorkingDaysBetweenInvertsDeadline ensures that the statistics ("working days to resolve")
// and the clocks agree: a ticket resolved exactly at its deadline took its time limit.
func TestWorkingDaysBetweenInvertsDeadline(t *testing.T) {
	t.Parallel()

	c := newCalendar(t)
	for d := date(t, "2025-12-01"); d.Year <= 2026; d = d.AddDays(1) {
		start := d.At(9, 30)
		for n := 0; n <= 25; n++ {
			if got := c.WorkingDaysBetween(start, c.Deadline(start, n)); got != n {
				t.Fatalf("WorkingDaysBetween(%v, Deadline(%v, %d)) = %d, want %d", start, start, n, got, n)
			}
		}
	}
}

func TestOverrides(t *testing.T) {
	t.Parallel()

	// An imagined correction of 2026: only the first two days of October off, one make-up Saturday.
	correction := calendar.Year{
		Year:     2026,
		Holidays: dates(t, "2026-10-02", "2026-10-01", "2026-10-02"),
		Workdays: dates(t, "2026-10-10"),
	}

	t.Run("ReplacesLibraryYearEntirely", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, correction)
		for day, want := range map[string]bool{
			"2026-02-16": true,  // a Spring Festival weekday in the library, not in the override
			"2026-02-14": false, // a make-up Saturday in the library, not in the override
			"2026-10-01": false,
			"2026-10-05": true,
			"2026-10-10": true,
		} {
			if got := c.IsWorkingDay(date(t, day)); got != want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", day, got, want)
			}
		}
		if got := c.AddWorkingDays(date(t, "2026-02-13"), 1).String(); got != "2026-02-16" {
			t.Errorf("AddWorkingDays(2026-02-13, 1) = %s, want 2026-02-16", got)
		}
		got := c.Year(2026)
		if !slices.Equal(got.Holidays, dates(t, "2026-10-01", "2026-10-02")) || !slices.Equal(got.Workdays, correction.Workdays) {
			t.Errorf("Year(2026) = %v, want the override sorted and without duplicates", got)
		}
	})

	t.Run("LeavesOtherYearsAndTheOriginalCalendarAlone", func(t *testing.T) {
		t.Parallel()
		original := newCalendar(t)
		corrected, err := original.WithOverrides(correction)
		if err != nil {
			t.Fatal(err)
		}
		if corrected.IsWorkingDay(date(t, "2027-02-08")) {
			t.Error("2027-02-08 (春节, Monday) became a working day")
		}
		if original.IsWorkingDay(date(t, "2026-02-16")) {
			t.Error("WithOverrides changed the calendar it was called on")
		}
	})

	t.Run("CoversYearBeyondLibrary", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, calendar.Year{Year: 2028, Holidays: dates(t, "2028-01-03")})
		if !c.Covers(2028) {
			t.Error("Covers(2028) = false after an override for 2028")
		}
		if c.IsWorkingDay(date(t, "2028-01-03")) {
			t.Error("IsWorkingDay(2028-01-03) = true, want the override's holiday")
		}
	})

	t.Run("LaterOverrideOfTheSameYearWins", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, correction, calendar.Year{Year: 2026})
		if !c.IsWorkingDay(date(t, "2026-10-01")) {
			t.Error("the earlier override is still in force")
		}
	})

	t.Run("EmptyOverrideMeansWeekendsOnly", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, calendar.Year{Year: 2026})
		if !c.Covers(2026) || !c.IsWorkingDay(date(t, "2026-10-01")) || c.IsWorkingDay(date(t, "2026-10-10")) {
			t.Error("an empty override does not reduce 2026 to plain weekends")
		}
		if got := c.Year(2026); got.Holidays == nil || got.Workdays == nil {
			t.Errorf("Year(2026) = %#v, want empty non-nil lists", got)
		}
	})

	t.Run("YearReturnsACopy", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t)
		c.Year(2026).Holidays[0] = date(t, "2026-03-03")
		if c.IsWorkingDay(date(t, "2026-03-03")) != true || c.Year(2026).Holidays[0].String() != "2026-01-01" {
			t.Error("changing the result of Year changed the calendar")
		}
	})
}

func TestOverrideValidation(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		year   calendar.Year
		errHas string
	}{
		{
			name:   "DateInAnotherYear",
			year:   calendar.Year{Year: 2026, Holidays: []calendar.Date{{Year: 2027, Month: time.January, Day: 1}}},
			errHas: "not in 2026",
		},
		{
			name:   "DateThatDoesNotExist",
			year:   calendar.Year{Year: 2026, Workdays: []calendar.Date{{Year: 2026, Month: time.February, Day: 30}}},
			errHas: "not a valid date",
		},
		{
			name: "HolidayAndWorkdayAtOnce",
			year: calendar.Year{
				Year:     2026,
				Holidays: []calendar.Date{{Year: 2026, Month: time.October, Day: 1}},
				Workdays: []calendar.Date{{Year: 2026, Month: time.October, Day: 1}},
			},
			errHas: "both",
		},
		{name: "YearOutOfRange", year: calendar.Year{Year: 0}, errHas: "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := calendar.New(tt.year)
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("New(%v) error = %v, want one mentioning %q", tt.year, err, tt.errHas)
			}
			if c != nil {
				t.Errorf("New(%v) returned a calendar with its error", tt.year)
			}
		})
	}
}
