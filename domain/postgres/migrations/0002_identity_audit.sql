-- Users, sessions, API tokens and the tamper-evident audit log.

CREATE TABLE users (
    id                   uuid PRIMARY KEY,
    username             text NOT NULL,
    display_name         text NOT NULL,
    role                 text NOT NULL CHECK (role IN ('admin', 'dispatcher', 'leader', 'steward', 'officer', 'auditor', 'enterprise', 'integration')),
    department_id        uuid REFERENCES departments (id),
    enterprise_id        uuid REFERENCES enterprises (id),
    phone                text NOT NULL DEFAULT '',
    email                text NOT NULL DEFAULT '',
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'disabled')),
    password_hash        text NOT NULL,
    must_change_password boolean NOT NULL DEFAULT false,
    failed_logins        integer NOT NULL DEFAULT 0,
    locked_until         timestamptz,
    password_changed_at  timestamptz NOT NULL DEFAULT now(),
    last_login_at        timestamptz,
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_username_key UNIQUE (username),
    CHECK ((role = 'enterprise') = (enterprise_id IS NOT NULL))
);
CREATE INDEX users_department ON users (department_id) WHERE department_id IS NOT NULL;
CREATE INDEX users_enterprise ON users (enterprise_id) WHERE enterprise_id IS NOT NULL;

ALTER TABLE departments ADD COLUMN head_user_id uuid REFERENCES users (id);

-- A session is found by the SHA-256 of its cookie token; the token itself is never stored.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id),
    name         text NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The audit log is insert-only and hash-chained: each row's hash covers the previous row's hash
-- and the row itself, so an edited or deleted row breaks the chain. The trigger assigns the id
-- and the hashes under a lock on the chain head, so the chain order is the id order even with
-- concurrent writers.
CREATE TABLE audit_log (
    id          bigint PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor_id    uuid,
    actor_name  text NOT NULL,
    actor_role  text NOT NULL DEFAULT '',
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL DEFAULT '',
    before      jsonb,
    after       jsonb,
    request_id  text NOT NULL DEFAULT '',
    ip          text NOT NULL DEFAULT '',
    prev_hash   text NOT NULL,
    hash        text NOT NULL
);
CREATE SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_login_failures ON audit_log (ip, at) WHERE action = 'login_failed';

CREATE TABLE audit_head (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    hash      text NOT NULL
);
INSERT INTO audit_head (hash) VALUES (repeat('0', 64));

-- audit_hash is the one definition of a row's hash, used when writing and when verifying.
CREATE FUNCTION audit_hash(prev text, id bigint, at timestamptz, actor_id uuid, actor_name text,
    actor_role text, action text, entity text, entity_id text, before jsonb, after jsonb,
    request_id text, ip text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws(E'\x1f', prev, id::text,
        (extract(epoch FROM at) * 1000000)::bigint::text, coalesce(actor_id::text, ''), actor_name,
        actor_role, action, entity, entity_id, coalesce(before::text, 'null'),
        coalesce(after::text, 'null'), request_id, ip), 'UTF8')), 'hex')
$$;

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    prev text;
BEGIN
    SELECT hash INTO prev FROM audit_head FOR UPDATE;
    NEW.id := nextval('audit_log_id_seq');
    NEW.prev_hash := prev;
    NEW.hash := audit_hash(prev, NEW.id, NEW.at, NEW.actor_id, NEW.actor_name, NEW.actor_role,
        NEW.action, NEW.entity, NEW.entity_id, NEW.before, NEW.after, NEW.request_id, NEW.ip);
    UPDATE audit_head SET hash = NEW.hash;
    RETURN NEW;
END $$;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit records cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE OR TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable();
