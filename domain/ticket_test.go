package domain_test

import (
	"fmt"
	"testing"
	"time"

	"steward/domain"
)

// days is a calendar where every day is a working day, so clock arithmetic is easy to read.
type days struct{}

func (days) Deadline(start time.Time, n int) time.Time      { return start.AddDate(0, 0, n) }
func (days) WorkingDaysBefore(t time.Time, n int) time.Time { return t.AddDate(0, 0, -n) }
func (days) WorkingDaysAfter(t time.Time, n int) time.Time  { return t.AddDate(0, 0, n) }

var (
	now        = time.Date(2026, 10, 12, 2, 0, 0, 0, time.UTC)
	dispatcher = &domain.Actor{UserID: "d", Role: domain.RoleDispatcher}
	steward    = &domain.Actor{UserID: "s", Role: domain.RoleSteward}
	leader     = &domain.Actor{UserID: "l", Role: domain.RoleLeader}
	officer    = &domain.Actor{UserID: "o", Role: domain.RoleOfficer, DepartmentID: "dept"}
	stranger   = &domain.Actor{UserID: "x", Role: domain.RoleOfficer, DepartmentID: "other"}
	portal     = &domain.Actor{UserID: "e", Role: domain.RoleEnterprise, EnterpriseID: "ent"}
)

func ticketIn(status domain.TicketStatus) *domain.Ticket {
	// The department is set whatever the status, so that only the status decides a move.
	return &domain.Ticket{ID: "t", EnterpriseID: "ent", StewardID: "s", LeaderID: "l", Status: status, SignDays: 1, ResolveDays: 10,
		DepartmentID: "dept", ResolveClock: &domain.Clock{Due: now.AddDate(0, 0, 5), Warn: now.AddDate(0, 0, 4)}}
}

// move makes one named move as actor.
func move(t *domain.Ticket, name string, a *domain.Actor) (domain.TicketEvent, error) {
	switch name {
	case "accept":
		return t.Accept(a, false, days{}, now)
	case "reject":
		return t.Reject(a, "不属于受理范围", now)
	case "assign":
		return t.Assign(a, "dept", "供电公司", days{}, now)
	case "sign":
		return t.Sign(a, now)
	case "return":
		return t.Return(a, "非本部门职责", now)
	case "request-extension":
		return t.RequestExtension(a, 3, "需现场踏勘", now)
	case "resolve":
		return t.Resolve(a, "已办结", now)
	case "rate":
		return t.Rate(a, domain.Rating{Solved: 5, Attitude: 5}, days{}, now)
	}
	panic(name)
}

func TestTicketMovesFollowTheTable(t *testing.T) {
	t.Parallel()
	// DESIGN.md §3: from which statuses each move is allowed, and who makes it.
	table := []struct {
		move string
		from []domain.TicketStatus
		by   *domain.Actor
		to   domain.TicketStatus
	}{
		{"accept", []domain.TicketStatus{domain.TicketSubmitted}, dispatcher, domain.TicketAccepted},
		{"reject", []domain.TicketStatus{domain.TicketSubmitted}, dispatcher, domain.TicketRejected},
		{"assign", []domain.TicketStatus{domain.TicketAccepted, domain.TicketReturned}, dispatcher, domain.TicketAssigned},
		{"sign", []domain.TicketStatus{domain.TicketAssigned}, officer, domain.TicketInProgress},
		{"return", []domain.TicketStatus{domain.TicketAssigned, domain.TicketInProgress}, officer, domain.TicketReturned},
		{"request-extension", []domain.TicketStatus{domain.TicketInProgress}, officer, domain.TicketInProgress},
		{"resolve", []domain.TicketStatus{domain.TicketInProgress}, officer, domain.TicketResolved},
		{"rate", []domain.TicketStatus{domain.TicketResolved}, portal, domain.TicketClosed},
	}
	for _, tc := range table {
		for _, from := range domain.TicketStatuses {
			allowed := false
			for _, f := range tc.from {
				allowed = allowed || f == from
			}
			tk := ticketIn(from)
			_, err := move(tk, tc.move, tc.by)
			switch {
			case allowed && err != nil:
				t.Errorf("%s from %s by %s: %v", tc.move, from, tc.by.Role, err)
			case allowed && tk.Status != tc.to:
				t.Errorf("%s from %s: status %s, want %s", tc.move, from, tk.Status, tc.to)
			case !allowed && domain.ErrorCode(err) != domain.ETRANSITION:
				t.Errorf("%s from %s: err %v, want invalid_transition", tc.move, from, err)
			}
		}
	}
}

func TestTicketMovesNeedTheRightActor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		move string
		from domain.TicketStatus
		by   *domain.Actor
		ok   bool
	}{
		{"OwnStewardAccepts", "accept", domain.TicketSubmitted, steward, true},
		{"OtherStewardCannotAccept", "accept", domain.TicketSubmitted, &domain.Actor{UserID: "s2", Role: domain.RoleSteward}, false},
		{"StewardCannotReject", "reject", domain.TicketSubmitted, steward, false},
		{"OfficerCannotAssign", "assign", domain.TicketAccepted, officer, false},
		{"OtherDepartmentCannotSign", "sign", domain.TicketAssigned, stranger, false},
		{"DispatcherCannotSign", "sign", domain.TicketAssigned, dispatcher, false},
		{"OtherDepartmentCannotResolve", "resolve", domain.TicketInProgress, stranger, false},
		{"DispatcherCannotRate", "rate", domain.TicketResolved, dispatcher, false},
		{"LeaderCannotRate", "rate", domain.TicketResolved, leader, false},
		{"OtherEnterpriseCannotRate", "rate", domain.TicketResolved, &domain.Actor{UserID: "e2", Role: domain.RoleEnterprise, EnterpriseID: "ent2"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := move(ticketIn(tc.from), tc.move, tc.by)
			if tc.ok && err != nil || !tc.ok && domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Fatalf("err = %v, want ok=%v (forbidden otherwise)", err, tc.ok)
			}
		})
	}
}

