-- The supervision statistics are cached in the server (StatsService, stats_cache.go) under the
-- generation of the data they count: the number of committed transactions that wrote any table
-- the statistics read. Every such transaction bumps it before it commits, so an unchanged
-- generation read before and after a computation means nothing the computation read changed
-- in between, and a cached answer under the current generation is the answer a fresh
-- computation would give.
--
-- The count is spread over 64 rows, one chosen by the writer's backend, so that concurrent
-- writers do not queue for one row lock; readers add them up. A transaction bumps its row once,
-- however many statements it runs (the flag is transaction-local and rolls back with it).
CREATE TABLE stats_generation (
    shard integer PRIMARY KEY,
    n     bigint  NOT NULL DEFAULT 0
);
INSERT INTO stats_generation (shard) SELECT generate_series(0, 63);

CREATE FUNCTION stats_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('steward.stats_bumped', true) IS DISTINCT FROM 'on' THEN
        UPDATE stats_generation SET n = n + 1 WHERE shard = pg_backend_pid() % 64;
        PERFORM set_config('steward.stats_bumped', 'on', true);
    END IF;
    RETURN NULL;
END $$;

-- Statement triggers: they fire for COPY and for a statement that changed no row (a harmless
-- extra bump), and cost one row update per transaction, not one per row.
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tickets FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ticket_events FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON visits FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assignments FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON projects FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plan_nodes FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON enterprises FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON departments FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_overrides FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON working_days FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON working_days_state FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
CREATE TRIGGER stats_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON scorecard_settings FOR EACH STATEMENT EXECUTE FUNCTION stats_bump();
