-- Configuration the ticket clocks run on: request categories (诉求类别) with their time limits in
-- working days, and administrators' overrides of the working-day calendar.

CREATE TABLE categories (
    id                    uuid PRIMARY KEY,
    name                  text NOT NULL,
    description           text NOT NULL DEFAULT '',
    default_department_id uuid REFERENCES departments (id),
    sign_days             integer NOT NULL DEFAULT 1 CHECK (sign_days BETWEEN 1 AND 30),
    resolve_days          integer NOT NULL CHECK (resolve_days BETWEEN 1 AND 120),
    active                boolean NOT NULL DEFAULT true,
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT categories_name_key UNIQUE (name)
);

-- The defaults of DESIGN.md §3. Their ids are fixed, and older than any UUIDv7 made at run time,
-- so that lists (ordered by id) show them first and in this order.
INSERT INTO categories (id, name, description, sign_days, resolve_days) VALUES
    ('01900000-0000-7000-8000-000000000001', '政策咨询', '惠企政策、申报条件、办事流程等咨询', 1, 3),
    ('01900000-0000-7000-8000-000000000002', '审批许可', '项目审批、行政许可、证照办理', 1, 10),
    ('01900000-0000-7000-8000-000000000003', '用地', '土地供应、规划条件、不动产登记', 1, 15),
    ('01900000-0000-7000-8000-000000000004', '用电', '供电接入、增容、停电', 1, 15),
    ('01900000-0000-7000-8000-000000000005', '用水', '供水接入、排水、水压', 1, 15),
    ('01900000-0000-7000-8000-000000000006', '用气', '燃气接入、增容、气价', 1, 15),
    ('01900000-0000-7000-8000-000000000007', '基础设施', '道路、管网、通信、周边配套', 1, 20),
    ('01900000-0000-7000-8000-000000000008', '其他', '其他诉求', 1, 5);

-- An override replaces the statutory holiday arrangement of one whole year (domain/calendar.Year):
-- to correct the library's data, or to enter a year the library does not have yet.
CREATE TABLE calendar_overrides (
    year       integer PRIMARY KEY CHECK (year BETWEEN 1 AND 9999),
    holidays   date[] NOT NULL DEFAULT '{}',
    workdays   date[] NOT NULL DEFAULT '{}',
    version    integer NOT NULL DEFAULT 1,
    updated_by uuid REFERENCES users (id),
    updated_at timestamptz NOT NULL
);
