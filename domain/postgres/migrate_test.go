package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("ConcurrentFirstRunsMigrateOnce", func(t *testing.T) {
		t.Parallel()
		db, err := postgres.Open(ctx, pgtest.EmptyURL(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		st, err := postgres.Status(ctx, db.SQL)
		if err != nil {
			t.Fatal(err)
		}
		if st.Pending() != len(st) {
			t.Fatalf("empty database: %d of %d pending, want all", st.Pending(), len(st))
		}
		if err := db.Ready(ctx); err == nil {
			t.Fatal("Ready on an unmigrated database = nil, want an error")
		}

		// Three processes starting at once: the advisory lock lets one migrate; the others wait
		// and find nothing left to do.
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = postgres.Migrate(ctx, db.SQL)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("concurrent Migrate: %v", err)
			}
		}
		st, err = postgres.Status(ctx, db.SQL)
		if err != nil {
			t.Fatal(err)
		}
		if st.Pending() != 0 {
			t.Fatalf("after Migrate %d pending: %+v", st.Pending(), st)
		}
		var recorded int
		if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&recorded); err != nil {
			t.Fatal(err)
		}
		ours := 0
		for _, m := range st {
			if !strings.HasPrefix(m.Name, "river ") {
				ours++
			}
		}
		if recorded != ours {
			t.Fatalf("schema_migrations has %d rows, want %d (each migration once)", recorded, ours)
		}
		if err := db.Ready(ctx); err != nil {
			t.Fatalf("Ready after Migrate: %v", err)
		}
	})
}
