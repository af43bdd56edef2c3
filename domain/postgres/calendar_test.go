package postgres_test

import (
	"context"
	"testing"
	"time"

	"steward/domain"
	"steward/domain/calendar"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// calendarDay is a civil date the way the domain passes it: midnight UTC.
func calendarDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCalendarService(t *testing.T) {
	t.Parallel()
	ctx := domain.WithActor(context.Background(), domain.System)

	t.Run("UnchangedOverridesReuseTheCalendar", func(t *testing.T) {
		t.Parallel()
		s := postgres.NewCalendarService(pgtest.New(t))
		first, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		again, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if first != again {
			t.Fatal("the calendar was rebuilt although no override changed")
		}
		if !first.Covers(2026) || first.IsWorkingDay(calendar.Date{Year: 2026, Month: 10, Day: 1}) {
			t.Fatal("the calendar in force lacks the statutory 2026 arrangement")
		}
	})

	t.Run("AnOverrideReachesEveryProcessAtOnce", func(t *testing.T) {
		t.Parallel()
		db := pgtest.New(t)
		// Two services with their own caches stand for two steward processes on one database.
		here, there := postgres.NewCalendarService(db), postgres.NewCalendarService(db)
		for _, s := range []*postgres.CalendarService{here, there} {
			got, err := s.AddWorkingDays(ctx, calendarDay(t, "2028-01-28"), 1)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(calendarDay(t, "2028-01-31")) { // 2028 is not covered: Friday → Monday
				t.Fatalf("before the override: %s", got.Format(time.DateOnly))
			}
		}
		before, _ := there.Calendar(ctx)

		y, err := here.SetCalendarYear(ctx, domain.CalendarYear{Year: 2028,
			Holidays: []time.Time{calendarDay(t, "2028-01-31"), calendarDay(t, "2028-01-31"), calendarDay(t, "2028-01-27")},
			Workdays: []time.Time{calendarDay(t, "2028-01-29")}})
		if err != nil {
			t.Fatal(err)
		}
		if y.Source != domain.CalendarOverride || !y.Covered || len(y.Holidays) != 2 || !y.Holidays[0].Equal(calendarDay(t, "2028-01-27")) {
			t.Fatalf("stored arrangement %+v: want it sorted, without duplicates, as an override", y)
		}

		for name, s := range map[string]*postgres.CalendarService{"the writing process": here, "another process": there} {
			got, err := s.AddWorkingDays(ctx, calendarDay(t, "2028-01-28"), 1)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(calendarDay(t, "2028-01-29")) { // the make-up Saturday
				t.Errorf("%s: after the override the next working day is %s, want 2028-01-29", name, got.Format(time.DateOnly))
			}
		}
		after, _ := there.Calendar(ctx)
		if after == before || !after.Covers(2028) {
			t.Fatal("another process kept its stale calendar")
		}

		// Replacing the override again is seen as well (the version changes, not the row count).
		if _, err := there.SetCalendarYear(ctx, domain.CalendarYear{Year: 2028}); err != nil {
			t.Fatal(err)
		}
		got, err := here.AddWorkingDays(ctx, calendarDay(t, "2028-01-28"), 1)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(calendarDay(t, "2028-01-31")) {
			t.Fatalf("after emptying the override: %s, want 2028-01-31", got.Format(time.DateOnly))
		}
	})

	t.Run("OnlyAdminsOverrideAndOverridesAreValidated", func(t *testing.T) {
		t.Parallel()
		s := postgres.NewCalendarService(pgtest.New(t))
		dispatcher := domain.WithActor(context.Background(), &domain.Actor{UserID: "0192a0c4-0000-7000-8000-000000000001", Role: domain.RoleDispatcher})
		if _, err := s.SetCalendarYear(dispatcher, domain.CalendarYear{Year: 2028}); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("dispatcher: err = %v, want forbidden", err)
		}
		if _, err := s.CalendarYear(dispatcher, 2026); err != nil {
			t.Fatalf("dispatcher may read the calendar: %v", err)
		}
		_, err := s.SetCalendarYear(ctx, domain.CalendarYear{Year: 2028,
			Holidays: []time.Time{calendarDay(t, "2028-10-01"), calendarDay(t, "2027-12-31")},
			Workdays: []time.Time{calendarDay(t, "2028-10-01")}})
		var fields []string
		if e, ok := err.(*domain.Error); ok && e.Code == domain.EINVALID {
			for _, f := range e.Fields {
				fields = append(fields, f.Field)
			}
		}
		if len(fields) != 2 || fields[0] != "holidays[1]" || fields[1] != "workdays[0]" {
			t.Fatalf("err = %v, fields %v; want holidays[1] (outside the year) and workdays[0] (also a holiday)", err, fields)
		}
		if y, _ := s.CalendarYear(ctx, 2028); y.Source != domain.CalendarStatutory || y.Covered {
			t.Fatalf("a refused override was stored: %+v", y)
		}
	})
}
