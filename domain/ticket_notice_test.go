package domain_test

import (
	"fmt"
	"testing"
	"time"

	"steward/domain"
)

func audiences(to []domain.Audience) string {
	s := ""
	for _, a := range to {
		s += fmt.Sprintf("%s:%s ", a.Kind, a.ID)
	}
	return s
}

func TestClockNoticeGrowsWithTheLevel(t *testing.T) {
	t.Parallel()
	due := now.AddDate(0, 0, 5)
	for _, tc := range []struct {
		name    string
		handler string
		level   string
		kind    domain.NotificationKind
		urgent  bool
		to      string
	}{
		{"WarnBeforeSigningGoesToTheOfficersAndTheHead", "", domain.ClockWarn, domain.NotifyTicketWarn, false,
			"officers:dept department_head:dept "},
		{"WarnGoesToTheHandlerAndTheHead", "o", domain.ClockWarn, domain.NotifyTicketWarn, false,
			"user:o department_head:dept "},
		{"DueAddsTheStewardAndTheLeader", "o", domain.ClockDue, domain.NotifyTicketDue, false,
			"user:o department_head:dept user:s user:l "},
		{"EscalateAddsTheBureauAndIsUrgent", "o", domain.ClockEscalate, domain.NotifyTicketEscalate, true,
			"user:o department_head:dept user:s user:l dispatchers: bureau_heads: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := ticketIn(domain.TicketInProgress)
			tk.HandlerID = tc.handler
			n := tk.ClockNotice(domain.TicketClockArgs{TicketID: "t", Clock: domain.ClockResolve, Level: tc.level, Due: due})
			if n == nil {
				t.Fatal("no reminder for a running clock")
			}
			if n.Kind != tc.kind || n.Urgent != tc.urgent || audiences(n.To) != tc.to {
				t.Fatalf("kind %s urgent %v to %q; want %s %v %q", n.Kind, n.Urgent, audiences(n.To), tc.kind, tc.urgent, tc.to)
			}
		})
	}
	t.Run("NothingOnceTheClockStoppedOrMoved", func(t *testing.T) {
		for name, tk := range map[string]*domain.Ticket{"resolved": ticketIn(domain.TicketResolved), "moved": ticketIn(domain.TicketInProgress)} {
			args := domain.TicketClockArgs{TicketID: "t", Clock: domain.ClockResolve, Level: domain.ClockDue, Due: due}
			if name == "moved" {
				args.Due = due.Add(-24 * time.Hour) // an extension moved the deadline since
			}
			if n := tk.ClockNotice(args); n != nil {
				t.Fatalf("%s: a reminder %+v for a clock that no longer runs with that due time", name, n)
			}
		}
		if n := ticketIn(domain.TicketInProgress).ClockNotice(domain.TicketClockArgs{Clock: domain.ClockSign, Level: domain.ClockDue}); n != nil {
			t.Fatal("a sign-for reminder for a ticket already signed for")
		}
	})
}

