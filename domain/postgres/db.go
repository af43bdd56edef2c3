// Package postgres stores Steward's domain in PostgreSQL with bun over one pgx pool. It owns
// transactions: a change, its audit record and the jobs that follow from it are written together.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// DB is the one pgx pool and the two views of it the program uses: database/sql for bun and
// River, and the pool itself for River's LISTEN connection and pool statistics.
type DB struct {
	Pool *pgxpool.Pool
	SQL  *sql.DB
	Bun  *bun.DB
	// Now is the clock; tests replace it.
	Now func() time.Time
	// River inserts jobs; the program sets it once the client exists (insert-only where no
	// jobs are worked).
	River *river.Client[*sql.Tx]
	// hooks see the queries that run on Pool past bun (AddQueryHook).
	hooks []bun.QueryHook
}

// AddQueryHook adds h to bun's query hooks and to those of the queries that bun builds but that
// run on the pool itself (the ticket lists): a hook added to Bun alone does not see those.
func (db *DB) AddQueryHook(h bun.QueryHook) {
	db.Bun.AddQueryHook(h)
	db.hooks = append(db.hooks, h)
}

// afterQuery tells the hooks of a query run on the pool past bun, as bun would after it ran.
func (db *DB) afterQuery(ctx context.Context, query string, err error) {
	if len(db.hooks) == 0 {
		return
	}
	e := &bun.QueryEvent{DB: db.Bun, Query: query, StartTime: time.Now(), Err: err}
	for _, h := range db.hooks {
		ctx = h.BeforeQuery(ctx, e)
	}
	for i := len(db.hooks) - 1; i >= 0; i-- {
		db.hooks[i].AfterQuery(ctx, e)
	}
}

// acquire takes a connection of the pool for a query that runs past database/sql, waiting at
// most AcquireTimeout like database/sql's connector (acquireTimeout) does.
func (db *DB) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	actx, cancel := context.WithTimeout(ctx, AcquireTimeout)
	defer cancel()
	conn, err := db.Pool.Acquire(actx)
	if err != nil && actx.Err() != nil {
		return nil, &unavailableError{fmt.Errorf("no free database connection within %s: %w", AcquireTimeout, err)}
	}
	return conn, err
}

// Open connects to the database at url. Unless the URL sets pool_max_conns, the pool holds up to
// 4 connections per CPU and at least 16, enough for the API and the workers together.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = int32(max(16, 4*runtime.NumCPU()))
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.RuntimeParams["application_name"] = "steward"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	// database/sql takes its connections from the pool through a connector that waits at
	// most AcquireTimeout: with every connection busy (slow requests), a request answers 503
	// unavailable then instead of queueing for as long as its client waits.
	sqlDB := sql.OpenDB(acquireTimeout{stdlib.GetPoolConnector(pool), AcquireTimeout})
	return &DB{
		Pool: pool,
		SQL:  sqlDB,
		Bun:  bun.NewDB(sqlDB, pgdialect.New()),
		Now:  time.Now,
	}, nil
}

// AcquireTimeout is how long a statement waits for a free connection of the pool.
var AcquireTimeout = 5 * time.Second

// acquireTimeout bounds how long Connect waits for the pool. The deadline applies to the
// acquisition only, never to the statement that uses the connection.
type acquireTimeout struct {
	driver.Connector
	d time.Duration
}

func (c acquireTimeout) Connect(ctx context.Context) (driver.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.d)
	defer cancel()
	conn, err := c.Connector.Connect(ctx)
	if err != nil && ctx.Err() != nil {
		return nil, &unavailableError{fmt.Errorf("no free database connection within %s: %w", c.d, err)}
	}
	return conn, err
}

// Close closes the pool.
func (db *DB) Close() {
	_ = db.SQL.Close()
	db.Pool.Close()
}

// Ready reports whether the database answers and every migration is applied.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.Pool.Ping(ctx); err != nil {
		return &unavailableError{err}
	}
	st, err := Status(ctx, db.SQL)
	if err != nil {
		return err
	}
	if n := st.Pending(); n > 0 {
		return fmt.Errorf("%d migrations pending; run steward migrate", n)
	}
	return nil
}

// InTx runs fn in a transaction and commits when it returns nil. A transaction PostgreSQL
// aborted to break a deadlock or a serialization conflict is run again, up to three times in
// all: fn must only write through tx, and whatever it counts outside tx must be taken after
// InTx returns, not added up inside fn (a retried fn would count twice).
func (db *DB) InTx(ctx context.Context, fn func(tx bun.Tx) error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = db.Bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return fn(tx) })
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || (pgErr.Code != "40P01" && pgErr.Code != "40001") {
			break
		}
	}
	return translate(err)
}

type unavailableError struct{ err error }

func (e *unavailableError) Error() string { return "database unavailable: " + e.err.Error() }
func (e *unavailableError) Unwrap() error { return e.err }

// IsUnavailable reports whether err says the database could not be reached.
func IsUnavailable(err error) bool {
	var u *unavailableError
	return errors.As(err, &u)
}

// enqueue inserts a job in the transaction of the change it follows from, so the job exists if
// and only if the change committed.
func (db *DB) enqueue(ctx context.Context, tx bun.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if db.River == nil {
		return errors.New("no job queue: the River client was not set on the database")
	}
	_, err := db.River.InsertTx(ctx, tx.Tx, args, opts)
	return err
}
