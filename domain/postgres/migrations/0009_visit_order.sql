-- The visit list is newest first; for the bureau, and for a steward whose scope filters it,
-- walking this index in order is what keeps the list fast with a million visits.
CREATE INDEX visits_recent ON visits (visited_at DESC, id DESC);
