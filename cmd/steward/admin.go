package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"steward/domain"
	"steward/domain/postgres"
)

// parseRate reads "N/duration", e.g. "20/10m".
func parseRate(s string) (int, time.Duration, error) {
	n, d, ok := strings.Cut(s, "/")
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || count < 1 {
		return 0, 0, fmt.Errorf("%q is not N/duration, e.g. 20/10m", s)
	}
	window, err := time.ParseDuration(strings.TrimSpace(d))
	if err != nil || window <= 0 {
		return 0, 0, fmt.Errorf("%q is not N/duration, e.g. 20/10m", s)
	}
	return count, window, nil
}

// seedDemo seeds the demo logins on an empty database and says how to log in.
func (m *Main) seedDemo(ctx context.Context, cfg config) error {
	password := m.Getenv("STEWARD_DEMO_PASSWORD")
	generated := password == ""
	if generated {
		password = postgres.NewDemoPassword()
	}
	logins, err := postgres.SeedDemo(ctx, m.db, password)
	if err != nil {
		return fmt.Errorf("seed the demo district: %w", err)
	}
	if len(logins) == 0 {
		return nil
	}
	if generated {
		file := filepath.Join(cfg.stateDir, "demo-password.txt")
		if err := os.MkdirAll(cfg.stateDir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file, []byte(password+"\n"), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Demo password (also in %s): %s\n", file, password)
	} else {
		fmt.Fprintln(m.Stdout, "Demo password: the value of STEWARD_DEMO_PASSWORD")
	}
	fmt.Fprintln(m.Stdout, "Demo logins:")
	for _, l := range logins {
		fmt.Fprintf(m.Stdout, "  %-14s %-12s %s\n", l.Username, l.Role, l.Name)
	}
	return nil
}

// userCommand runs `steward user create …`.
func (m *Main) userCommand(ctx context.Context, cfg config, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(m.Stderr, "usage: steward user create --username U --role R [--department ID] --password-stdin")
		return errUsage
	}
	fs := flag.NewFlagSet("steward user create", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	var u domain.User
	var role string
	var stdin bool
	fs.StringVar(&u.Username, "username", "", "login name")
	fs.StringVar(&u.DisplayName, "display-name", "", "name shown to people (default: the username)")
	fs.StringVar(&role, "role", "", "one of admin, dispatcher, leader, steward, officer, auditor, enterprise, integration")
	fs.StringVar(&u.DepartmentID, "department", "", "department id")
	fs.StringVar(&u.EnterpriseID, "enterprise", "", "enterprise id (enterprise users)")
	fs.StringVar(&u.Phone, "phone", "", "phone number")
	fs.StringVar(&u.Email, "email", "", "email address")
	fs.BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if !stdin {
		return errors.New("give the password on standard input with --password-stdin (never on the command line)")
	}
	u.Role = domain.Role(role)
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return errors.New("no password on standard input")
	}
	password := strings.TrimRight(line, "\r\n")
	if err := m.open(ctx, cfg); err != nil {
		return err
	}
	if err := m.migrateSchema(ctx); err != nil {
		return err
	}
	users := postgres.NewUserService(m.db)
	if err := users.CreateUser(domain.WithActor(ctx, domain.System), &u, password, false); err != nil {
		return describe(err)
	}
	fmt.Fprintf(m.Stdout, "created user %s (%s) with id %s\n", u.Username, u.Role, u.ID)
	return nil
}

