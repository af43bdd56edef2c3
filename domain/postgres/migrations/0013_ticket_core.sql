-- The ticket core (issue 10/11): urgency asked for from outside the government is a request
-- the bureau confirms at accept.

-- urgency_requested: an enterprise (or an integration for it) asked for urgency; priority
-- stays normal until the dispatcher accepts with urgent.
ALTER TABLE tickets ADD COLUMN urgency_requested boolean NOT NULL DEFAULT false;

-- The running clock (domain.Ticket.RunningClock): of the clocks that run in the ticket's status,
-- the earliest due and warning times. Written with every move, so the SLA light is derived from
-- the row (red: clock_due_at passed; yellow: clock_warn_at passed) and the light filters are
-- served by indexes. Rows stored before are filled here by the same rule.
ALTER TABLE tickets ADD COLUMN clock_due_at timestamptz, ADD COLUMN clock_warn_at timestamptz;
UPDATE tickets SET
    clock_due_at = CASE
        WHEN status = 'assigned' AND due_sign_at IS NOT NULL THEN least(due_sign_at, due_resolve_at)
        WHEN status IN ('accepted', 'assigned', 'in_progress', 'returned') THEN due_resolve_at END,
    clock_warn_at = CASE
        WHEN status = 'assigned' AND warn_sign_at IS NOT NULL THEN least(warn_sign_at, warn_resolve_at)
        WHEN status IN ('accepted', 'assigned', 'in_progress', 'returned') THEN warn_resolve_at END;
CREATE INDEX tickets_clock_due ON tickets (clock_due_at) WHERE clock_due_at IS NOT NULL;
CREATE INDEX tickets_clock_warn ON tickets (clock_warn_at) WHERE clock_warn_at IS NOT NULL;
