-- Tickets (诉求): the 受理→分派→签收→办结→评价 loop, its timeline and leaders' instructions.

CREATE TABLE ticket_counters (
    year integer PRIMARY KEY,
    last integer NOT NULL
);

CREATE TABLE tickets (
    id               uuid PRIMARY KEY,
    number           text NOT NULL UNIQUE,
    enterprise_id    uuid NOT NULL REFERENCES enterprises (id),
    project_id       uuid REFERENCES projects (id),
    visit_id         uuid,
    source           text NOT NULL CHECK (source IN ('portal', 'visit', 'steward', 'hotline', 'leader', 'api')),
    category_id      uuid NOT NULL REFERENCES categories (id),
    title            text NOT NULL,
    description      text NOT NULL,
    priority         text NOT NULL CHECK (priority IN ('normal', 'urgent')),
    status           text NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected', 'assigned', 'in_progress', 'returned', 'resolved', 'closed')),
    department_id    uuid REFERENCES departments (id),
    handler_id       uuid REFERENCES users (id),
    steward_id       uuid REFERENCES users (id),
    leader_id        uuid REFERENCES users (id),
    sign_days        integer NOT NULL,
    resolve_days     integer NOT NULL,
    due_sign_at      timestamptz,
    warn_sign_at     timestamptz,
    due_resolve_at   timestamptz,
    warn_resolve_at  timestamptz,
    extension        jsonb,
    resolution       text NOT NULL DEFAULT '',
    resolved_at      timestamptz,
    rating           jsonb,
    rating_solved    integer,
    rating_attitude  integer,
    reopen_count     integer NOT NULL DEFAULT 0,
    closed_at        timestamptz,
    created_by       uuid REFERENCES users (id),
    idempotency_key  text,
    request_hash     text,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX tickets_idempotency ON tickets (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX tickets_status ON tickets (status, id);
CREATE INDEX tickets_department ON tickets (department_id, status) WHERE department_id IS NOT NULL;
CREATE INDEX tickets_enterprise ON tickets (enterprise_id, id);
CREATE INDEX tickets_steward ON tickets (steward_id, id);
CREATE INDEX tickets_leader ON tickets (leader_id, id);
CREATE INDEX tickets_created_by ON tickets (created_by, id);
CREATE INDEX tickets_due ON tickets (due_resolve_at) WHERE status IN ('accepted', 'assigned', 'in_progress', 'returned');
CREATE INDEX tickets_title_trgm ON tickets USING gin (title gin_trgm_ops);
CREATE INDEX tickets_created_at ON tickets (created_at);

CREATE TABLE ticket_events (
    id          uuid PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES tickets (id),
    action      text NOT NULL,
    from_status text NOT NULL DEFAULT '',
    to_status   text NOT NULL DEFAULT '',
    actor_id    uuid,
    actor_name  text NOT NULL,
    actor_role  text NOT NULL DEFAULT '',
    body        text NOT NULL DEFAULT '',
    public      boolean NOT NULL,
    data        jsonb,
    at          timestamptz NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, at, id);

CREATE TABLE ticket_instructions (
    id          uuid PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES tickets (id),
    leader_id   uuid NOT NULL REFERENCES users (id),
    body        text NOT NULL,
    at          timestamptz NOT NULL,
    answer      text NOT NULL DEFAULT '',
    answered_by uuid REFERENCES users (id),
    answered_at timestamptz
);
CREATE INDEX ticket_instructions_ticket ON ticket_instructions (ticket_id, at);
CREATE INDEX ticket_instructions_open ON ticket_instructions (ticket_id) WHERE answered_at IS NULL;
