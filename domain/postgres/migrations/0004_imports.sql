-- Imports: uploaded spreadsheets whose rows a background job saves one by one, with their progress
-- and the problems found. The file is kept with the record of what it did.

CREATE TABLE imports (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('enterprises')),
    file_name        text NOT NULL,
    format           text NOT NULL CHECK (format IN ('xlsx', 'csv')),
    file             bytea NOT NULL,
    status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    total            integer NOT NULL DEFAULT 0,
    done             integer NOT NULL DEFAULT 0,
    failed           integer NOT NULL DEFAULT 0,
    created          integer NOT NULL DEFAULT 0,
    updated          integer NOT NULL DEFAULT 0,
    unchanged        integer NOT NULL DEFAULT 0,
    -- errors lists [{row, field, column, message}], at most 1000 of them.
    errors           jsonb NOT NULL DEFAULT '[]',
    errors_truncated boolean NOT NULL DEFAULT false,
    -- created_by is the uploader, as whom the rows are saved; NULL for the system.
    created_by       uuid REFERENCES users (id),
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz
);
CREATE INDEX imports_created_by ON imports (created_by, id);
