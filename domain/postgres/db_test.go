package postgres_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// TestInTxRetriesADeadlock makes two transactions lock two rows in opposite orders. PostgreSQL
// aborts one of them to break the deadlock; InTx runs it again, so both changes commit exactly
// once and neither caller sees an error.
func TestInTxRetriesADeadlock(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.SQL.ExecContext(ctx, `INSERT INTO ticket_counters (year, last) VALUES (1, 0), (2, 0)`); err != nil {
		t.Fatal(err)
	}
	var attempts, commits atomic.Int32
	var locked sync.WaitGroup // both hold their first row: each second lock now waits on the other
	locked.Add(2)
	bump := func(first, second int) error {
		try := 0
		err := db.InTx(ctx, func(tx bun.Tx) error {
			try++
			attempts.Add(1)
			// Errors come back translated, as every service returns them.
			if _, err := tx.ExecContext(ctx, `UPDATE ticket_counters SET last = last + 1 WHERE year = ?`, first); err != nil {
				return postgres.Translate(err)
			}
			if try == 1 {
				locked.Done()
				locked.Wait()
			}
			_, err := tx.ExecContext(ctx, `UPDATE ticket_counters SET last = last + 1 WHERE year = ?`, second)
			return postgres.Translate(err)
		})
		if err == nil {
			commits.Add(1)
		}
		return err
	}
	errs := make(chan error, 2)
	go func() { errs <- bump(1, 2) }()
	go func() { errs <- bump(2, 1) }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("a deadlocked transaction was not retried: %v (code %s)", err, domain.ErrorCode(err))
		}
	}
	// At least one transaction ran again (a loaded machine may make a retry meet the other once
	// more); each committed once.
	if attempts.Load() < 3 || commits.Load() != 2 {
		t.Fatalf("%d attempts and %d commits, want a retry and 2 commits", attempts.Load(), commits.Load())
	}
	var sum int
	if err := db.SQL.QueryRowContext(ctx, `SELECT sum(last) FROM ticket_counters WHERE year IN (1, 2)`).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	if sum != 4 {
		t.Fatalf("the counters were bumped %d times, want 4: each transaction's two updates once", sum)
	}
}

// TestInTxGivesUpAsUnavailable: a transaction aborted every time is answered, after the retries,
// as EUNAVAILABLE (503), not as an internal error.
func TestInTxGivesUpAsUnavailable(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	n := 0
	err := db.InTx(context.Background(), func(tx bun.Tx) error {
		n++
		_, err := tx.ExecContext(context.Background(), `DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = '40001'; END $$`)
		return postgres.Translate(err)
	})
	if domain.ErrorCode(err) != domain.EUNAVAILABLE || n != 3 {
		t.Fatalf("after %d attempts: %v (code %s); want 3 attempts and EUNAVAILABLE", n, err, domain.ErrorCode(err))
	}
}
