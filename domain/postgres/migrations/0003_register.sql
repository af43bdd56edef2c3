-- The register: pinyin search on enterprises, projects with their stages and investments, and
-- the responsibility chain (包保 assignments).

ALTER TABLE enterprises
    ADD COLUMN name_pinyin   text NOT NULL DEFAULT '',
    ADD COLUMN name_initials text NOT NULL DEFAULT '';
CREATE INDEX enterprises_pinyin_trgm ON enterprises USING gin (name_pinyin gin_trgm_ops);
CREATE INDEX enterprises_initials_trgm ON enterprises USING gin (name_initials gin_trgm_ops);
CREATE INDEX enterprises_pinyin_order ON enterprises (name_pinyin, id);
CREATE INDEX enterprises_credit_code_prefix ON enterprises (credit_code bpchar_pattern_ops);
CREATE INDEX enterprises_status ON enterprises (status, id);

CREATE TABLE projects (
    id                 uuid PRIMARY KEY,
    enterprise_id      uuid NOT NULL REFERENCES enterprises (id),
    name               text NOT NULL,
    name_pinyin        text NOT NULL DEFAULT '',
    name_initials      text NOT NULL DEFAULT '',
    kind               text NOT NULL CHECK (kind IN ('new', 'expansion', 'renovation')),
    industry           char(1) NOT NULL,
    planned_investment numeric(14, 2) NOT NULL CHECK (planned_investment > 0),
    planned_start      date NOT NULL,
    planned_completion date NOT NULL CHECK (planned_completion >= planned_start),
    key_level          text NOT NULL CHECK (key_level IN ('provincial', 'municipal', 'district')),
    location           text NOT NULL DEFAULT '',
    stage              text NOT NULL CHECK (stage IN ('negotiating', 'signed', 'permitting', 'under_construction',
                           'completed', 'operating', 'at_capacity', 'suspended', 'cancelled')),
    stage_since        date NOT NULL,
    resume_stage       text NOT NULL DEFAULT '',
    -- completed_investment is the sum of the monthly reports, kept with them for lists and lights.
    completed_investment numeric(14, 2) NOT NULL DEFAULT 0,
    light              text NOT NULL DEFAULT 'green',
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_enterprise ON projects (enterprise_id, id);
CREATE INDEX projects_stage ON projects (stage, id);
CREATE INDEX projects_name_trgm ON projects USING gin (name gin_trgm_ops);

CREATE TABLE project_stage_moves (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id),
    from_stage text NOT NULL,
    to_stage   text NOT NULL,
    on_date    date NOT NULL,
    note       text NOT NULL DEFAULT '',
    reason     text NOT NULL DEFAULT '',
    by_user    uuid REFERENCES users (id),
    by_name    text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL
);
CREATE INDEX project_stage_moves_project ON project_stage_moves (project_id, at);

CREATE TABLE project_investments (
    project_id uuid NOT NULL REFERENCES projects (id),
    month      char(7) NOT NULL,
    amount     numeric(14, 2) NOT NULL CHECK (amount >= 0),
    by_user    uuid REFERENCES users (id),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (project_id, month)
);

CREATE TABLE assignments (
    id           uuid PRIMARY KEY,
    subject_type text NOT NULL CHECK (subject_type IN ('enterprise', 'project')),
    subject_id   uuid NOT NULL,
    leader_id    uuid NOT NULL REFERENCES users (id),
    steward_id   uuid NOT NULL REFERENCES users (id),
    from_date    date NOT NULL,
    to_date      date CHECK (to_date >= from_date),
    reason       text NOT NULL DEFAULT '',
    created_by   uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL
);
-- One current assignment per subject.
CREATE UNIQUE INDEX assignments_one_current ON assignments (subject_type, subject_id) WHERE to_date IS NULL;
CREATE INDEX assignments_subject ON assignments (subject_type, subject_id, from_date);
CREATE INDEX assignments_current_steward ON assignments (steward_id, subject_type, subject_id) WHERE to_date IS NULL;
CREATE INDEX assignments_current_leader ON assignments (leader_id, subject_type, subject_id) WHERE to_date IS NULL;
