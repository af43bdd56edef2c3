-- An import keeps its file's header row and its refused rows as uploaded (at most 1000), so that
-- the uploader can download the rows to correct (GET /imports/{id}/failed.xlsx). They hold
-- contacts' personal data and go with the file after 30 days.
ALTER TABLE imports
    ADD COLUMN header text[] NOT NULL DEFAULT '{}',
    ADD COLUMN failed_rows jsonb NOT NULL DEFAULT '[]';
