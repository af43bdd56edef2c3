-- API tokens expire (default 90 days, at most 365); tokens made before expiry existed get 90
-- days from this migration, so that running integrations have time to get a new one.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
UPDATE api_tokens SET expires_at = now() + interval '90 days';
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;

-- An uploaded import file is deleted 30 days after the upload; the record of what it did stays.
ALTER TABLE imports ALTER COLUMN file DROP NOT NULL;
CREATE INDEX imports_file_kept ON imports (created_at) WHERE file IS NOT NULL;
