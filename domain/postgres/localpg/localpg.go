// Package localpg starts a private PostgreSQL server from the server binaries installed on the
// machine, so that Steward runs and its tests pass with no database to set up. The data directory
// is kept between runs; the server listens on a Unix socket only and stops with the process that
// started it.
package localpg

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Port names the socket file (.s.PGSQL.<Port>); no TCP port is opened.
const Port = 5432

// User is the database superuser initdb creates.
const User = "postgres"

// Options configure a server.
type Options struct {
	// Dir is the state directory: data goes to Dir/pg, the socket to Dir/run and the server log
	// to Dir/postgres.log.
	Dir string
	// Settings are extra server settings passed as -c name=value.
	Settings map[string]string
	// NoSync skips fsync in initdb; for throw-away test clusters.
	NoSync bool
	Logger *slog.Logger
}

// Server is a running PostgreSQL server. A server that was already running on the same data
// directory (another Steward process) is used, not owned: Stop leaves it alone.
type Server struct {
	SocketDir string
	DataDir   string
	Version   int

	log   *slog.Logger
	owned bool
	proc  *os.Process
	done  chan struct{} // closed when the owned server process has exited
	once  sync.Once
}

// ErrNoBinaries is returned when no PostgreSQL server binaries can be found.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (postgres, initdb) not found: " +
	"install them (Debian/Ubuntu: apt-get install -y postgresql), or set PG_BINDIR to the directory " +
	"that holds them, or set DATABASE_URL to use an existing server")

// URL returns a connection string for database name on this server, as the superuser.
func (s *Server) URL(name string) string { return s.URLAs(User, name) }

// URLAs returns a connection string for database name on this server, as role.
func (s *Server) URLAs(role, name string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s&port=%d&sslmode=disable", role, name, s.SocketDir, Port)
}

// EnsureRole creates a login role that is no superuser and may create neither databases nor
// roles, when it does not exist. Connections reach the server through its private socket only
// (trust authentication there), so the role needs no password.
func (s *Server) EnsureRole(ctx context.Context, role string) error {
	return s.ensure(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, role,
		"CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
}

// Start starts (or attaches to) the server for opts.Dir, creating the cluster on first use.
func Start(ctx context.Context, opts Options) (*Server, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create state directory: %w", err)
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	base, err := clusterBase(dir, cred, log)
	if err != nil {
		return nil, err
	}
	s := &Server{DataDir: filepath.Join(base, "pg"), SocketDir: filepath.Join(base, "run"), log: log}
	if len(s.SocketDir)+len("/.s.PGSQL.5432.lock") > 100 {
		sum := sha256.Sum256([]byte(base))
		s.SocketDir = filepath.Join(os.TempDir(), "steward-pg-"+hex.EncodeToString(sum[:6]))
	}
	if err := os.MkdirAll(s.SocketDir, 0o700); err != nil {
		return nil, err
	}
	if err := chown(s.SocketDir, cred); err != nil {
		return nil, err
	}

	dataVersion := readVersion(s.DataDir)
	bindir, version, err := FindBinDir(dataVersion)
	if err != nil {
		return nil, err
	}
	s.Version = version
	if dataVersion == 0 {
		if err := s.initdb(ctx, bindir, cred, opts.NoSync); err != nil {
			return nil, err
		}
	}

	if s.running(ctx) {
		log.Info("using the PostgreSQL server already running", "data", s.DataDir)
		return s, nil
	}
	removeStaleLock(filepath.Join(s.DataDir, "postmaster.pid"), log)
	removeStaleLock(filepath.Join(s.SocketDir, fmt.Sprintf(".s.PGSQL.%d.lock", Port)), log)

	logFile, err := os.OpenFile(filepath.Join(dir, "postgres.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	args := []string{"-D", s.DataDir, "-k", s.SocketDir, "-p", strconv.Itoa(Port), "-c", "listen_addresses="}
	keys := make([]string, 0, len(opts.Settings))
	for k := range opts.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "-c", k+"="+opts.Settings[k])
	}
	if err := s.spawn(filepath.Join(bindir, "postgres"), args, cred, logFile); err != nil {
		// Another process may have started it in the meantime.
		if s.running(ctx) {
			return s, nil
		}
		return nil, err
	}
	if err := s.waitReady(ctx, filepath.Join(dir, "postgres.log")); err != nil {
		s.Stop()
		return nil, err
	}
	log.Info("started PostgreSQL", "version", version, "data", s.DataDir, "socket", s.SocketDir)
	return s, nil
}

// spawn starts postgres from a goroutine locked to its OS thread, which stays alive as long as
// the server does: the parent-death signal is tied to that thread, so the server gets a fast
// shutdown if this process dies without stopping it (kill -9 included). The server gets its own
// process group so that a Ctrl-C in the terminal reaches Steward, which then stops the server
// after draining its own work.
func (s *Server) spawn(path string, args []string, cred *syscall.Credential, logFile *os.File) error {
	started := make(chan error, 1)
	s.done = make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer close(s.done)
		cmd := exec.Command(path, args...)
		cmd.Stdout, cmd.Stderr = logFile, logFile
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGINT, Credential: cred}
		if err := cmd.Start(); err != nil {
			started <- fmt.Errorf("start postgres: %w", err)
			runtime.UnlockOSThread()
			return
		}
		s.proc, s.owned = cmd.Process, true
		started <- nil
		err := cmd.Wait()
		s.log.Info("PostgreSQL exited", "err", err)
		// The thread is left locked so it ends with this goroutine, as the server has.
	}()
	return <-started
}

