package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"steward/domain/postgres/localpg"
)

// backupCommand runs `steward backup --out F` (a consistent pg_dump of the whole database in
// PostgreSQL's custom format, taken while Steward runs) and `steward restore --in F` (replaces
// the database's contents with the dump, in one transaction).
func (m *Main) backupCommand(ctx context.Context, cfg config, cmd string) error {
	file := cfg.file
	if file == "" {
		fmt.Fprintf(m.Stderr, "usage: steward backup --out FILE | steward restore --in FILE\n")
		return errUsage
	}
	bindir, _, err := localpg.FindBinDir(0)
	if err != nil {
		return err
	}
	if err := m.open(ctx, cfg); err != nil {
		return err
	}
	// As the owner where there is one: a restore replaces the owner's tables.
	dsn := libpqURL(m.dbURL)
	if m.ownerURL != "" {
		dsn = libpqURL(m.ownerURL)
	}
	var c *exec.Cmd
	if cmd == "backup" {
		c = exec.CommandContext(ctx, filepath.Join(bindir, "pg_dump"), "--format=custom", "--no-owner", "--file="+file, "--dbname="+dsn)
	} else {
		if _, err := os.Stat(file); err != nil {
			return err
		}
		// Without the dump's privileges (its runtime role may not exist here): migrating
		// afterwards grants this server's runtime role what it needs.
		c = exec.CommandContext(ctx, filepath.Join(bindir, "pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
			"--single-transaction", "--exit-on-error", "--dbname="+dsn, file)
	}
	c.Stdout, c.Stderr = m.Stderr, m.Stderr
	if err := c.Run(); err != nil {
		return fmt.Errorf("%s failed: %w", filepath.Base(c.Path), err)
	}
	if cmd == "restore" {
		// A dump from an older Steward is brought up to this one's schema.
		if err := m.migrateSchema(ctx); err != nil {
			return err
		}
		v, err := m.db.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		if !v.OK {
			return errors.New("restored, but the audit chain does not verify: the dump was altered")
		}
		fmt.Fprintf(m.Stdout, "restored %s; audit chain intact (%d records)\n", file, v.Checked)
		return nil
	}
	fmt.Fprintf(m.Stdout, "wrote %s\n", file)
	return nil
}

// libpqURL drops the pgx-only parameters (pool sizes) that pg_dump would refuse.
func libpqURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
