-- Visits (走访): a steward's contact with an enterprise, optionally about one of its projects.
CREATE TABLE visits (
    id              uuid PRIMARY KEY,
    steward_id      uuid NOT NULL REFERENCES users (id),
    enterprise_id   uuid NOT NULL REFERENCES enterprises (id),
    project_id      uuid REFERENCES projects (id),
    visited_at      timestamptz NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('onsite', 'phone', 'online', 'meeting')),
    attendees       text[] NOT NULL DEFAULT '{}',
    summary         text NOT NULL,
    findings        text NOT NULL DEFAULT '',
    satisfaction    text NOT NULL DEFAULT '',
    location        jsonb,
    idempotency_key text,
    request_hash    text,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX visits_idempotency ON visits (steward_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX visits_enterprise ON visits (enterprise_id, visited_at);
CREATE INDEX visits_project ON visits (project_id, visited_at) WHERE project_id IS NOT NULL;
CREATE INDEX visits_steward ON visits (steward_id, visited_at);

-- A ticket raised from a visit's findings points back to it.
ALTER TABLE tickets ADD CONSTRAINT tickets_visit_fkey FOREIGN KEY (visit_id) REFERENCES visits (id);
CREATE INDEX tickets_visit ON tickets (visit_id) WHERE visit_id IS NOT NULL;