func (s *Server) waitReady(ctx context.Context, logPath string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		if s.ping(ctx) == nil {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("PostgreSQL exited at start; its log %s ends with:\n%s", logPath, tail(logPath, 15))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("PostgreSQL did not accept connections within 60s; see %s", logPath)
		}
	}
}

func (s *Server) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}

// running reports whether a server already answers on this cluster's socket.
func (s *Server) running(ctx context.Context) bool {
	if _, err := os.Stat(filepath.Join(s.SocketDir, fmt.Sprintf(".s.PGSQL.%d", Port))); err != nil {
		return false
	}
	return s.ping(ctx) == nil
}

// EnsureDatabase creates database name when it does not exist.
func (s *Server) EnsureDatabase(ctx context.Context, name string) error {
	return s.ensure(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name,
		"CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
}

// ensure runs create unless exists (a query of name) finds it; another process creating it at
// the same time is no error.
func (s *Server) ensure(ctx context.Context, exists, name, create string) error {
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var found bool
	if err := conn.QueryRow(ctx, exists, name).Scan(&found); err != nil || found {
		return err
	}
	_, err = conn.Exec(ctx, create)
	var pgErr interface{ SQLState() string }
	if errors.As(err, &pgErr) && (pgErr.SQLState() == "42P04" || pgErr.SQLState() == "42710" || pgErr.SQLState() == "23505") {
		return nil // created concurrently: duplicate database, duplicate object, or the catalog's unique index
	}
	return err
}

// Stop shuts an owned server down (fast shutdown: running transactions are rolled back, nothing
// committed is lost) and waits for it to exit. It does nothing for a server it did not start.
func (s *Server) Stop() {
	s.once.Do(func() {
		if !s.owned {
			return
		}
		_ = s.proc.Signal(syscall.SIGINT)
		select {
		case <-s.done:
			return
		case <-time.After(30 * time.Second):
		}
		s.log.Warn("PostgreSQL did not stop within 30s; sending SIGQUIT")
		_ = s.proc.Signal(syscall.SIGQUIT)
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			_ = s.proc.Kill()
			<-s.done
		}
	})
}

// Done is closed when an owned server has exited; it is nil for a server this process did not
// start.
func (s *Server) Done() <-chan struct{} { return s.done }

func (s *Server) initdb(ctx context.Context, bindir string, cred *syscall.Credential, noSync bool) error {
	tmp := s.DataDir + ".init"
	_ = os.RemoveAll(tmp) // what a crashed initdb left
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return err
	}
	if err := chown(tmp, cred); err != nil {
		return err
	}
	args := []string{"-D", tmp, "-U", User, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"}
	if noSync {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bindir, "initdb"), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Dir = os.TempDir()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	s.log.Info("creating the PostgreSQL cluster", "data", s.DataDir)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("initdb failed: %w\n%s", err, out.String())
	}
	if err := os.Rename(tmp, s.DataDir); err != nil {
		return err
	}
	return nil
}

