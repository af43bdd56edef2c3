package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// runErr runs a one-shot command of the real program and returns its error and output.
func runErr(env map[string]string, args ...string) (stdout string, err error) {
	out, stderr := &syncBuffer{}, &syncBuffer{}
	m := &Main{Stdin: strings.NewReader(adminPassword + "\n"), Stdout: out, Stderr: stderr, Getenv: func(k string) string { return env[k] }, failed: make(chan error, 2)}
	err = m.Run(context.Background(), args)
	m.Close()
	return out.String(), err
}

// TestTheServerRunsAsARuntimeRoleThatCannotRewriteTheAuditLog: with DATABASE_URL naming a
// runtime role and STEWARD_MIGRATE_URL the owner, an empty database is migrated by the owner,
// the runtime role is granted what it needs, and the server works as it — without being able
// to change an audit record. Run as the owner alone, it says that the audit log is then only as
// safe as the triggers its role may switch off.
func TestTheServerRunsAsARuntimeRoleThatCannotRewriteTheAuditLog(t *testing.T) {
	t.Parallel()
	runtime, owner := pgtest.EmptyURLs(t)
	env := map[string]string{"DATABASE_URL": runtime, "STEWARD_MIGRATE_URL": owner}
	m, _, _ := run(t, env, "user", "create", "--username", "root-admin", "--role", "admin", "--password-stdin")
	m.Close()

	m, _, stderr := run(t, env, "serve", "--addr", "127.0.0.1:0")
	code, body := get(t, "http://"+m.Addr+"/readyz")
	if code != 200 || strings.Contains(string(body), "details") {
		t.Fatalf("/readyz = %d %s", code, body)
	}
	var tableOwner, role string
	if err := m.db.SQL.QueryRow(`SELECT pg_get_userbyid(relowner), current_user FROM pg_class WHERE oid = 'audit_log'::regclass`).Scan(&tableOwner, &role); err != nil {
		t.Fatal(err)
	}
	if role != pgtest.RuntimeRole || tableOwner == role {
		t.Fatalf("the server runs as %s and the audit log belongs to %s", role, tableOwner)
	}
	for _, stmt := range []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`, `UPDATE audit_log SET actor_name = 'x'`,
		`DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := m.db.SQL.Exec(stmt); err == nil {
			t.Errorf("the server's role could: %s", stmt)
		}
	}
	if strings.Contains(stderr.String(), "single-role") {
		t.Errorf("a two-role setup was warned about:\n%s", stderr)
	}
	m.Close()

	// The owner alone: it starts, and says so.
	m, _, stderr = run(t, map[string]string{"DATABASE_URL": owner}, "serve", "--addr", "127.0.0.1:0", "--no-worker")
	defer m.Close()
	code, body = get(t, "http://"+m.Addr+"/readyz")
	var ready struct {
		Status  string   `json:"status"`
		Details []string `json:"details"`
	}
	json.Unmarshal(body, &ready)
	if code != 200 || ready.Status != "ok" || len(ready.Details) != 1 || !strings.Contains(ready.Details[0], "single-role") ||
		!strings.Contains(ready.Details[0], "owns the audit log") {
		t.Fatalf("/readyz of a single-role setup = %d %s", code, body)
	}
	if !strings.Contains(stderr.String(), "level=WARN") || !strings.Contains(stderr.String(), "single-role database setup") {
		t.Fatalf("no warning in the log:\n%s", stderr)
	}
}

// TestAuditVerifyHead: a head published before a rewrite proves the rewrite, even when the
// whole chain after the change was recomputed so that it verifies in itself.
func TestAuditVerifyHead(t *testing.T) {
	t.Parallel()
	runtime, owner := pgtest.URLs(t)
	env := map[string]string{"DATABASE_URL": runtime, "STEWARD_MIGRATE_URL": owner}
	for _, u := range []string{"first-admin", "second-admin"} {
		m, _, _ := run(t, env, "user", "create", "--username", u, "--role", "admin", "--password-stdin")
		m.Close()
	}
	db, err := postgres.Open(context.Background(), owner)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var head string
	if err := db.SQL.QueryRow(`SELECT id || ':' || hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&head); err != nil {
		t.Fatal(err)
	}
	if out, err := runErr(env, "audit", "verify", "--head", head); err != nil || !strings.Contains(out, "the published head") {
		t.Fatalf("verify --head %s on an untouched chain: %v %s", head, err, out)
	}
	if _, err := runErr(env, "audit", "verify", "--head", "12:nothex"); err == nil || !strings.Contains(err.Error(), "ID:HASH") {
		t.Fatalf("a malformed head: %v", err)
	}

	// The owner (as a superuser could) switches the guard off, changes the first record and
	// recomputes every hash after it, and the head.
	if _, err := db.SQL.Exec(`
		ALTER TABLE audit_log DISABLE TRIGGER USER;
		UPDATE audit_log SET actor_name = 'nobody' WHERE id = (SELECT min(id) FROM audit_log);
		DO $$
		DECLARE r record; prev text := repeat('0', 64); h text;
		BEGIN
			FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
				h := audit_hash(prev, r.id, r.at, r.actor_id, r.actor_name, r.actor_role, r.action, r.entity,
					r.entity_id, r.before, r.after, r.request_id, r.ip);
				UPDATE audit_log SET prev_hash = prev, hash = h WHERE id = r.id;
				prev := h;
			END LOOP;
			UPDATE audit_head SET hash = prev;
		END $$;
		ALTER TABLE audit_log ENABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	if out, err := runErr(env, "audit", "verify"); err != nil {
		t.Fatalf("the recomputed chain should verify in itself, or this test proves nothing: %v %s", err, out)
	}
	_, err = runErr(env, "audit", "verify", "--head", head)
	if err == nil || !strings.Contains(err.Error(), "NOT in the chain") || !strings.Contains(err.Error(), "rewritten") {
		t.Fatalf("verify --head after the rewrite: %v", err)
	}

	// A head beyond the log (the tail cut off and rebuilt) is gone.
	id, _, _ := strings.Cut(head, ":")
	gone := id + "0:" + strings.Repeat("a", 64)
	if _, err := runErr(env, "audit", "verify", "--head", gone); err == nil || !strings.Contains(err.Error(), "is gone") {
		t.Fatalf("verify --head %s: %v", gone, err)
	}
}
