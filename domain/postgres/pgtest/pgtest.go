// Package pgtest gives each test its own PostgreSQL database, cloned from a template that the
// migrations built once (pgtestdb; the template is keyed by the schema hash). The server is
// TEST_DATABASE_URL when set, otherwise one private localpg server per test package, started on
// first use and stopped by Main.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver pgtestdb connects with
	"github.com/peterldowns/pgtestdb"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"steward/domain/postgres"
	"steward/domain/postgres/localpg"
)

var (
	once    sync.Once
	server  *localpg.Server
	baseDir string
	conf    pgtestdb.Config
	confErr error
)

// Main runs a package's tests and then stops the package's private server. Use it as
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if server != nil {
		server.Stop()
	}
	if baseDir != "" {
		os.RemoveAll(baseDir)
	}
	os.Exit(code)
}

func setup() {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		conf, confErr = configFromURL(u)
		return
	}
	dir, err := os.MkdirTemp("", "steward-pgtest-")
	if err == nil {
		err = os.Chmod(dir, 0o755) // the postgres user must enter it when tests run as root
	}
	if err != nil {
		confErr = err
		return
	}
	baseDir = dir
	server, confErr = localpg.Start(context.Background(), localpg.Options{
		Dir:    dir,
		NoSync: true,
		Settings: map[string]string{
			"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
			"max_connections": "300", "shared_buffers": "64MB",
		},
	})
	if confErr != nil {
		return
	}
	conf = pgtestdb.Config{
		DriverName: "pgx",
		User:       localpg.User,
		Port:       fmt.Sprint(localpg.Port),
		Database:   "postgres",
		Options:    "sslmode=disable&host=" + url.QueryEscape(server.SocketDir),
	}
}

func configFromURL(u string) (pgtestdb.Config, error) {
	pc, err := pgconn.ParseConfig(u)
	if err != nil {
		return pgtestdb.Config{}, fmt.Errorf("TEST_DATABASE_URL: %w", err)
	}
	c := pgtestdb.Config{
		DriverName: "pgx",
		User:       pc.User,
		Password:   pc.Password,
		Port:       fmt.Sprint(pc.Port),
		Database:   pc.Database,
		Options:    "sslmode=disable",
	}
	if strings.HasPrefix(pc.Host, "/") {
		c.Options += "&host=" + url.QueryEscape(pc.Host)
	} else {
		c.Host = pc.Host
	}
	return c, nil
}

// URL returns the connection string of a new, migrated database for t, dropped when t ends
// (kept for inspection when t fails).
func URL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if confErr != nil {
		t.Fatalf("test database server: %v", confErr)
	}
	c := pgtestdb.Custom(t, conf, migrator{})
	return c.URL()
}

// EmptyURL returns the connection string of a new database with no schema at all, for tests of
// the migrations themselves.
func EmptyURL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if confErr != nil {
		t.Fatalf("test database server: %v", confErr)
	}
	return pgtestdb.Custom(t, conf, pgtestdb.NoopMigrator{}).URL()
}

// New returns a handle on a new, migrated database for t, closed and dropped when t ends.
func New(t testing.TB) *postgres.DB {
	t.Helper()
	u := URL(t)
	db, err := postgres.Open(context.Background(), u+"&pool_max_conns=8")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	rc, err := river.NewClient(riverdatabasesql.New(db.SQL), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	db.River = rc // insert-only: tests that work jobs make their own client
	return db
}

// migrator builds the template with Steward's own migrations.
type migrator struct{}

func (migrator) Hash() (string, error) { return postgres.SchemaHash() }

func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	return postgres.Migrate(ctx, db)
}