func TestMoveNoticesAndFollowUps(t *testing.T) {
	t.Parallel()
	t.Run("AssigningTellsTheDepartment", func(t *testing.T) {
		tk := ticketIn(domain.TicketAccepted)
		prev := *tk
		if _, err := tk.Assign(dispatcher, "dept", "供电公司", days{}, now); err != nil {
			t.Fatal(err)
		}
		ns := tk.MoveNotices(&prev)
		if len(ns) != 1 || ns[0].Kind != domain.NotifyTicketAssigned || audiences(ns[0].To) != "officers:dept " || ns[0].Urgent {
			t.Fatalf("notices %+v", ns)
		}
		fs := tk.FollowUps(&prev, days{}, now)
		if len(fs) != 3 {
			t.Fatalf("%d follow-ups, want the sign-for clock's warn, due and escalate", len(fs))
		}
		for i, lvl := range []string{domain.ClockWarn, domain.ClockDue, domain.ClockEscalate} {
			args := fs[i].Args.(domain.TicketClockArgs)
			if args.Clock != domain.ClockSign || args.Level != lvl {
				t.Fatalf("follow-up %d: %+v", i, args)
			}
		}
		if !fs[2].At.Equal(tk.SignClock.Due.AddDate(0, 0, domain.EscalateAfter)) {
			t.Fatalf("escalation at %s, want two working days after due", fs[2].At)
		}
	})
	t.Run("ResolvingQueuesTheRatingFollowUps", func(t *testing.T) {
		tk := ticketIn(domain.TicketInProgress)
		prev := *tk
		if _, err := tk.Resolve(officer, "已办结", now); err != nil {
			t.Fatal(err)
		}
		fs := tk.FollowUps(&prev, days{}, now)
		if len(fs) != 2 || fs[0].Args.(domain.RatingFollowupArgs).Step != domain.RatingRemind || fs[1].Args.(domain.RatingFollowupArgs).Step != domain.RatingClose ||
			!fs[1].At.Equal(now.AddDate(0, 0, domain.AutoCloseAfter)) {
			t.Fatalf("follow-ups %+v", fs)
		}
		if ns := tk.MoveNotices(&prev); len(ns) != 1 || ns[0].Kind != domain.NotifyTicketProgress || audiences(ns[0].To) != "enterprise:ent " {
			t.Fatalf("resolving tells the enterprise at once (its progress notice) and nobody else; the rating reminder is a job: %+v", ns)
		}
		args := fs[0].Args.(domain.RatingFollowupArgs)
		if n := tk.RatingNotice(args); n == nil || audiences(n.To) != "enterprise:ent " {
			t.Fatalf("rating reminder %+v", n)
		}
		if _, err := tk.Rate(portal, domain.Rating{Solved: 5, Attitude: 5}, days{}, now); err != nil {
			t.Fatal(err)
		}
		if tk.RatingNotice(args) != nil || tk.Waiting(args) {
			t.Fatal("a rated ticket still waits for its rating")
		}
	})
	t.Run("ANoteQueuesNothing", func(t *testing.T) {
		tk := ticketIn(domain.TicketInProgress)
		prev := *tk
		if _, err := tk.Comment(officer, "已联系企业", false, now); err != nil {
			t.Fatal(err)
		}
		if len(tk.FollowUps(&prev, days{}, now)) != 0 || len(tk.MoveNotices(&prev)) != 0 {
			t.Fatal("a comment queued jobs or notices")
		}
	})
}

func TestInstructionsAreAnsweredByTheDepartment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		handler string
		dept    string
		to      string
	}{
		{"SignedForGoesToTheHandlerAndTheHead", "o", "dept", "user:o department_head:dept "},
		{"RoutedGoesToTheOfficersAndTheHead", "", "dept", "officers:dept department_head:dept "},
		{"NotRoutedGoesToTheDispatchers", "", "", "dispatchers: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := ticketIn(domain.TicketInProgress)
			tk.HandlerID, tk.DepartmentID = tc.handler, tc.dept
			n := tk.InstructionNotice(&domain.Instruction{ID: "i", LeaderName: "张区长", Body: "请本周内办结"})
			if audiences(n.To) != tc.to || !n.Urgent || n.Key != "instruction:i" {
				t.Fatalf("to %q urgent %v key %s; want %q", audiences(n.To), n.Urgent, n.Key, tc.to)
			}
		})
	}
	for _, tc := range []struct {
		by   *domain.Actor
		code string
	}{
		{officer, ""}, {dispatcher, ""}, {stranger, domain.EFORBIDDEN}, {leader, domain.EFORBIDDEN}, {steward, domain.EFORBIDDEN}, {portal, domain.EFORBIDDEN},
	} {
		t.Run("AnsweredBy"+string(tc.by.Role)+"_"+tc.by.DepartmentID, func(t *testing.T) {
			tk, ins := ticketIn(domain.TicketInProgress), &domain.Instruction{ID: "i"}
			_, err := tk.AnswerInstruction(tc.by, ins, "已安排", now)
			if domain.ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Fatalf("answer by %s: %v, want %q", tc.by.Role, err, tc.code)
			}
			if err == nil {
				if ins.AnsweredAt == nil || ins.Answer != "已安排" {
					t.Fatalf("the instruction is not answered: %+v", ins)
				}
				if _, err := tk.AnswerInstruction(tc.by, ins, "再答", now); domain.ErrorCode(err) != domain.ETRANSITION {
					t.Fatalf("a second answer: %v, want ETRANSITION", err)
				}
			}
		})
	}
}

