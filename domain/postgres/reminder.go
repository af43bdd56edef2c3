package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"steward/domain"
)

// Reminders implements domain.Reminders: what the reminder jobs do.
type Reminders struct {
	db       *DB
	tickets  *TicketService
	visits   *VisitService
	projects *ProjectService
	notifier *Notifier
	calendar func(ctx context.Context) (domain.WorkingTime, error)
}

// NewReminders returns the reminders over the given services.
func NewReminders(db *DB, tickets *TicketService, visits *VisitService, projects *ProjectService, notifier *Notifier) *Reminders {
	return &Reminders{db: db, tickets: tickets, visits: visits, projects: projects, notifier: notifier, calendar: notifier.Calendar}
}

var _ domain.Reminders = (*Reminders)(nil)

var system = func(ctx context.Context) context.Context { return domain.WithActor(ctx, domain.System) }

func (rm *Reminders) NotifyAbout(ctx context.Context, ticketID string, rule func(*domain.Ticket) *domain.Notice) (int, error) {
	ctx = system(ctx)
	var k int // counted once the transaction commits
	err := rm.db.InTx(ctx, func(tx bun.Tx) error {
		k = 0
		// FOR SHARE: no move can stop or shift the clock between the check and the notice.
		var r ticketRow
		if err := tx.NewSelect().Model(&r).ColumnExpr("t.*, e.name AS enterprise_name").Join("JOIN enterprises e ON e.id = t.enterprise_id").
			Where("t.id = ?", ticketID).For("SHARE OF t").Scan(ctx); err != nil {
			if err := translate(err); domain.ErrorCode(err) != domain.ENOTFOUND {
				return err
			}
			return nil
		}
		n := rule(r.toDomain())
		if n == nil {
			return nil
		}
		var err error
		k, err = rm.notifier.Send(ctx, tx, *n)
		return err
	})
	if err != nil {
		return 0, err
	}
	return k, nil
}

func (rm *Reminders) CloseUnrated(ctx context.Context, args domain.RatingFollowupArgs) error {
	return rm.tickets.CloseUnrated(ctx, args)
}

func (rm *Reminders) SweepVisits(ctx context.Context) (int, error) {
	ctx = system(ctx)
	wt, err := rm.calendar(ctx)
	if err != nil {
		return 0, err
	}
	now := rm.db.Now()
	if !wt.IsWorkingDayAt(now) {
		return 0, nil
	}
	due, err := rm.visits.DueVisits(ctx, "")
	if err != nil {
		return 0, err
	}
	today := domain.Today(now)
	sent := 0
	for _, d := range due {
		recipients := []string{d.StewardID}
		if d.State == domain.VisitOverdue && today.Sub(d.DueOn) > 7*24*time.Hour {
			recipients = append(recipients, d.LeaderID)
		}
		what := "应于" + d.DueOn.Format("1月2日") + "前走访"
		if d.State == domain.VisitOverdue {
			what = fmt.Sprintf("走访已逾期%d天", int(today.Sub(d.DueOn).Hours()/24))
		}
		n := domain.Notification{Kind: domain.NotifyVisitDue, Title: d.SubjectName + "：" + what,
			Body: "按走访频次，" + d.SubjectName + what + "。", Link: "/visits/new?subject=" + d.SubjectID}
		var k int // counted once the transaction commits: a retried one must not count twice
		err := rm.db.InTx(ctx, func(tx bun.Tx) error {
			var err error
			k, err = rm.notifier.Notify(ctx, tx, n, recipients, "visit:"+d.AssignmentID+":"+today.Format(time.DateOnly))
			return err
		})
		if err != nil {
			return sent, err
		}
		sent += k
	}
	return sent, nil
}

type digestRow struct {
	LeaderID    string `bun:"leader_id"`
	OpenTickets int    `bun:"open_tickets"`
	RedTickets  int    `bun:"red_tickets"`
	Visits      int    `bun:"visits"`
	Moved       int    `bun:"moved"`
	RedProjects int    `bun:"red_projects"`
}

