package calendar_test

import (
	"testing"

	"steward/domain/calendar"
)

// FuzzCalendarArithmetic: for any start day from 2024 to 2027 and any limit up to 60 working
// days, the arithmetic is consistent: a deadline is counted back to its limit, a step forward
// and back returns to a working day, and every step lands on a working day.
func FuzzCalendarArithmetic(f *testing.F) {
	for _, seed := range [][2]int{{0, 0}, {274, 5}, {273, 1}, {30, 10}, {1000, 60}, {1460, 3}, {-5, 7}} {
		f.Add(seed[0], seed[1])
	}
	c, err := calendar.New()
	if err != nil {
		f.Fatal(err)
	}
	first, _ := calendar.ParseDate("2024-01-01")
	f.Fuzz(func(t *testing.T, offset, n int) {
		offset, n = ((offset%1461)+1461)%1461, ((n%61)+61)%61 // 2024–2027, 0–60 working days
		d := first.AddDays(offset)
		if !d.IsValid() {
			t.Fatalf("%v + %d days is not a date", first, offset)
		}
		start := d.At(9, 30)
		deadline := c.Deadline(start, n)
		if got := c.WorkingDaysBetween(start, deadline); got != n {
			t.Fatalf("WorkingDaysBetween(%v, Deadline(%v, %d) = %v) = %d", start, start, n, deadline, got)
		}
		fwd := c.AddWorkingDays(d, n)
		if n > 0 && (!c.IsWorkingDay(fwd) || !fwd.After(d)) {
			t.Fatalf("AddWorkingDays(%v, %d) = %v: not a later working day", d, n, fwd)
		}
		if back := c.AddWorkingDays(fwd, -n); c.IsWorkingDay(d) && back != d {
			t.Fatalf("AddWorkingDays(AddWorkingDays(%v, %d), -%d) = %v", d, n, n, back)
		}
		if w := c.WorkingDaysBefore(deadline, 1); n > 0 && !w.Before(deadline) {
			t.Fatalf("one working day before %v is %v", deadline, w)
		}
	})
}