func TestUrgencyAndTheRunningClock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		by          *domain.Actor
		priority    domain.Priority
		requested   bool
		resolveDays int
	}{
		{"TheEnterpriseOnlyAsks", portal, domain.PriorityNormal, true, 15},
		{"AnIntegrationOnlyAsks", &domain.Actor{UserID: "api", Role: domain.RoleIntegration}, domain.PriorityNormal, true, 15},
		{"TheBureauDecides", dispatcher, domain.PriorityUrgent, false, 8},
		{"AStewardDecides", steward, domain.PriorityUrgent, false, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := &domain.Ticket{Priority: domain.PriorityUrgent, EnterpriseID: "ent", StewardID: "s"}
			ev := tk.Submit(tc.by, 1, 15, now)
			if tk.Priority != tc.priority || tk.UrgencyRequested != tc.requested || tk.ResolveDays != tc.resolveDays || tk.Status != domain.TicketSubmitted || ev.Action != "submit" {
				t.Fatalf("submitted: priority %s requested %v resolve %d", tk.Priority, tk.UrgencyRequested, tk.ResolveDays)
			}
		})
	}
	t.Run("AcceptingUrgentHalvesTheResolveClockOnce", func(t *testing.T) {
		tk := &domain.Ticket{Priority: domain.PriorityUrgent, EnterpriseID: "ent"}
		tk.Submit(portal, 1, 15, now)
		if _, err := tk.Accept(dispatcher, true, days{}, now); err != nil {
			t.Fatal(err)
		}
		if tk.Priority != domain.PriorityUrgent || tk.ResolveDays != 8 || !tk.ResolveClock.Due.Equal(now.AddDate(0, 0, 8)) {
			t.Fatalf("accepted urgent: %s, %d days, due %s", tk.Priority, tk.ResolveDays, tk.ResolveClock.Due)
		}
		staff := &domain.Ticket{Priority: domain.PriorityUrgent}
		staff.Submit(dispatcher, 1, 15, now)
		if _, err := staff.Accept(dispatcher, true, days{}, now); err != nil || staff.ResolveDays != 8 {
			t.Fatalf("an urgent ticket accepted as urgent is halved twice: %d days (%v)", staff.ResolveDays, err)
		}
	})
	t.Run("TheLightFollowsTheEarliestRunningClock", func(t *testing.T) {
		tk := ticketIn(domain.TicketAssigned)
		tk.SignClock = &domain.Clock{Due: now.AddDate(0, 0, 1), Warn: now}
		if c := tk.RunningClock(); !c.Due.Equal(tk.SignClock.Due) || !c.Warn.Equal(now) {
			t.Fatalf("running clock %+v, want the sign-for clock", c)
		}
		for _, tc := range []struct {
			at    time.Time
			light domain.Light
		}{{now.Add(-time.Hour), domain.LightGreen}, {now, domain.LightYellow}, {now.AddDate(0, 0, 1).Add(time.Minute), domain.LightRed}} {
			if l := tk.Light(tc.at); l != tc.light {
				t.Fatalf("at %s light %s, want %s", tc.at, l, tc.light)
			}
		}
		tk.Status = domain.TicketInProgress // signed: only the resolve clock runs
		if c := tk.RunningClock(); !c.Due.Equal(tk.ResolveClock.Due) {
			t.Fatalf("running clock %+v, want the resolve clock", c)
		}
		if ticketIn(domain.TicketResolved).RunningClock() != nil || ticketIn(domain.TicketResolved).Light(now) != domain.LightNone {
			t.Fatal("a resolved ticket has a running clock")
		}
	})
}
