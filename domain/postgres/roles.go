package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// RuntimeRole is the role the private server's Steward connects as; the cluster's superuser
// owns the schema and runs the migrations.
const RuntimeRole = "steward_app"

// GrantRuntime gives role what the server needs and no more, in the schema the owner's
// connection db works in: SELECT, INSERT, UPDATE and DELETE on every table (River's included)
// and the use of their sequences — but on audit_log only SELECT and INSERT, on audit_head,
// the audit id sequence and the migration records only SELECT. The role owns nothing, so it can
// neither switch the audit triggers off nor grant itself more. Run it as the owner after every
// migration (Steward does, when it migrates with STEWARD_MIGRATE_URL or on the private server);
// it is what README.md's GRANTs spell out.
func GrantRuntime(ctx context.Context, db *sql.DB, role string) error {
	r := pgx.Identifier{role}.Sanitize()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	var schema string
	if err := tx.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return err
	}
	s := pgx.Identifier{schema}.Sanitize()
	for _, stmt := range []string{
		`GRANT USAGE ON SCHEMA ` + s + ` TO ` + r,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ` + s + ` TO ` + r,
		`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ` + s + ` TO ` + r,
		`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM ` + r,
		`REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_head FROM ` + r,
		`REVOKE USAGE, UPDATE ON SEQUENCE audit_log_id_seq FROM ` + r,
		`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations, river_migration FROM ` + r,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("grant the runtime role %s: %s: %w", role, stmt, translate(err))
		}
	}
	return tx.Commit()
}

// CurrentRole is the role db's connections run as.
func (db *DB) CurrentRole(ctx context.Context) (string, error) {
	var role string
	err := db.SQL.QueryRowContext(ctx, `SELECT current_user`).Scan(&role)
	return role, translate(err)
}

// RoleWarning says, when db's role could change or delete audit records — it is a superuser,
// owns the audit log (or is a member of its owner) or holds UPDATE, DELETE or TRUNCATE on it —
// that the log is then protected by triggers its own role may switch off, and what to do. It is
// "" for a proper runtime role.
func (db *DB) RoleWarning(ctx context.Context) (string, error) {
	var role string
	var super, owner, write bool
	err := db.SQL.QueryRowContext(ctx, `
		SELECT current_user, r.rolsuper, pg_has_role(current_user, c.relowner, 'USAGE'),
			has_table_privilege('audit_log', 'UPDATE') OR has_table_privilege('audit_log', 'DELETE')
				OR has_table_privilege('audit_log', 'TRUNCATE')
		FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_log'::regclass`).Scan(&role, &super, &owner, &write)
	if err != nil {
		return "", translate(err)
	}
	var why []string
	if super {
		why = append(why, "is a superuser")
	}
	if owner {
		why = append(why, "owns the audit log")
	}
	if write && !super && !owner {
		why = append(why, "may UPDATE, DELETE or TRUNCATE the audit log")
	}
	if len(why) == 0 {
		return "", nil
	}
	return fmt.Sprintf("single-role database setup: the server's database role %q %s, so it could switch the audit log's "+
		"insert-only triggers off and rewrite the chain; run the server as a runtime role (DATABASE_URL) and migrations as "+
		"the owner (STEWARD_MIGRATE_URL) — see README.md, Security", role, strings.Join(why, " and ")), nil
}