func TestTicketRules(t *testing.T) {
	t.Parallel()

	t.Run("UnsatisfiedRatingReworksOnANewClock", func(t *testing.T) {
		t.Parallel()
		tk := ticketIn(domain.TicketResolved)
		ev, err := tk.Rate(portal, domain.Rating{Solved: 2, Attitude: 4}, days{}, now)
		if err != nil || ev.Action != "rework" || tk.Status != domain.TicketInProgress || tk.ReopenCount != 1 {
			t.Fatalf("rework: %+v %v status %s reopen %d", ev, err, tk.Status, tk.ReopenCount)
		}
		if !tk.ResolveClock.Due.Equal(now.AddDate(0, 0, 10)) {
			t.Fatalf("new clock due %s", tk.ResolveClock.Due)
		}
	})

	t.Run("BasicallySatisfiedCloses", func(t *testing.T) {
		t.Parallel()
		tk := ticketIn(domain.TicketResolved)
		if _, err := tk.Rate(portal, domain.Rating{Solved: 3, Attitude: 1}, days{}, now); err != nil || tk.Status != domain.TicketClosed {
			t.Fatalf("solved 3: %v %s", err, tk.Status)
		}
	})

	t.Run("ExtensionApprovalMovesTheDeadline", func(t *testing.T) {
		t.Parallel()
		tk := ticketIn(domain.TicketInProgress)
		due := tk.ResolveClock.Due
		if _, err := tk.ApproveExtension(dispatcher, days{}, now); domain.ErrorCode(err) != domain.ETRANSITION {
			t.Fatalf("approve without a request: %v", err)
		}
		if _, err := tk.RequestExtension(officer, 0, "x", now); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("0 days: %v", err)
		}
		if _, err := tk.RequestExtension(officer, 3, "需现场踏勘", now); err != nil {
			t.Fatal(err)
		}
		if _, err := tk.RequestExtension(officer, 2, "再次申请", now); domain.ErrorCode(err) != domain.ETRANSITION {
			t.Fatalf("a second pending request: %v", err)
		}
		if _, err := tk.ApproveExtension(dispatcher, days{}, now); err != nil || !tk.ResolveClock.Due.Equal(due.AddDate(0, 0, 3)) || tk.Extension != nil {
			t.Fatalf("approved: %v due %s", err, tk.ResolveClock.Due)
		}
	})

	t.Run("AutoCloseOnlyWhileWaitingForARating", func(t *testing.T) {
		t.Parallel()
		tk := ticketIn(domain.TicketResolved)
		if _, err := tk.AutoClose(now); err != nil || tk.Status != domain.TicketClosed || !tk.Rating.Auto {
			t.Fatalf("auto close: %v %s", err, tk.Status)
		}
		if _, err := tk.AutoClose(now); domain.ErrorCode(err) != domain.ETRANSITION {
			t.Fatalf("auto close twice: %v", err)
		}
	})

	t.Run("LightFollowsTheRunningClock", func(t *testing.T) {
		t.Parallel()
		tk := ticketIn(domain.TicketInProgress)
		for at, want := range map[time.Time]domain.Light{
			now: domain.LightGreen, now.AddDate(0, 0, 4): domain.LightYellow, now.AddDate(0, 0, 5): domain.LightYellow,
			now.AddDate(0, 0, 5).Add(time.Second): domain.LightRed,
		} {
			if got := tk.Light(at); got != want {
				t.Errorf("at %s light %s, want %s", at, got, want)
			}
		}
		tk.Status = domain.TicketResolved
		if got := tk.Light(now.AddDate(1, 0, 0)); got != domain.LightNone {
			t.Errorf("a resolved ticket's light %s, want none", got)
		}
	})

	t.Run("EnterpriseCommentsArePublic", func(t *testing.T) {
		t.Parallel()
		if _, err := ticketIn(domain.TicketInProgress).Comment(portal, "内部", true, now); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("internal comment by the enterprise: %v", err)
		}
	})
}

func TestInboxes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		by         *domain.Actor
		statuses   string
		extensions bool
		portfolio  bool
	}{
		{dispatcher, "[submitted accepted returned]", true, false},
		{officer, "[assigned in_progress]", false, false},
		{steward, "[submitted accepted assigned in_progress returned resolved]", false, true},
		{leader, "[submitted accepted assigned in_progress returned resolved]", false, true},
		{portal, "[submitted accepted assigned in_progress returned resolved]", false, false},
	} {
		in := domain.InboxOf(tc.by)
		if fmt.Sprint(in.Statuses) != tc.statuses || in.Extensions != tc.extensions || in.Portfolio != tc.portfolio {
			t.Errorf("%s's inbox %+v, want %s extensions %v portfolio %v", tc.by.Role, in, tc.statuses, tc.extensions, tc.portfolio)
		}
	}
}
