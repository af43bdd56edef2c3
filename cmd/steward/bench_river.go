package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/uptrace/bun"

	"steward/domain"
	"steward/domain/postgres"
	"steward/jobs"
)

// benchNoopArgs is River's own floor: a job that does nothing, on a queue configured like the
// deliveries' queue.
type benchNoopArgs struct{}

const benchNoopQueue = "bench_noop"

// benchWebhookName names the receiver the deliveries are posted to.
const benchWebhookName = "基准接收端"

func (benchNoopArgs) Kind() string { return "bench_noop" }
func (benchNoopArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: benchNoopQueue}
}

type benchNoopWorker struct {
	river.WorkerDefaults[benchNoopArgs]
}

func (benchNoopWorker) Work(context.Context, *river.Job[benchNoopArgs]) error { return nil }

// benchRiver works RiverJobs no-op jobs, then as many real deliver jobs — notifications posted
// to a JSON webhook on this machine that answers at once — on a River client with the
// program's queue settings, and compares their throughput. Both runs start with every job
// queued and end when the last is completed.
func benchRiver(ctx context.Context, env *benchEnv, rep *benchReport) error {
	db := env.db
	n := env.o.RiverJobs
	system := domain.WithActor(ctx, domain.System)

	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) //nolint:errcheck
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()
	targets := &domain.WebhookTargets{Loopback: true}
	webhooks := postgres.NewWebhookService(db)
	webhooks.Targets = targets
	// A run that was stopped half-way left its receiver's webhook and deliveries behind: they
	// would post to a port nobody listens on any more; deleted, its queued posts are given up.
	rows, err := db.Pool.Query(ctx, `SELECT id::text FROM webhooks WHERE name = $1 AND deleted_at IS NULL`, benchWebhookName)
	if err != nil {
		return err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, id := range stale {
		if err := webhooks.DeleteWebhook(system, id); err != nil {
			return err
		}
	}
	wh := &domain.Webhook{Name: benchWebhookName, Format: domain.WebhookJSON, URL: hook.URL + "/bench", Secret: "bench-secret-0123456789",
		Kinds: []domain.NotificationKind{domain.NotifyTicketDue}}
	if err := webhooks.CreateWebhook(system, wh); err != nil {
		return err
	}
	defer webhooks.DeleteWebhook(system, wh.ID) //nolint:errcheck

	workers := river.NewWorkers()
	river.AddWorker(workers, benchNoopWorker{})
	jobs.Register(workers, jobs.Deps{Logger: quietLogger(), Deliveries: postgres.NewDeliveryStore(db), WebhookTargets: targets})
	queues := jobs.Queues()
	queues[benchNoopQueue] = queues[domain.QueueDeliver]
	delete(queues, river.QueueDefault)
	newClient := func() (*river.Client[*sql.Tx], error) {
		return river.NewClient(riverdatabasesql.NewWithPgxListener(db.SQL, db.Pool), &river.Config{
			Logger: quietLogger(), Workers: workers, Queues: queues, ReindexerIndexNames: []string{}})
	}
	inserter, err := river.NewClient(riverdatabasesql.New(db.SQL), &river.Config{Logger: quietLogger()})
	if err != nil {
		return err
	}
	db.River = inserter

	// Work runs the client until every job of kind from id on is completed.
	work := func(kind string, from int64) (time.Duration, error) {
		c, err := newClient()
		if err != nil {
			return 0, err
		}
		start := time.Now()
		if err := c.Start(ctx); err != nil {
			return 0, err
		}
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			c.Stop(sctx) //nolint:errcheck
			cancel()
		}()
		deadline := start.Add(5 * time.Minute)
		for {
			var left int
			if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = $1 AND id >= $2 AND state <> 'completed'`,
				kind, from).Scan(&left); err != nil {
				return 0, err
			}
			if left == 0 {
				return time.Since(start), nil
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				return 0, fmt.Errorf("%d %s jobs still not completed", left, kind)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	maxID := func() (int64, error) {
		var id int64
		err := db.Pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) + 1 FROM river_job`).Scan(&id)
		return id, err
	}

	from, err := maxID()
	if err != nil {
		return err
	}
	params := make([]river.InsertManyParams, n)
	for i := range params {
		params[i] = river.InsertManyParams{Args: benchNoopArgs{}}
	}
	if _, err := inserter.InsertMany(ctx, params); err != nil {
		return err
	}
	noop, err := work("bench_noop", from)
	if err != nil {
		return err
	}

	// The deliveries: one recipient, urgent (so quiet hours do not hold them), one post each.
	var recipient string
	if err := db.Pool.QueryRow(ctx, `SELECT id::text FROM users WHERE username = 'bench1'`).Scan(&recipient); err != nil {
		return err
	}
	notifier := postgres.NewNotifier(db, postgres.WorkingTimeOf(postgres.NewCalendarService(db)))
	if from, err = maxID(); err != nil {
		return err
	}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	for done := 0; done < n; {
		if err := db.InTx(ctx, func(tx bun.Tx) error {
			for i := 0; i < 500 && done+i < n; i++ {
				note := domain.Notification{Kind: domain.NotifyTicketDue, Title: "基准通知", Body: "第 " + strconv.Itoa(done+i) + " 条",
					Link: "/tickets/bench", Urgent: true}
				if _, err := notifier.Notify(ctx, tx, note, []string{recipient}, "bench-"+run+"-"+strconv.Itoa(done+i)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		done += 500
	}
	deliver, err := work("deliver", from)
	if err != nil {
		return err
	}
	// The bench leaves no rows behind that a later run would count.
	db.Pool.Exec(ctx, `DELETE FROM river_job WHERE kind = 'bench_noop' OR (kind = 'deliver' AND id >= $1)`, from) //nolint:errcheck
	db.Pool.Exec(ctx, `DELETE FROM notifications WHERE link = '/tickets/bench'`)                                  //nolint:errcheck

	rep.River = benchRiverResult{Jobs: n, NoopSeconds: noop.Seconds(), DeliverSeconds: deliver.Seconds(),
		NoopPerSec: float64(n) / noop.Seconds(), DeliverPerSec: float64(n) / deliver.Seconds(), Workers: jobs.DeliverWorkers}
	rep.River.Ratio = rep.River.DeliverPerSec / rep.River.NoopPerSec
	return nil
}
