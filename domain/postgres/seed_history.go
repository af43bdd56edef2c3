package postgres

import (
	"context"
	"fmt"
	"time"

	"steward/domain"
	"steward/domain/postgres/demodata"
)

// demoCategories are the default categories' fixed ids by name, and the department each kind of
// request goes to in the demo district.
var demoCategories = map[string]struct {
	id   string
	dept int // index into seeder.handling
}{
	"政策咨询": {"01900000-0000-7000-8000-000000000001", 2}, "审批许可": {"01900000-0000-7000-8000-000000000002", 1},
	"用地": {"01900000-0000-7000-8000-000000000003", 0}, "用电": {"01900000-0000-7000-8000-000000000004", 6},
	"用水": {"01900000-0000-7000-8000-000000000005", 7}, "用气": {"01900000-0000-7000-8000-000000000006", 8},
	"基础设施": {"01900000-0000-7000-8000-000000000007", 1}, "其他": {"01900000-0000-7000-8000-000000000008", 3},
}

// actorOf acts as u.
func actorOf(ctx context.Context, u *domain.User) context.Context {
	return domain.WithActor(ctx, &domain.Actor{UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName,
		Role: u.Role, DepartmentID: u.DepartmentID, EnterpriseID: u.EnterpriseID})
}

// history writes a year of the district's life: stewards' visits at their cadence, some raising
// tickets, and tickets in every status, each move made on its own day (the seeder moves the
// clock), so that timelines, due dates and lights look as they would.
func (s *seeder) history() error {
	realNow := s.db.Now
	clock := s.now
	s.db.Now = func() time.Time { return clock }
	defer func() { s.db.Now = realNow }()
	at := func(t time.Time) { clock = t }

	cal := NewCalendarService(s.db)
	notifier := NewNotifier(s.db, WorkingTimeOf(cal))
	tickets := NewTicketService(s.db, WorkingDaysOf(cal), notifier)
	visits := NewVisitService(s.db, tickets)
	// The steward who serves the enterprise now (one in six changed steward during the year).
	stewardOf := func(i int) *domain.User {
		if i%6 == 5 {
			return s.stewards[(i+1)%demoStewards]
		}
		return s.stewards[i%demoStewards]
	}

	// Visits: each enterprise every four to eight weeks over the past year.
	for i, e := range s.enterprises {
		for day := 350 - s.r.IntN(40); day > 3; day -= 28 + s.r.IntN(28) {
			when := s.now.AddDate(0, 0, -day).Add(time.Duration(9+s.r.IntN(8)) * time.Hour)
			at(when.Add(2 * time.Hour))
			summary, findings := demodata.VisitSummary(s.r)
			v := &domain.Visit{EnterpriseID: e.ID, VisitedAt: when, Kind: []domain.VisitKind{domain.VisitOnsite, domain.VisitOnsite,
				domain.VisitPhone, domain.VisitMeeting, domain.VisitOnline}[s.r.IntN(5)], Summary: summary, Findings: findings,
				Attendees: []string{e.Contacts[0].Name, stewardOf(i).DisplayName}}
			if _, err := visits.CreateVisit(actorOf(s.ctx, stewardOf(i)), v, nil, "", ""); err != nil {
				return fmt.Errorf("visit: %w", err)
			}
		}
	}

	// Tickets in every status, more of them closed, spread over the year.
	statuses := []domain.TicketStatus{domain.TicketSubmitted, domain.TicketAccepted, domain.TicketRejected, domain.TicketAssigned,
		domain.TicketInProgress, domain.TicketReturned, domain.TicketResolved}
	for n := 0; n < 240; n++ {
		target := domain.TicketClosed
		if n < len(statuses)*6 {
			target = statuses[n%len(statuses)]
		}
		k := s.r.IntN(len(s.enterprises))
		if n%5 == 0 { // the portal enterprises have more, so their users have something to rate
			k = s.r.IntN(demoPortal)
		}
		e := s.enterprises[k]
		category, title, description := demodata.TicketIdea(s.r)
		cat := demoCategories[category]
		dept := s.handling[cat.dept]
		age := 5 + s.r.IntN(330)
		if target != domain.TicketClosed && target != domain.TicketRejected {
			age = 1 + s.r.IntN(20) // open tickets are recent
		}
		if target == domain.TicketSubmitted {
			age = 0
		}
		start := s.now.AddDate(0, 0, -age).Add(-time.Duration(s.r.IntN(6)) * time.Hour)
		at(start)
		by := stewardOf(k)
		if p, ok := s.portal[e.ID]; ok && n%2 == 0 {
			by = p
		}
		t := &domain.Ticket{EnterpriseID: e.ID, CategoryID: cat.id, Title: title, Description: description,
			Priority: []domain.Priority{domain.PriorityNormal, domain.PriorityNormal, domain.PriorityNormal, domain.PriorityUrgent}[s.r.IntN(4)]}
		if _, err := tickets.CreateTicket(actorOf(s.ctx, by), t, "", ""); err != nil {
			return fmt.Errorf("ticket: %w", err)
		}
		version := 1
		step := func(who *domain.User, hours int, act domain.TicketAction) error {
			clock = clock.Add(time.Duration(hours) * time.Hour)
			if clock.After(s.now) {
				clock = s.now
			}
			updated, err := tickets.Act(actorOf(s.ctx, who), t.ID, version, act)
			if err != nil {
				return fmt.Errorf("ticket %s %s: %w", t.Number, act.Name, err)
			}
			*t, version = *updated, updated.Version
			return nil
		}
		officer := s.officers[dept.ID]
		plan := []struct {
			who   *domain.User
			hours int
			act   domain.TicketAction
			until domain.TicketStatus // stop once the ticket reached target
		}{
			{s.dispatcher, 3, domain.TicketAction{Name: "accept"}, domain.TicketAccepted},
			{s.dispatcher, 2, domain.TicketAction{Name: "assign", Department: dept.ID}, domain.TicketAssigned},
			{officer, 5, domain.TicketAction{Name: "sign"}, domain.TicketInProgress},
			{officer, 24 * (2 + s.r.IntN(10)), domain.TicketAction{Name: "resolve", Resolution: "已协调相关部门办理完毕，并电话回访企业确认。"}, domain.TicketResolved},
		}
		switch target {
		case domain.TicketSubmitted:
			continue
		case domain.TicketRejected:
			if err := step(s.dispatcher, 4, domain.TicketAction{Name: "reject", Reason: "该事项属于企业内部经营事务，不属于政府部门受理范围。"}); err != nil {
				return err
			}
			continue
		case domain.TicketReturned:
			plan = plan[:2]
		}
		for _, p := range plan {
			if err := step(p.who, p.hours, p.act); err != nil {
				return err
			}
			if t.Status == target {
				break
			}
		}
		if target == domain.TicketReturned {
			if err := step(officer, 6, domain.TicketAction{Name: "return", Reason: "经核实该事项不属于本单位职责，请重新分派。"}); err != nil {
				return err
			}
		}
		if target == domain.TicketClosed {
			if p, ok := s.portal[e.ID]; ok {
				solved := []int{5, 5, 4, 4, 3, 2}[s.r.IntN(6)]
				if err := step(p, 30, domain.TicketAction{Name: "rate", Rating: domain.Rating{Solved: solved, Attitude: 4 + s.r.IntN(2),
					Tags: []string{"办事高效"}}}); err != nil {
					return err
				}
				if t.Status != domain.TicketClosed { // reworked: resolved again and accepted this time
					if err := step(officer, 48, domain.TicketAction{Name: "resolve", Resolution: "已按企业意见重新办理。"}); err != nil {
						return err
					}
					if err := step(p, 20, domain.TicketAction{Name: "rate", Rating: domain.Rating{Solved: 4, Attitude: 5}}); err != nil {
						return err
					}
				}
			} else {
				clock = clock.AddDate(0, 0, 12)
				if err := tickets.CloseUnrated(s.ctx, domain.RatingFollowupArgs{TicketID: t.ID, Step: domain.RatingClose, ResolvedAt: *t.ResolvedAt}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