// serverCredential returns the postgres system user's credential when running as root (the
// server refuses to run as root), and nil otherwise.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(User)
	if err != nil {
		return nil, errors.New("running as root, but there is no 'postgres' system user for PostgreSQL to run as " +
			"(it refuses to run as root): install the server package (Debian/Ubuntu: apt-get install -y postgresql), " +
			"which creates it, or run Steward as an ordinary user")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// clusterBase returns the directory to hold the cluster: the state directory itself, unless the
// server's user cannot reach it (a root-owned home directory is mode 0700). Then the cluster lives
// under /var/lib/steward, and Dir/pg links to it, so the data is still found from the state
// directory and kept between runs.
func clusterBase(dir string, cred *syscall.Credential, log *slog.Logger) (string, error) {
	if cred == nil || canEnter(dir, cred) {
		return dir, nil
	}
	sum := sha256.Sum256([]byte(dir))
	base := filepath.Join("/var/lib/steward", hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", err
	}
	link := filepath.Join(dir, "pg")
	if target, err := os.Readlink(link); err != nil || target != filepath.Join(base, "pg") {
		if _, err := os.Lstat(link); err == nil && target == "" {
			return "", fmt.Errorf("%s exists but the postgres user cannot reach it: "+
				"make its parent directories searchable (chmod o+x) or move it away", link)
		}
		_ = os.Remove(link)
		if err := os.Symlink(filepath.Join(base, "pg"), link); err != nil {
			return "", err
		}
	}
	log.Info("the postgres user cannot enter the state directory; keeping the cluster elsewhere",
		"state", dir, "cluster", base)
	return base, chown(base, cred)
}

// canEnter reports whether the user of cred can reach dir (every parent searchable).
func canEnter(dir string, cred *syscall.Credential) bool {
	cmd := exec.Command("test", "-x", dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Dir = "/"
	return cmd.Run() == nil
}

func chown(path string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	if err := os.Chown(path, int(cred.Uid), int(cred.Gid)); err != nil {
		return fmt.Errorf("give %s to the postgres user: %w", path, err)
	}
	return nil
}

// removeStaleLock removes a postmaster.pid or socket lock file whose process is gone or is not a
// PostgreSQL server (its PID reused after a crash), so a crash never stops the next start.
func removeStaleLock(path string, log *slog.Logger) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err == nil && pid > 0 {
		if cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil &&
			bytes.Contains(cmdline, []byte("postgres")) {
			return // a live server; PostgreSQL itself will say what is wrong
		}
	}
	log.Info("removing a stale lock file left by a crash", "file", path)
	_ = os.Remove(path)
}

// FindBinDir returns the directory of the PostgreSQL server binaries and their major version:
// PG_BINDIR, then postgres on PATH, then pg_config --bindir, then Debian's and RPM's versioned
// directories, newest first. When want is not 0 (an existing cluster's version), a directory of
// that major version is preferred.
func FindBinDir(want int) (string, int, error) {
	var candidates []string
	if d := os.Getenv("PG_BINDIR"); d != "" {
		candidates = append(candidates, d)
	}
	if p, err := exec.LookPath("postgres"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	var versioned []string
	for _, pattern := range []string{"/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin"} {
		m, _ := filepath.Glob(pattern)
		versioned = append(versioned, m...)
	}
	sort.Slice(versioned, func(i, j int) bool { return dirVersion(versioned[i]) > dirVersion(versioned[j]) })
	candidates = append(candidates, versioned...)

	type found struct {
		dir     string
		version int
	}
	var all []found
	for _, d := range candidates {
		// A postgres linked into /usr/local/bin stands for the directory it lives in, where the
		// other tools (pg_dump, pg_restore) are too.
		if real, err := filepath.EvalSymlinks(filepath.Join(d, "postgres")); err == nil {
			d = filepath.Dir(real)
		}
		if !isExecutable(filepath.Join(d, "postgres")) || !isExecutable(filepath.Join(d, "initdb")) {
			continue
		}
		v := binaryVersion(filepath.Join(d, "postgres"))
		if v == 0 {
			continue
		}
		all = append(all, found{d, v})
	}
	if len(all) == 0 {
		return "", 0, ErrNoBinaries
	}
	if want != 0 {
		for _, f := range all {
			if f.version == want {
				return f.dir, f.version, nil
			}
		}
		return "", 0, fmt.Errorf("the data directory was created by PostgreSQL %d, but only PostgreSQL %d is installed: "+
			"install postgresql-%d, or move the state directory away to start afresh", want, all[0].version, want)
	}
	return all[0].dir, all[0].version, nil
}

func dirVersion(dir string) int {
	for _, part := range strings.Split(dir, string(filepath.Separator)) {
		part = strings.TrimPrefix(part, "pgsql-")
		if v, err := strconv.Atoi(part); err == nil {
			return v
		}
	}
	return 0
}

func binaryVersion(path string) int {
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return 0
	}
	// "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
	fields := strings.Fields(string(out))
	if len(fields) < 3 {
		return 0
	}
	major, _, _ := strings.Cut(fields[2], ".")
	v, _ := strconv.Atoi(major)
	return v
}

func readVersion(dataDir string) int {
	b, err := os.ReadFile(filepath.Join(dataDir, "PG_VERSION"))
	if err != nil {
		return 0
	}
	v, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return v
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}
