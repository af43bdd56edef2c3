// Package pgtest gives each test its own PostgreSQL database, cloned from a template that the
// migrations built once (pgtestdb; the template is keyed by the schema hash). The server is
// TEST_DATABASE_URL when set, otherwise one private localpg server per test package, started on
// first use and stopped by Main.
//
// As in production, two roles meet each database: pgtestdb's role owns it and ran the
// migrations, and tests connect as RuntimeRole, which has the runtime privileges
// postgres.GrantRuntime gives (the audit log insert-only). Owner hands a test the owner's
// connection where it must act as the owner (to tamper with the audit log, say).
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

// Main runs a package's tests and then stops the package's private server, after running
// the package's own clean-ups (after), if any. Use it as
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M, after ...func()) {
	code := m.Run()
	for _, f := range after {
		f()
	}
	if server != nil {
		server.Stop()
	}
	if baseDir != "" {
		os.RemoveAll(baseDir)
	}
	os.Exit(code)
}

// RuntimeRole is the role tests connect as: the server's runtime role, with what
// postgres.GrantRuntime gives it.
const (
	RuntimeRole     = "steward_test_app"
	runtimePassword = "steward-test-app"
)

func setup() {
	defer func() {
		if confErr == nil {
			confErr = ensureRuntimeRole()
		}
	}()
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

// ensureRuntimeRole creates RuntimeRole on the server once: a login role that is no superuser
// and owns nothing.
func ensureRuntimeRole() error {
	db, err := sql.Open("pgx", conf.URL())
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(`DO $$ BEGIN
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '` + RuntimeRole + `') THEN
			CREATE ROLE ` + RuntimeRole + ` LOGIN PASSWORD '` + runtimePassword + `' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
		END IF;
	EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created concurrently
	END $$`)
	if err != nil {
		return fmt.Errorf("create the test runtime role: %w", err)
	}
	return nil
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

// URL returns the connection string, as RuntimeRole, of a new, migrated database for t, dropped
// when t ends (kept for inspection when t fails).
func URL(t testing.TB) string {
	t.Helper()
	runtime, _ := URLs(t)
	return runtime
}

// URLs returns the connection strings of a new, migrated database for t: as RuntimeRole, and as
// the owner that migrates it.
func URLs(t testing.TB) (runtime, owner string) {
	t.Helper()
	once.Do(setup)
	if confErr != nil {
		t.Fatalf("test database server: %v", confErr)
	}
	owner = pgtestdb.Custom(t, conf, migrator{}).URL()
	return asRole(owner, RuntimeRole, runtimePassword), owner
}

// asRole changes the user and password of a connection string.
func asRole(dsn, role, password string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(err)
	}
	u.User = url.UserPassword(role, password)
	return u.String()
}

// Owner returns a handle on db's database as its owner (pgtestdb's role), closed when t ends.
func Owner(t testing.TB, db *postgres.DB) *postgres.DB {
	t.Helper()
	owner, err := postgres.Open(context.Background(),
		asRole(db.Pool.Config().ConnString(), pgtestdb.DefaultRoleUsername, pgtestdb.DefaultRolePassword))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(owner.Close)
	return owner
}

// EmptyURL returns the connection string, as its owner, of a new database with no schema at
// all, for tests of the migrations themselves.
func EmptyURL(t testing.TB) string {
	t.Helper()
	_, owner := EmptyURLs(t)
	return owner
}

// EmptyURLs returns the connection strings of a new database with no schema, as RuntimeRole
// (which may connect but has no privilege yet) and as its owner.
func EmptyURLs(t testing.TB) (runtime, owner string) {
	t.Helper()
	once.Do(setup)
	if confErr != nil {
		t.Fatalf("test database server: %v", confErr)
	}
	owner = pgtestdb.Custom(t, conf, pgtestdb.NoopMigrator{}).URL()
	return asRole(owner, RuntimeRole, runtimePassword), owner
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

func (migrator) Hash() (string, error) {
	h, err := postgres.SchemaHash()
	return h + " granted to " + RuntimeRole, err
}

func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	if err := postgres.Migrate(ctx, db); err != nil {
		return err
	}
	return postgres.GrantRuntime(ctx, db, RuntimeRole)
}
