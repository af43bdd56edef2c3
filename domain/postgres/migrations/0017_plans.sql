-- Approval plans (审批节点计划, issue 13): templates per project kind, one plan per project, its
-- nodes (a row each, so a department's inbox and the statistics query them with an index) and
-- its timeline. A node move changes the plan's version, its nodes, an event and the audit log in
-- one transaction (postgres.PlanService).

CREATE TABLE plan_templates (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    project_kind text NOT NULL CHECK (project_kind IN ('new', 'expansion', 'renovation')),
    -- [{key, name, department_id, days, after: [key]}] (postgres.templateNodeJSON)
    nodes        jsonb NOT NULL CHECK (jsonb_typeof(nodes) = 'array'),
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX plan_templates_kind ON plan_templates (project_kind, name);

CREATE TABLE plans (
    id          uuid PRIMARY KEY,
    project_id  uuid NOT NULL UNIQUE REFERENCES projects (id),
    template_id uuid NOT NULL REFERENCES plan_templates (id),
    start_on    date NOT NULL,
    status      text NOT NULL CHECK (status IN ('active', 'done')),
    created_by  uuid REFERENCES users (id),
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE plan_nodes (
    id             uuid PRIMARY KEY,
    plan_id        uuid NOT NULL REFERENCES plans (id),
    position       integer NOT NULL,
    key            text NOT NULL,
    name           text NOT NULL,
    department_id  uuid NOT NULL REFERENCES departments (id),
    days           integer NOT NULL CHECK (days > 0),
    after          text[] NOT NULL DEFAULT '{}',
    planned_start  date NOT NULL,
    planned_finish date NOT NULL,
    status         text NOT NULL CHECK (status IN ('waiting', 'ready', 'in_progress', 'blocked', 'done', 'waived')),
    ready_on       date,
    due_at         timestamptz,
    warn_at        timestamptz,
    started_on     date,
    finished_on    date,
    note           text NOT NULL DEFAULT '',
    reason         text NOT NULL DEFAULT '',
    ticket_id      uuid REFERENCES tickets (id),
    UNIQUE (plan_id, key)
);
CREATE INDEX plan_nodes_plan ON plan_nodes (plan_id, position);
-- A department's inbox: its open nodes by due time; the statistics: nodes by department and due.
CREATE INDEX plan_nodes_department ON plan_nodes (department_id, due_at, id);
CREATE INDEX plan_nodes_open_due ON plan_nodes (due_at, id) WHERE status IN ('ready', 'in_progress', 'blocked');

CREATE TABLE plan_events (
    id          uuid PRIMARY KEY,
    plan_id     uuid NOT NULL REFERENCES plans (id),
    node_id     uuid REFERENCES plan_nodes (id),
    action      text NOT NULL,
    from_status text NOT NULL DEFAULT '',
    to_status   text NOT NULL DEFAULT '',
    actor_id    uuid REFERENCES users (id),
    actor_name  text NOT NULL,
    actor_role  text NOT NULL,
    body        text NOT NULL DEFAULT '',
    data        jsonb,
    at          timestamptz NOT NULL
);
CREATE INDEX plan_events_plan ON plan_events (plan_id, at, id);

-- A ticket raised by a blocked node (卡点) shows the node; the node keeps the ticket.
ALTER TABLE tickets ADD COLUMN plan_node_id uuid REFERENCES plan_nodes (id);
CREATE INDEX tickets_plan_node ON tickets (plan_node_id) WHERE plan_node_id IS NOT NULL;
