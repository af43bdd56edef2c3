-- Departments and enterprises: the first slice of the register.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE departments (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('bureau', 'government', 'utility')),
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT departments_name_key UNIQUE (name)
);

CREATE TABLE enterprises (
    id                   uuid PRIMARY KEY,
    name                 text NOT NULL,
    credit_code          char(18) NOT NULL,
    legal_representative text NOT NULL DEFAULT '',
    industry             char(1) NOT NULL,
    scale                text NOT NULL CHECK (scale IN ('large', 'medium', 'small', 'micro')),
    key_level            text NOT NULL CHECK (key_level IN ('provincial', 'municipal', 'district')),
    address              text NOT NULL DEFAULT '',
    street               text NOT NULL DEFAULT '',
    tags                 text[] NOT NULL DEFAULT '{}',
    contacts             jsonb NOT NULL DEFAULT '[]',
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT enterprises_credit_code_key UNIQUE (credit_code)
);

CREATE INDEX enterprises_name_trgm ON enterprises USING gin (name gin_trgm_ops);
CREATE INDEX enterprises_key_level ON enterprises (key_level, id);
CREATE INDEX enterprises_street ON enterprises (street, id);
CREATE INDEX enterprises_industry ON enterprises (industry, id);
