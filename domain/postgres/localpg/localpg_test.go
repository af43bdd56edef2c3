package localpg_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"steward/domain/postgres/localpg"
)

// stateDir returns a fresh state directory the postgres user can enter when tests run as root.
func stateDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "localpg-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func connect(t *testing.T, s *localpg.Server) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.URL("steward"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	return conn
}

func keptAnswer(t *testing.T, s *localpg.Server) {
	t.Helper()
	var answer int
	conn := connect(t, s)
	if err := conn.QueryRow(context.Background(), `SELECT answer FROM kept`).Scan(&answer); err != nil || answer != 42 {
		t.Fatalf("kept row = %d, %v; want 42", answer, err)
	}
	conn.Close(context.Background())
}

func TestServerKeepsDataAndSurvivesACrash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := stateDir(t)
	opts := localpg.Options{Dir: dir, NoSync: true}

	s, err := localpg.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureDatabase(ctx, "steward"); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, s)
	if _, err := conn.Exec(ctx, `CREATE TABLE kept AS SELECT 42 AS answer`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	s.Stop()
	if _, err := os.Stat(filepath.Join(dir, "pg", "postmaster.pid")); !os.IsNotExist(err) {
		t.Fatalf("postmaster.pid still there after Stop: %v", err)
	}

	t.Run("DataKeptAcrossRestart", func(t *testing.T) {
		s, err := localpg.Start(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Stop()
		keptAnswer(t, s)
	})

	t.Run("StalePidFileDoesNotStopStart", func(t *testing.T) {
		// A crash leaves postmaster.pid naming a PID that is now some other process.
		pid := fmt.Sprintf("%d\n%s/pg\n", os.Getpid(), dir)
		if err := os.WriteFile(filepath.Join(dir, "pg", "postmaster.pid"), []byte(pid), 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := localpg.Start(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		keptAnswer(t, s)
		s.Stop()
	})

	t.Run("StopLeavesNoProcess", func(t *testing.T) {
		s, err := localpg.Start(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(s.DataDir, "postmaster.pid"))
		if err != nil {
			t.Fatal(err)
		}
		var pid int
		fmt.Sscan(string(b), &pid)
		s.Stop()
		if err := syscall.Kill(pid, 0); err == nil {
			t.Fatalf("postgres process %d still alive after Stop", pid)
		}
	})
}