func (rm *Reminders) SendDigests(ctx context.Context) (int, error) {
	ctx = system(ctx)
	now := rm.db.Now()
	weekAgo := now.AddDate(0, 0, -7)
	var rows []digestRow
	err := rm.db.Bun.NewRaw(`
		WITH mine AS (
			SELECT u.id AS leader_id, p.enterprise_id
			FROM users u JOIN assignments a ON a.leader_id = u.id AND a.to_date IS NULL
				JOIN LATERAL (SELECT a.subject_id AS enterprise_id WHERE a.subject_type = 'enterprise'
					UNION SELECT pr.enterprise_id FROM projects pr WHERE a.subject_type = 'project' AND pr.id = a.subject_id) p ON true
			WHERE u.role = 'leader' AND u.status = 'active'
		)
		SELECT l.id AS leader_id,
			(SELECT count(*) FROM tickets t WHERE t.enterprise_id IN (SELECT enterprise_id FROM mine WHERE leader_id = l.id)
				AND t.status NOT IN ('rejected', 'closed')) AS open_tickets,
			(SELECT count(*) FROM tickets t WHERE t.enterprise_id IN (SELECT enterprise_id FROM mine WHERE leader_id = l.id)
				AND t.clock_due_at < ?) AS red_tickets,
			(SELECT count(*) FROM visits v WHERE v.enterprise_id IN (SELECT enterprise_id FROM mine WHERE leader_id = l.id)
				AND v.visited_at >= ?) AS visits,
			(SELECT count(*) FROM project_stage_moves sm JOIN projects p ON p.id = sm.project_id
				WHERE p.enterprise_id IN (SELECT enterprise_id FROM mine WHERE leader_id = l.id) AND sm.at >= ? AND sm.from_stage <> '') AS moved,
			(SELECT count(*) FROM projects p WHERE p.enterprise_id IN (SELECT enterprise_id FROM mine WHERE leader_id = l.id)
				AND p.light = 'red') AS red_projects
		FROM users l WHERE l.role = 'leader' AND l.status = 'active'`, now, weekAgo, weekAgo).Scan(ctx, &rows)
	if err != nil {
		return 0, translate(err)
	}
	year, week := now.In(domain.Shanghai).ISOWeek()
	sent := 0
	for _, r := range rows {
		n := domain.Notification{Kind: domain.NotifyLeaderDigest, Link: "/",
			Title: fmt.Sprintf("包保周报（%d年第%d周）", year, week),
			Body: fmt.Sprintf("在办诉求%d件，其中超期%d件；本周走访%d次；项目推进%d次，进度滞后（红灯）项目%d个。",
				r.OpenTickets, r.RedTickets, r.Visits, r.Moved, r.RedProjects)}
		var k int // counted once the transaction commits: a retried one must not count twice
		err := rm.db.InTx(ctx, func(tx bun.Tx) error {
			var err error
			k, err = rm.notifier.Notify(ctx, tx, n, []string{r.LeaderID}, fmt.Sprintf("digest:%d-%02d", year, week))
			return err
		})
		if err != nil {
			return sent, err
		}
		sent += k
	}
	return sent, nil
}

func (rm *Reminders) WatchProjects(ctx context.Context) (int, error) {
	ctx = system(ctx)
	var ids []string
	if err := rm.db.Bun.NewSelect().Table("projects").Column("id").Where("stage <> 'cancelled'").Scan(ctx, &ids); err != nil {
		return 0, translate(err)
	}
	turned := 0
	for _, id := range ids {
		red := false // counted once the transaction commits
		err := rm.db.InTx(ctx, func(tx bun.Tx) error {
			red = false
			var r projectRow
			if err := tx.NewSelect().Model(&r).Where("p.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
				return translate(err)
			}
			was := r.Light
			rm.projects.relight(&r)
			if r.Light == was {
				return nil
			}
			if _, err := tx.NewUpdate().Model(&r).Column("light").WherePK().Exec(ctx); err != nil {
				return translate(err)
			}
			if r.Light != string(domain.LightRed) {
				return nil
			}
			red = true
			var asg []assignmentRow
			if err := tx.NewSelect().Model(&asg).Where("to_date IS NULL").
				Where("(subject_type = 'project' AND subject_id = ?) OR (subject_type = 'enterprise' AND subject_id = ?)", r.ID, r.EnterpriseID).
				Scan(ctx); err != nil {
				return translate(err)
			}
			var recipients []string
			for _, a := range asg {
				recipients = append(recipients, a.StewardID, a.LeaderID)
			}
			p := rm.projects.view(&r)
			n := domain.Notification{Kind: domain.NotifyProjectRed, Link: "/projects/" + r.ID,
				Title: "项目进度亮红灯：" + r.Name, Body: fmt.Sprintf("%s（序时进度%.0f%%，实际%.0f%%）。", p.Progress.Reason, p.Progress.Expected, p.Progress.Actual)}
			_, err := rm.notifier.Notify(ctx, tx, n, recipients, "project_red:"+r.ID+":"+domain.Today(rm.db.Now()).Format(time.DateOnly))
			return err
		})
		if err != nil {
			return turned, err
		}
		if red {
			turned++
		}
	}
	return turned, nil
}
