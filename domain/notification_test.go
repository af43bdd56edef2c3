package domain_test

import (
	"testing"
	"time"

	"steward/domain"
)

// weekdays is a calendar of Monday–Friday working days with 1 October 2026 a holiday.
type weekdays struct{ days }

func (weekdays) IsWorkingDayAt(t time.Time) bool {
	l := t.In(domain.Shanghai)
	if l.Month() == 10 && l.Day() == 1 {
		return false
	}
	return l.Weekday() != time.Saturday && l.Weekday() != time.Sunday
}

func (w weekdays) Deadline(start time.Time, n int) time.Time {
	l := start.In(domain.Shanghai)
	d := time.Date(l.Year(), l.Month(), l.Day(), 18, 0, 0, 0, domain.Shanghai)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if w.IsWorkingDayAt(d) {
			n--
		}
	}
	return d
}

func TestSendAtKeepsQuietHours(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, at, want string
		urgent         bool
	}{
		{"WorkingHoursGoAtOnce", "2026-09-28 10:00", "2026-09-28 10:00", false},
		{"EarlyMorningWaitsForHalfPastEight", "2026-09-28 07:15", "2026-09-28 08:30", false},
		{"EveningWaitsForTheNextWorkingMorning", "2026-09-28 19:00", "2026-09-29 08:30", false},
		{"EighteenIsAlreadyQuiet", "2026-09-28 18:00", "2026-09-29 08:30", false},
		{"FridayEveningWaitsForMonday", "2026-10-02 20:00", "2026-10-05 08:30", false},
		{"HolidayWaitsForTheNextWorkingDay", "2026-09-30 19:00", "2026-10-02 08:30", false},
		{"UrgentGoesAtOnce", "2026-10-03 23:00", "2026-10-03 23:00", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := domain.SendAt(cst(tc.at), tc.urgent, weekdays{})
			if !got.Equal(cst(tc.want)) {
				t.Fatalf("SendAt(%s) = %s, want %s", tc.at, got.In(domain.Shanghai).Format("2006-01-02 15:04"), tc.want)
			}
		})
	}
}

func cst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}
