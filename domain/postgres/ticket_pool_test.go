package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"steward/domain"
	"steward/domain/postgres"
)

// TestTicketListsOnThePoolGiveUpAsUnavailable: the lists run on the pool past database/sql, and
// still wait for a connection at most AcquireTimeout (503 unavailable, not a queue without end)
// and stop with their request.
func TestTicketListsOnThePoolGiveUpAsUnavailable(t *testing.T) {
	t.Parallel()
	b := newTicketBundle(t)
	tk := b.submit(t)
	if l, err := b.tickets.Tickets(sysCtx, domain.TicketFilter{}, domain.Page{Limit: 50}); err != nil || len(l.Items) != 1 {
		t.Fatalf("Tickets = %v, %v; want the one ticket", l, err)
	}
	if got, err := b.tickets.Ticket(sysCtx, tk.ID); err != nil || got.ID != tk.ID {
		t.Fatalf("Ticket = %v, %v", got, err)
	}

	cancelled, cancel := context.WithCancel(sysCtx)
	cancel()
	if _, err := b.tickets.Tickets(cancelled, domain.TicketFilter{}, domain.Page{Limit: 50}); err == nil {
		t.Error("a list of a cancelled request answered")
	}

	// Hold every connection of the pool (database/sql's idle ones included: they are the pool's).
	var held []*pgxpool.Conn
	t.Cleanup(func() {
		for _, c := range held {
			c.Release()
		}
	})
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		c, err := b.db.Pool.Acquire(ctx)
		cancel()
		if err != nil {
			break
		}
		held = append(held, c)
	}
	began := time.Now()
	_, err := b.tickets.Tickets(sysCtx, domain.TicketFilter{}, domain.Page{Limit: 50})
	took := time.Since(began)
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.EUNAVAILABLE {
		t.Fatalf("a list with the pool exhausted: %v; want EUNAVAILABLE", err)
	}
	if took < postgres.AcquireTimeout || took > postgres.AcquireTimeout+3*time.Second {
		t.Errorf("a list with the pool exhausted gave up after %s; want about %s", took, postgres.AcquireTimeout)
	}
}
