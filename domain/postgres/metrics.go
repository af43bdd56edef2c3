package postgres

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector returns a Prometheus collector of the pool's statistics and River's job counts by
// state, read at scrape time.
func (db *DB) Collector() prometheus.Collector { return &collector{db: db} }

type collector struct{ db *DB }

var (
	poolConnsDesc = prometheus.NewDesc("steward_db_pool_connections",
		"Connections in the pool by state.", []string{"state"}, nil)
	poolMaxDesc = prometheus.NewDesc("steward_db_pool_max_connections",
		"The pool's connection limit.", nil, nil)
	poolAcquiresDesc = prometheus.NewDesc("steward_db_pool_acquires_total",
		"Connections acquired from the pool.", nil, nil)
	poolWaitDesc = prometheus.NewDesc("steward_db_pool_acquire_wait_seconds_total",
		"Time spent waiting for a connection.", nil, nil)
	jobsDesc = prometheus.NewDesc("steward_river_jobs",
		"River jobs by state.", []string{"state"}, nil)
)

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConnsDesc, poolMaxDesc, poolAcquiresDesc, poolWaitDesc, jobsDesc} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	st := c.db.Pool.Stat()
	ch <- prometheus.MustNewConstMetric(poolConnsDesc, prometheus.GaugeValue, float64(st.AcquiredConns()), "acquired")
	ch <- prometheus.MustNewConstMetric(poolConnsDesc, prometheus.GaugeValue, float64(st.IdleConns()), "idle")
	ch <- prometheus.MustNewConstMetric(poolConnsDesc, prometheus.GaugeValue, float64(st.ConstructingConns()), "constructing")
	ch <- prometheus.MustNewConstMetric(poolMaxDesc, prometheus.GaugeValue, float64(st.MaxConns()))
	ch <- prometheus.MustNewConstMetric(poolAcquiresDesc, prometheus.CounterValue, float64(st.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaitDesc, prometheus.CounterValue, st.AcquireDuration().Seconds())

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts := map[string]float64{}
	for _, s := range []string{"available", "scheduled", "running", "retryable", "completed", "cancelled", "discarded", "pending"} {
		counts[s] = 0
	}
	rows, err := c.db.Pool.Query(ctx, `SELECT state::text, count(*) FROM river_job GROUP BY state`)
	if err != nil {
		return // the database is down or not migrated; /readyz says so
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int64
		if rows.Scan(&state, &n) == nil {
			counts[state] = float64(n)
		}
	}
	if rows.Err() != nil {
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, n, state)
	}
}
