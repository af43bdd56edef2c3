package postgres

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"steward/domain"
)

// The statistics cache. A statistic is a function of the data it counts and of the instant it
// is taken at (the SLA lights, the overdue opinions and nodes, today's date). An answer is kept
// with
//
//   - the data's generation (stats_generation, migration 0025): every transaction that writes a
//     table the statistics read bumps it before it commits. The generation is read before the
//     computation and again after it, and the answer is kept only when the two agree: every
//     query of the computation then saw the same committed data, the data of that generation
//     (snapshots only ever see more commits, and each one that matters adds to the count);
//   - the instants it holds for: from the instant it was taken at up to the next instant any
//     time-dependent part could change — the earliest running ticket clock due or warning, owed
//     opinion or open plan node due after it, and the next midnight in Beijing.
//
// A request is answered from the cache only when the generation it reads now is the answer's
// and its instant lies in the answer's span, so a cached answer is always the one a fresh
// computation would give: never stale, whatever writes run concurrently. Writes only make the
// next request compute anew. Concurrent requests for the same answer wait for one computation.

// statsCacheSize bounds the answers kept; past it, the outdated ones go, and if none is, all.
const statsCacheSize = 512

type statsEntry struct {
	gen         string
	from, until time.Time
	// stable: the generation was the same after the computation; only then may the answer be
	// kept or shared.
	stable bool
	v      any
}

func (e *statsEntry) holds(gen string, now time.Time) bool {
	return e.stable && e.gen == gen && !now.Before(e.from) && now.Before(e.until)
}

type statsCache struct {
	mu      sync.Mutex
	entries map[string]*statsEntry
	flight  singleflight.Group
}

func (c *statsCache) get(key string) *statsEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[key]
}

func (c *statsCache) put(key string, e *statsEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*statsEntry{}
	}
	if len(c.entries) >= statsCacheSize {
		for k, old := range c.entries {
			if old.gen != e.gen || !e.from.Before(old.until) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= statsCacheSize {
			clear(c.entries)
		}
	}
	c.entries[key] = e
}

// statsNowKey carries the instant a statistic is taken at through its computation, so that
// every part of it, and the cache's span, use the same one.
type statsNowKey struct{}

// now is the instant the statistics in ctx are taken at.
func (s *StatsService) now(ctx context.Context) time.Time {
	if t, ok := ctx.Value(statsNowKey{}).(time.Time); ok {
		return t
	}
	return s.db.Now()
}

// generation is the current generation of the data the statistics count: the counters' sum,
// and the counters' table itself, so that a restored database (whose counters may add up to the
// same number) is a new generation even for a server that kept running.
func (s *StatsService) generation(ctx context.Context) (string, error) {
	var table, n int64
	err := s.db.Pool.QueryRow(ctx, `SELECT 'stats_generation'::regclass::oid::bigint, coalesce(sum(n), 0)::bigint FROM stats_generation`).Scan(&table, &n)
	return strconv.FormatInt(table, 10) + "." + strconv.FormatInt(n, 10), translate(err)
}

// validUntil is the first instant after now at which a statistic taken at now may read
// differently without any write: a running ticket clock falls due (red from that instant) or
// warns (yellow just after), an owed opinion or an open plan node falls due, or the day
// changes in Beijing (the default period, the trends' months, the working days since).
func (s *StatsService) validUntil(ctx context.Context, now time.Time) (time.Time, error) {
	until := shanghaiMidnightAfter(now)
	var next *time.Time
	err := s.db.Pool.QueryRow(ctx, `SELECT least(
		(SELECT min(clock_due_at) FROM tickets WHERE clock_due_at >= $1),
		(SELECT min(clock_warn_at) FROM tickets WHERE clock_warn_at > $1),
		(SELECT min(due_at) FROM plan_nodes WHERE status IN ('ready', 'in_progress', 'blocked') AND due_at >= $1),
		(SELECT min((o->>'due_at')::timestamptz) FROM tickets t CROSS JOIN LATERAL jsonb_array_elements(t.opinions) o
			WHERE t.opinions <> '[]'::jsonb AND o->>'status' = 'owed' AND (o->>'due_at')::timestamptz >= $1))`, now).Scan(&next)
	if err != nil {
		return time.Time{}, translate(err)
	}
	if next != nil && next.Before(until) {
		until = *next
	}
	return until, nil
}

func shanghaiMidnightAfter(t time.Time) time.Time {
	d := t.In(domain.Shanghai)
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, domain.Shanghai)
}

// cached answers key at the instant of q from the cache, or computes it with compute (which
// gets a context carrying that instant, and brings the working days up to date first).
func (s *StatsService) cached(ctx context.Context, key string, now time.Time, compute func(context.Context) (any, error)) (any, error) {
	ctx = context.WithValue(ctx, statsNowKey{}, now)
	run := func(ctx context.Context) (any, error) {
		if err := s.calendar.syncWorkingDays(ctx, &s.synced); err != nil {
			return nil, err
		}
		return compute(ctx)
	}
	if s.NoCache {
		return run(ctx)
	}
	gen, err := s.generation(ctx)
	if err != nil {
		return nil, err
	}
	if e := s.cache.get(key); e != nil && e.holds(gen, now) {
		return e.v, nil
	}
	// One computation per answer and generation; a request that joins one started before its
	// own instant checks the span like a cached answer's. The computation does not stop with the
	// request that started it, as others may be waiting for it.
	leader := false
	shared, err, _ := s.cache.flight.Do(key+"@"+gen, func() (any, error) {
		leader = true
		ctx := context.WithoutCancel(ctx)
		v, err := run(ctx)
		if err != nil {
			return nil, err
		}
		e := &statsEntry{gen: gen, from: now, v: v}
		if e.until, err = s.validUntil(ctx, now); err != nil {
			return nil, err
		}
		after, err := s.generation(ctx)
		if err != nil {
			return nil, err
		}
		if e.stable = after == gen; e.stable {
			s.cache.put(key, e)
		}
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	e := shared.(*statsEntry)
	if leader || e.holds(gen, now) {
		return e.v, nil
	}
	// Data changed while it was computed, or it was taken at another instant: what it read may
	// predate a commit this request must see, so this request computes its own.
	return run(ctx)
}
