package postgres

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector returns a Prometheus collector of the pool's statistics, read at scrape time, and
// River's job counts by state, counted at most every JobCountsTTL: however often and by however
// many scrapers /metrics is read, the job table is counted a few times a minute at most.
func (db *DB) Collector() prometheus.Collector { return &collector{db: db} }

// JobCountsTTL is how long River's job counts are served from the last count.
const JobCountsTTL = 5 * time.Second

type collector struct {
	db *DB

	mu      sync.Mutex
	counted time.Time // when counts were read; zero before the first scrape
	counts  map[string]float64
}

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

	for state, n := range c.jobCounts() {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, n, state)
	}
}

// jobCounts returns River's job counts by state, counted again when the last count is older than
// JobCountsTTL; nil when the database cannot say (it is down or not migrated; /readyz says so).
func (c *collector) jobCounts() map[string]float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts != nil && time.Since(c.counted) < JobCountsTTL {
		return c.counts
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts := map[string]float64{}
	for _, s := range []string{"available", "scheduled", "running", "retryable", "completed", "cancelled", "discarded", "pending"} {
		counts[s] = 0
	}
	rows, err := c.db.Pool.Query(ctx, `SELECT state::text, count(*) FROM river_job GROUP BY state`)
	if err != nil {
		return nil
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
		return nil
	}
	c.counts, c.counted = counts, time.Now()
	return counts
}