// auditCommand runs `steward audit verify [--head ID:HASH]`.
func (m *Main) auditCommand(ctx context.Context, cfg config, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(m.Stderr, "usage: steward audit verify [--head ID:HASH]")
		return errUsage
	}
	fs := flag.NewFlagSet("steward audit verify", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	headFlag := fs.String("head", "", "a published chain head (ID:HASH, from the audit anchor) that must still be in the chain")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	var head domain.AuditHead
	if *headFlag != "" {
		var err error
		if head, err = domain.ParseAuditHead(*headFlag); err != nil {
			return err
		}
	}
	if err := m.open(ctx, cfg); err != nil {
		return err
	}
	v, err := m.db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !v.OK {
		return fmt.Errorf("audit chain BROKEN at record %d (%d records checked): a record was edited, inserted or deleted", v.FirstBadID, v.Checked)
	}
	if head.ID != 0 {
		// The chain is consistent in itself; a rewrite that recomputed every hash after a change
		// is still found out by the head published before it.
		hash, found, err := m.db.AuditHash(ctx, head.ID)
		switch {
		case err != nil:
			return err
		case !found:
			return fmt.Errorf("published head NOT in the chain: record %d is gone (the log holds %d records): the chain was cut back or rebuilt after the head was published", head.ID, v.Checked)
		case hash != head.Hash:
			return fmt.Errorf("published head NOT in the chain: record %d now has hash %s, but the published head says %s: the chain was rewritten after it was published", head.ID, hash, head.Hash)
		}
		fmt.Fprintf(m.Stdout, "audit chain intact: %d records checked; the published head %d is in it\n", v.Checked, head.ID)
		return nil
	}
	fmt.Fprintf(m.Stdout, "audit chain intact: %d records checked\n", v.Checked)
	return nil
}

// describe spells out a domain error's field problems for the terminal.
func describe(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(de.Message)
	for _, f := range de.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return errors.New(b.String())
}

// seedCommand runs `steward seed demo` and `steward seed scale …`.
func (m *Main) seedCommand(ctx context.Context, cfg config, args []string) error {
	if len(args) == 0 || (args[0] != "demo" && args[0] != "scale") {
		fmt.Fprintln(m.Stderr, "usage: steward seed demo | steward seed scale [--enterprises N] [--projects N] [--users N]")
		return errUsage
	}
	var o postgres.ScaleOptions
	if args[0] == "scale" {
		fs := flag.NewFlagSet("steward seed scale", flag.ContinueOnError)
		fs.SetOutput(m.Stderr)
		fs.IntVar(&o.Enterprises, "enterprises", 20000, "enterprises")
		fs.IntVar(&o.Projects, "projects", 5000, "projects")
		fs.IntVar(&o.Users, "users", 600, "users (leaders, stewards, officers, dispatchers)")
		fs.IntVar(&o.Visits, "visits", 1000000, "visits over the past year")
		fs.IntVar(&o.Tickets, "tickets", 300000, "tickets in every status")
		if err := fs.Parse(args[1:]); err != nil {
			return errUsage
		}
	}
	if err := m.open(ctx, cfg); err != nil {
		return err
	}
	if err := m.migrateSchema(ctx); err != nil {
		return err
	}
	if args[0] == "demo" {
		exists, err := m.db.Bun.NewSelect().Table("users").Exists(ctx)
		if err != nil {
			return err
		}
		if exists {
			return errors.New("the database already has users; the demo district goes only into an empty one")
		}
		return m.seedDemo(ctx, cfg)
	}
	o.Password = m.Getenv("STEWARD_DEMO_PASSWORD")
	if o.Password == "" {
		o.Password = postgres.NewDemoPassword()
		fmt.Fprintf(m.Stdout, "Password of the bench1… users: %s\n", o.Password)
	}
	res, err := postgres.SeedScale(ctx, m.db, o)
	if err != nil {
		return err
	}
	if m.ownerURL != "" {
		// SeedScale's VACUUM (ANALYZE) skips the tables a runtime role does not own: the
		// planner's statistics come from the owner.
		owner, err := postgres.Open(ctx, withPoolSize(m.ownerURL, 1))
		if err != nil {
			return err
		}
		_, err = owner.SQL.ExecContext(ctx, `VACUUM (ANALYZE)`)
		owner.Close()
		if err != nil {
			return fmt.Errorf("vacuum as the owner: %w", err)
		}
	}
	fmt.Fprintf(m.Stdout, "seeded %d departments, %d users, %d enterprises, %d projects, %d assignments, %d visits, %d tickets in %s\n",
		res.Departments, res.Users, res.Enterprises, res.Projects, res.Assignments, res.Visits, res.Tickets, res.Took.Round(time.Millisecond))
	return nil
}

// parseProxies reads STEWARD_TRUSTED_PROXIES: addresses or CIDR ranges, comma-separated.
func parseProxies(s string) ([]netip.Prefix, error) { return domain.ParsePrefixes(s) }
