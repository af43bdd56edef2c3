-- Supervision statistics (监督统计): when a ticket was accepted, a table of working-day ordinals
-- so that working days between two dates are one subtraction, and an index for visits by date.

-- accepted_at is when the ticket was accepted (受理), which starts the resolve clock; filled by the
-- accept move, and here from the timeline for tickets accepted before the column existed.
ALTER TABLE tickets ADD COLUMN accepted_at timestamptz;
UPDATE tickets t SET accepted_at = ev.at
FROM (SELECT ticket_id, min(at) AS at FROM ticket_events WHERE action = 'accept' GROUP BY ticket_id) ev
WHERE ev.ticket_id = t.id;

-- working_days has one row per civil date (Asia/Shanghai) of the years the statistics reckon
-- with; ordinal is how many working days there are from the table's first day up to and
-- including day. The working days after a's date up to and including b's date are then
-- ordinal(b) - ordinal(a), which is domain/calendar.WorkingDaysBetween. The CalendarService
-- rebuilds the table from the calendar in force (statutory data and administrators'
-- overrides) whenever the overrides change; calendar is the fingerprint of the overrides it
-- was built from.
CREATE TABLE working_days (
    day     date PRIMARY KEY,
    ordinal integer NOT NULL
);
CREATE TABLE working_days_state (
    id       boolean PRIMARY KEY DEFAULT true CHECK (id),
    calendar text NOT NULL,
    built_at timestamptz NOT NULL
);

-- Visits in a period, with what coverage and per-steward counts need, without the table.
CREATE INDEX visits_visited_at ON visits (visited_at) INCLUDE (enterprise_id, steward_id);
