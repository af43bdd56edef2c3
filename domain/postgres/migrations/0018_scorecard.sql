-- The department scorecard (部门考核得分, issue 14): its settings, one row — the weights of the
-- four measures in points adding up to 100, and how many departments the red list (红榜) and the
-- black list (黑榜) name (domain.ScorecardSettings). Administrators change it with If-Match on
-- version; every change is audited.
CREATE TABLE scorecard_settings (
    id                  boolean PRIMARY KEY DEFAULT true CHECK (id),
    weight_on_time      integer NOT NULL CHECK (weight_on_time BETWEEN 0 AND 100),
    weight_satisfaction integer NOT NULL CHECK (weight_satisfaction BETWEEN 0 AND 100),
    weight_returns      integer NOT NULL CHECK (weight_returns BETWEEN 0 AND 100),
    weight_node_on_time integer NOT NULL CHECK (weight_node_on_time BETWEEN 0 AND 100),
    red                 integer NOT NULL CHECK (red BETWEEN 0 AND 20),
    black               integer NOT NULL CHECK (black BETWEEN 0 AND 20),
    version             integer NOT NULL,
    updated_by          uuid REFERENCES users (id),
    updated_at          timestamptz NOT NULL,
    CHECK (weight_on_time + weight_satisfaction + weight_returns + weight_node_on_time = 100)
);
-- The defaults (domain.DefaultScorecardSettings).
INSERT INTO scorecard_settings (weight_on_time, weight_satisfaction, weight_returns, weight_node_on_time, red, black, version, updated_at)
VALUES (40, 30, 15, 15, 3, 3, 1, now());

-- A department's returns: the return events of the period's tickets.
CREATE INDEX ticket_events_returns ON ticket_events (ticket_id) WHERE action = 'return';
