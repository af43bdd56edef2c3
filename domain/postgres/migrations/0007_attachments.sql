-- Attachments (附件): files attached to tickets (and, later, visit photos). The content lives in
-- the database so that every steward process serves the same files; the row's generated id is
-- the file's only stored name, and the uploader's file name is metadata. Records of government
-- work are never deleted, so neither are their files.

CREATE TABLE attachments (
    id           uuid PRIMARY KEY,
    -- owner_type and owner_id say what the file is attached to; a new owner kind widens the check.
    owner_type   text NOT NULL CONSTRAINT attachments_owner_type CHECK (owner_type IN ('ticket')),
    owner_id     uuid NOT NULL,
    file_name    text NOT NULL,
    -- content_type is what the content was sniffed to be, never what the client declared.
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size > 0),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    internal     boolean NOT NULL DEFAULT false,
    content      bytea NOT NULL,
    uploaded_by  uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    CHECK (octet_length(content) = size)
);
-- Images, PDFs and Office files are compressed already: store them out of line as they are.
ALTER TABLE attachments ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX attachments_owner ON attachments (owner_type, owner_id, created_at, id);
