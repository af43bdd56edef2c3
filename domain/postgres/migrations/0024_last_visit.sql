-- The last visit of each enterprise and project, on its own row: the due-visits list reads it
-- with the subject it reads anyway, instead of probing the visits index once per assignment (a
-- steward's 334: half the list's buffers at district scale). It is the same number as
-- max(visits.visited_at) for the subject, never stale: the triggers below keep it in the
-- statement that inserts, corrects or deletes visits, whatever writes them (the services, the
-- seeds' COPY, a hand-made fix), and the tests compare it with the direct computation.
ALTER TABLE enterprises ADD COLUMN last_visit_at timestamptz;
ALTER TABLE projects ADD COLUMN last_visit_at timestamptz;

UPDATE enterprises e SET last_visit_at = v.at
FROM (SELECT enterprise_id, max(visited_at) AS at FROM visits GROUP BY enterprise_id) v
WHERE v.enterprise_id = e.id;
UPDATE projects p SET last_visit_at = v.at
FROM (SELECT project_id, max(visited_at) AS at FROM visits WHERE project_id IS NOT NULL GROUP BY project_id) v
WHERE v.project_id = p.id;

-- Recomputes the last visit of the given subjects. Their rows are locked first (in id order, so
-- two statements cannot deadlock; NO KEY UPDATE, so the foreign-key checks of tickets and visits
-- do not wait), and the maximum is read by the next statement, whose snapshot is taken after the
-- lock: any other transaction that changed these subjects' visits has committed by then (it
-- held the lock) or will recompute after this one commits (it waits for the lock). So the last
-- writer always sees every visit, and a concurrent insert, correction or deletion cannot leave a
-- stale value behind.
CREATE FUNCTION visit_subjects_refresh(ents uuid[], projs uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(ents) > 0 THEN
        PERFORM 1 FROM enterprises WHERE id = ANY (ents) ORDER BY id FOR NO KEY UPDATE;
        UPDATE enterprises e SET last_visit_at = m.at
        FROM (SELECT s.id, (SELECT max(v.visited_at) FROM visits v WHERE v.enterprise_id = s.id) AS at
              FROM unnest(ents) AS s(id)) m
        WHERE e.id = m.id AND e.last_visit_at IS DISTINCT FROM m.at;
    END IF;
    IF cardinality(projs) > 0 THEN
        PERFORM 1 FROM projects WHERE id = ANY (projs) ORDER BY id FOR NO KEY UPDATE;
        UPDATE projects p SET last_visit_at = m.at
        FROM (SELECT s.id, (SELECT max(v.visited_at) FROM visits v WHERE v.project_id = s.id) AS at
              FROM unnest(projs) AS s(id)) m
        WHERE p.id = m.id AND p.last_visit_at IS DISTINCT FROM m.at;
    END IF;
END $$;

-- Statement triggers with the statement's rows (one UPDATE per COPY batch of the seeds, not one
-- per visit). PostgreSQL allows transition tables only on a trigger of a single event: three.
CREATE FUNCTION visits_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM visit_subjects_refresh(
        ARRAY(SELECT DISTINCT enterprise_id FROM new_visits),
        ARRAY(SELECT DISTINCT project_id FROM new_visits WHERE project_id IS NOT NULL));
    RETURN NULL;
END $$;

CREATE FUNCTION visits_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only statements that move a visit in time or to another subject change a last visit.
    PERFORM visit_subjects_refresh(
        ARRAY(SELECT o.enterprise_id FROM old_visits o JOIN new_visits n ON n.id = o.id
              WHERE (o.visited_at, o.enterprise_id) IS DISTINCT FROM (n.visited_at, n.enterprise_id)
              UNION SELECT n.enterprise_id FROM old_visits o JOIN new_visits n ON n.id = o.id
              WHERE (o.visited_at, o.enterprise_id) IS DISTINCT FROM (n.visited_at, n.enterprise_id)),
        ARRAY(SELECT o.project_id FROM old_visits o JOIN new_visits n ON n.id = o.id
              WHERE o.project_id IS NOT NULL AND (o.visited_at, o.project_id) IS DISTINCT FROM (n.visited_at, n.project_id)
              UNION SELECT n.project_id FROM old_visits o JOIN new_visits n ON n.id = o.id
              WHERE n.project_id IS NOT NULL AND (o.visited_at, o.project_id) IS DISTINCT FROM (n.visited_at, n.project_id)));
    RETURN NULL;
END $$;

CREATE FUNCTION visits_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM visit_subjects_refresh(
        ARRAY(SELECT DISTINCT enterprise_id FROM old_visits),
        ARRAY(SELECT DISTINCT project_id FROM old_visits WHERE project_id IS NOT NULL));
    RETURN NULL;
END $$;

CREATE TRIGGER visits_last_visit_insert AFTER INSERT ON visits
    REFERENCING NEW TABLE AS new_visits FOR EACH STATEMENT EXECUTE FUNCTION visits_inserted();
CREATE TRIGGER visits_last_visit_update AFTER UPDATE ON visits
    REFERENCING OLD TABLE AS old_visits NEW TABLE AS new_visits FOR EACH STATEMENT EXECUTE FUNCTION visits_updated();
CREATE TRIGGER visits_last_visit_delete AFTER DELETE ON visits
    REFERENCING OLD TABLE AS old_visits FOR EACH STATEMENT EXECUTE FUNCTION visits_deleted();
