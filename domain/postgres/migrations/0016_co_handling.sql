-- Co-handling (主办/协办, issue 13): the co-handling departments of a ticket and the opinion each
-- owes the lead, one jsonb element per department (postgres.opinionJSON):
-- {department_id, status: owed|given|waived, due_at, warn_at, body, by, at}. Kept in the ticket's
-- row so an opinion changes in the transaction of the move, with the row's version, its event and
-- its audit record.
ALTER TABLE tickets ADD COLUMN opinions jsonb NOT NULL DEFAULT '[]'
    CHECK (jsonb_typeof(opinions) = 'array');

-- The scope of a co-handling department's officers: tickets whose opinions name it
-- (opinions @> '[{"department_id": …}]').
CREATE INDEX tickets_opinions ON tickets USING gin (opinions jsonb_path_ops);
