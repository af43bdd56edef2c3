package jobs

import (
	"context"
	"fmt"
	"testing"
	"time"

	"steward/domain"
	"steward/domain/postgres"
)

func TestVisitSweepRemindsOncePerWorkingDay(t *testing.T) {
	t.Parallel()
	d := newDistrict(t) // the enterprise (district level: every 30 days) was assigned on 25 September
	ctx := context.Background()
	sweep := func(at string) int {
		d.set(cst(at))
		n, err := d.reminders.SweepVisits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := sweep("2026-10-21 08:00"); n != 0 {
		t.Fatalf("%d reminders before the visit is due", n)
	}
	if n := sweep("2026-10-22 08:00"); n != 1 {
		t.Fatalf("%d reminders on the first due day, want 1", n)
	}
	if n := sweep("2026-10-22 15:00"); n != 0 {
		t.Fatalf("a second sweep the same day sent %d", n)
	}
	if n := sweep("2026-11-01 08:00"); n != 0 {
		t.Fatalf("%d reminders on a Sunday", n)
	}
	if n := sweep("2026-11-02 08:00"); n != 2 {
		t.Fatalf("overdue by more than a week: %d reminders, want the steward's and the leader's", n)
	}
	if got := fmt.Sprint(d.received(t, domain.NotifyVisitDue)); got != "[leader steward steward]" {
		t.Fatalf("visit reminders went to %s", got)
	}
}

func TestProjectWatchNotifiesOnceWhenAProjectTurnsRed(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	ctx := domain.WithActor(context.Background(), domain.System)
	p := &domain.Project{EnterpriseID: d.ent.ID, Name: "智能制造产业园二期", Kind: domain.ProjectNew, Industry: "C",
		PlannedInvestment: 50000, PlannedStart: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		PlannedCompletion: time.Date(2028, 10, 31, 0, 0, 0, 0, time.UTC), KeyLevel: domain.KeyMunicipal, Stage: domain.StageSigned}
	if err := postgres.NewProjectService(d.db).CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	watch := func(at string) int {
		d.set(cst(at))
		n, err := d.reminders.WatchProjects(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := watch("2027-01-15 07:00"); n != 0 {
		t.Fatalf("%d projects red 2½ months after the planned start", n)
	}
	if n := watch("2027-02-02 07:00"); n != 1 {
		t.Fatalf("not started 3 months after the planned start: %d turned red, want 1", n)
	}
	if n := watch("2027-02-03 07:00"); n != 0 {
		t.Fatalf("a red project was reported again: %d", n)
	}
	if got := fmt.Sprint(d.received(t, domain.NotifyProjectRed)); got != "[leader steward]" {
		t.Fatalf("the red light went to %s", got)
	}
}

func TestLeaderDigestOncePerWeek(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	ctx := context.Background()
	d.set(cst("2026-10-12 08:00"))
	for i, want := range []int{1, 0} {
		n, err := d.reminders.SendDigests(ctx)
		if err != nil || n != want {
			t.Fatalf("digest run %d: %d sent, %v; want %d", i+1, n, err, want)
		}
	}
	d.set(cst("2026-10-19 08:00"))
	if n, err := d.reminders.SendDigests(ctx); err != nil || n != 1 {
		t.Fatalf("the next week's digest: %d, %v", n, err)
	}
	if got := fmt.Sprint(d.received(t, domain.NotifyLeaderDigest)); got != "[leader leader]" {
		t.Fatalf("digests went to %s", got)
	}
}
