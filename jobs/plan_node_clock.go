package jobs

import (
	"context"
	"errors"

	"github.com/riverqueue/river"

	"steward/domain"
)

// planNodeClockWorker reminds of an approval-plan node's clock reaching a level (warn, due,
// escalate): it re-reads the plan (locked against moves meanwhile) and sends what
// domain.Plan.NodeNotice says — the department's officers and head at warn, the project's
// steward and leader too at due, the dispatchers too at escalate — or nothing once the node is
// done or waived or its due time moved. Safe to run twice: a notice is recorded once per
// recipient and key.
type planNodeClockWorker struct {
	river.WorkerDefaults[domain.PlanNodeClockArgs]
	deps Deps
}

func (w *planNodeClockWorker) Work(ctx context.Context, job *river.Job[domain.PlanNodeClockArgs]) error {
	if w.deps.Plans == nil {
		return river.JobCancel(errNoPlans)
	}
	_, err := w.deps.Plans.NotifyAboutNode(ctx, job.Args.PlanID, func(p *domain.Plan) *domain.Notice {
		return p.NodeNotice(job.Args)
	})
	return err
}

var errNoPlans = errors.New("plan_node_clock: this process was started without the plan service")
