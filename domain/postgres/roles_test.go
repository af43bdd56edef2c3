package postgres_test

import (
	"context"
	"strings"
	"testing"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// TestTheRuntimeRoleCanOnlyAppendToTheAuditLog: the role the server runs as writes audit records
// with its changes, and can neither change, delete nor truncate them, nor switch the triggers
// that guard them off, nor move the chain head or the id sequence. Its owner could; the server
// does not run as its owner, and says so when it does.
func TestTheRuntimeRoleCanOnlyAppendToTheAuditLog(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := domain.WithActor(context.Background(), domain.System)
	if err := postgres.NewDepartmentService(db).CreateDepartment(ctx, &domain.Department{Name: "角色测试局", Kind: domain.DepartmentGovernment}); err != nil {
		t.Fatal(err)
	}
	if role, err := db.CurrentRole(ctx); err != nil || role != pgtest.RuntimeRole {
		t.Fatalf("tests connect as %q (%v), want the runtime role", role, err)
	}
	for _, stmt := range []string{
		`ALTER TABLE audit_log DISABLE TRIGGER USER`,
		`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`,
		`UPDATE audit_log SET actor_name = 'someone else'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
		`UPDATE audit_head SET hash = repeat('0', 64)`,
		`SELECT setval('audit_log_id_seq', 1)`,
		`ALTER TABLE audit_log OWNER TO ` + pgtest.RuntimeRole,
		`DROP TRIGGER audit_log_chain ON audit_log`,
		`CREATE OR REPLACE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
	} {
		if _, err := db.SQL.ExecContext(ctx, stmt); err == nil {
			t.Errorf("the runtime role could: %s", stmt)
		}
	}
	// A GRANT to itself only warns ("no privileges were granted"): the privilege stays absent.
	db.SQL.ExecContext(ctx, `GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO `+pgtest.RuntimeRole)
	var canWrite bool
	if err := db.SQL.QueryRowContext(ctx, `SELECT has_table_privilege('audit_log', 'UPDATE') OR has_table_privilege('audit_log', 'DELETE')
		OR has_table_privilege('audit_log', 'TRUNCATE') OR has_table_privilege('audit_head', 'UPDATE')`).Scan(&canWrite); err != nil || canWrite {
		t.Fatalf("the runtime role holds a write privilege on the audit log (%v)", err)
	}
	if v, err := db.VerifyAudit(ctx); err != nil || !v.OK || v.Checked == 0 {
		t.Fatalf("verify: %+v %v", v, err)
	}
	if w, err := db.RoleWarning(ctx); err != nil || w != "" {
		t.Fatalf("the runtime role is warned about: %q %v", w, err)
	}

	owner := pgtest.Owner(t, db)
	w, err := owner.RoleWarning(ctx)
	if err != nil || !strings.Contains(w, "owns the audit log") || !strings.Contains(w, "STEWARD_MIGRATE_URL") {
		t.Fatalf("the owner as the server's role: warning %q (%v)", w, err)
	}
	if _, err := owner.SQL.ExecContext(ctx, `ALTER TABLE audit_log DISABLE TRIGGER USER`); err != nil {
		t.Fatalf("the owner cannot switch the triggers off, so this test proves nothing: %v", err)
	}
}
