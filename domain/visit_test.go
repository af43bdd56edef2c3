package domain_test

import (
	"testing"
	"time"

	"steward/domain"
)

func TestCadenceDueOn(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	from := day("2026-09-01")
	c := domain.DefaultCadence
	for _, tc := range []struct {
		name      string
		last      *time.Time
		today     string
		wantDue   string
		wantState domain.VisitState
	}{
		{"NeverVisitedCountsFromTheAssignment", nil, "2026-09-27", "2026-10-01", domain.VisitNotDue},
		{"DueThreeDaysBefore", nil, "2026-09-28", "2026-10-01", domain.VisitDue},
		{"DueOnTheDay", nil, "2026-10-01", "2026-10-01", domain.VisitDue},
		{"OverdueTheDayAfter", nil, "2026-10-02", "2026-10-01", domain.VisitOverdue},
		{"CountsFromTheLastVisit", ptr(time.Date(2026, 9, 20, 1, 0, 0, 0, time.UTC)), "2026-10-16", "2026-10-20", domain.VisitNotDue},
		{"LastVisitLateEveningIsThatDayInShanghai", ptr(time.Date(2026, 9, 19, 17, 0, 0, 0, time.UTC)), "2026-10-17", "2026-10-20", domain.VisitDue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			due, state := c.DueOn(tc.last, from, c.Days(domain.SubjectEnterprise, domain.KeyDistrict, ""), day(tc.today))
			if !due.Equal(day(tc.wantDue)) || state != tc.wantState {
				t.Fatalf("due %s %q, want %s %q", due.Format(time.DateOnly), state, tc.wantDue, tc.wantState)
			}
		})
	}
	if d := c.Days(domain.SubjectProject, domain.KeyDistrict, domain.StageUnderConstruction); d != 14 {
		t.Fatalf("projects under construction every %d days, want 14", d)
	}
	if _, state := c.DueOn(nil, from, c.Days(domain.SubjectProject, "", domain.StageCancelled), day("2027-01-01")); state != domain.VisitNotDue {
		t.Fatal("a cancelled project is due for visits")
	}
}

func ptr[T any](v T) *T { return &v }
