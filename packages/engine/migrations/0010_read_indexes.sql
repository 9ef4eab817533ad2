-- Indexes for the reads of a store that has grown.
-- Analytics read the rows of a period by their time columns, which no index led with: every call read every
-- instance, task and activity instance ever stored.
CREATE INDEX process_instances_start_time ON process_instances (start_time);
CREATE INDEX process_instances_end_time ON process_instances (end_time) WHERE end_time IS NOT NULL;
CREATE INDEX tasks_created ON tasks (created);
CREATE INDEX tasks_end_time ON tasks (end_time) WHERE end_time IS NOT NULL;
CREATE INDEX activity_instances_start_time ON activity_instances (start_time);
CREATE INDEX activity_instances_end_time ON activity_instances (end_time) WHERE end_time IS NOT NULL;
CREATE INDEX incidents_timestamp ON incidents (incident_timestamp);
-- The task list: open tasks in their default order, and a candidate group's tasks, without the ended ones.
CREATE INDEX tasks_open_created ON tasks (created, id) WHERE status IN ('created', 'assigned', 'delegated');
CREATE INDEX task_identity_links_candidate_group ON task_identity_links (group_id, task_id) WHERE type = 'candidate';
-- An instance list filtered by process and status, in its default order (newest first), and its total counted
-- from the index alone (the status filter reads suspension_state too). It leads with the columns of
-- process_instances_key_status, which it replaces.
CREATE INDEX process_instances_key_status_start ON process_instances (process_definition_key, status, start_time) INCLUDE (suspension_state);
DROP INDEX process_instances_key_status;

-- Bottlenecks (where tokens wait, GET /bottlenecks and /statistics) from a daily rollup of the activity history
-- instead of every activity instance of the period. A UTC day is rolled up when first read, once it is over
-- by two full days, and only activity instances that started that day and have ended count in its waits (the
-- wait of a token still there grows until it leaves, so those are read as they are). Any later change to an
-- activity instance that started before yesterday — it ends, it is seeded, its instance is removed — adds a
-- row to that day's changes; a day's version is the number of its changes, and a rollup is used only while
-- it was made at the day's current version, so the answers stay exactly those of the raw rows. A change is
-- a row of its own, not an update of a counter: a counter row would be locked by every transaction that
-- touches the day until it commits, so commands on different instances would wait for one another, and two
-- touching the same two days in opposite orders would deadlock.
CREATE INDEX activity_instances_open_start ON activity_instances (start_time) WHERE end_time IS NULL;

CREATE TABLE activity_day_changes (
    date DATE NOT NULL
);
CREATE INDEX activity_day_changes_date ON activity_day_changes (date);

-- the version each rolled-up day was made at
CREATE TABLE activity_wait_rollups (
    date DATE PRIMARY KEY,
    version INTEGER NOT NULL
);

-- per day, process, activity and tenant ('' for none): the steps of the path that started that day (scopes
-- excepted, as in the raw query), how many of them have ended, their summed wait in ms, and the instances
-- they belong to
CREATE TABLE activity_wait_days (
    date DATE NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    activity_id VARCHAR(255) NOT NULL,
    tenant_id VARCHAR(100) NOT NULL,
    activity_name VARCHAR(255),
    ended INTEGER NOT NULL,
    ended_wait DOUBLE PRECISION NOT NULL,
    instances INTEGER NOT NULL,
    PRIMARY KEY (date, process_definition_key, activity_id, tenant_id)
);

-- An instance that reaches an activity on several days is one instance affected, not one per day: for every
-- instance reaching an activity on a day, the latest earlier day it reached it, counted per pair of days,
-- so that a period subtracts the pairs of days it holds both of.
CREATE TABLE activity_wait_repeats (
    date DATE NOT NULL,
    previous_date DATE NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    activity_id VARCHAR(255) NOT NULL,
    tenant_id VARCHAR(100) NOT NULL,
    instances INTEGER NOT NULL,
    PRIMARY KEY (date, previous_date, process_definition_key, activity_id, tenant_id)
);

CREATE FUNCTION activity_day_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the day of the row, and every later day its instance reached the same activity on, whose repeats it may change
    INSERT INTO activity_day_changes (date)
    SELECT DISTINCT (day.start_time AT TIME ZONE 'UTC')::date
    FROM (SELECT NEW.process_instance_id, NEW.activity_id, NEW.start_time WHERE TG_OP <> 'DELETE'
          UNION ALL SELECT OLD.process_instance_id, OLD.activity_id, OLD.start_time WHERE TG_OP <> 'INSERT')
         AS changed (process_instance_id, activity_id, start_time)
    CROSS JOIN LATERAL (
        SELECT changed.start_time
        UNION ALL
        SELECT later.start_time FROM activity_instances later
        WHERE later.process_instance_id = changed.process_instance_id AND later.activity_id = changed.activity_id
          AND later.start_time > changed.start_time
    ) AS day (start_time);
    RETURN NULL;
END $$;

-- Only rows that started before yesterday count as changes: no rollup of a later day can exist yet, and the
-- engine's own writes are of today or yesterday (a task completed the next morning) and pay no more than
-- this test. Rollups wait a day longer than that, so a transaction that wrote a row of yesterday just before
-- midnight has long committed when its day is rolled up.
CREATE TRIGGER activity_instances_past_day_insert AFTER INSERT ON activity_instances FOR EACH ROW
    WHEN (NEW.start_time < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day')
    EXECUTE FUNCTION activity_day_changed();
CREATE TRIGGER activity_instances_past_day_update AFTER UPDATE ON activity_instances FOR EACH ROW
    WHEN (OLD.start_time < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day'
       OR NEW.start_time < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day')
    EXECUTE FUNCTION activity_day_changed();
CREATE TRIGGER activity_instances_past_day_delete AFTER DELETE ON activity_instances FOR EACH ROW
    WHEN (OLD.start_time < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day')
    EXECUTE FUNCTION activity_day_changed();

-- Rolls up one day unless it already is at its current version. The version is read before the rows, each
-- statement seeing what was committed before it began, so a rollup never claims a version older than a row
-- it left out. A day of which a change may still be on its way (the day before yesterday or later) is left alone.
CREATE FUNCTION roll_up_activity_waits(day DATE) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    current_version INTEGER;
    day_start TIMESTAMPTZ := day::timestamp AT TIME ZONE 'UTC';
BEGIN
    IF day >= (clock_timestamp() AT TIME ZONE 'UTC')::date - 2 THEN
        RETURN;
    END IF;
    -- two readers rolling up the same day would each delete only the rows they saw
    PERFORM pg_advisory_xact_lock(hashtext('roll_up_activity_waits'), day - DATE '2000-01-01');
    SELECT count(*) INTO current_version FROM activity_day_changes WHERE date = day;
    IF EXISTS (SELECT 1 FROM activity_wait_rollups WHERE date = day AND version = current_version) THEN
        RETURN;
    END IF;
    DELETE FROM activity_wait_days WHERE date = day;
    DELETE FROM activity_wait_repeats WHERE date = day;
    INSERT INTO activity_wait_days (date, process_definition_key, activity_id, tenant_id, activity_name, ended, ended_wait, instances)
    SELECT day, a.process_definition_key, a.activity_id, coalesce(p.tenant_id, ''), max(a.activity_name), count(a.end_time)::int,
           coalesce(sum((extract(epoch FROM (a.end_time - a.start_time)) * 1000)::float8), 0),
           count(DISTINCT a.process_instance_id)::int
    FROM activity_instances a JOIN process_instances p ON p.id = a.process_instance_id
    WHERE a.start_time >= day_start AND a.start_time < day_start + interval '1 day'
      AND a.in_path AND a.activity_type NOT IN ('subProcess', 'callActivity', 'transaction', 'adHocSubProcess')
    GROUP BY a.process_definition_key, a.activity_id, coalesce(p.tenant_id, '');
    INSERT INTO activity_wait_repeats (date, previous_date, process_definition_key, activity_id, tenant_id, instances)
    SELECT day, earlier.date, pair.process_definition_key, pair.activity_id, pair.tenant_id, count(*)::int
    FROM (
        SELECT DISTINCT a.process_instance_id, a.process_definition_key, a.activity_id, coalesce(p.tenant_id, '') AS tenant_id
        FROM activity_instances a JOIN process_instances p ON p.id = a.process_instance_id
        WHERE a.start_time >= day_start AND a.start_time < day_start + interval '1 day'
          AND a.in_path AND a.activity_type NOT IN ('subProcess', 'callActivity', 'transaction', 'adHocSubProcess')
    ) pair
    CROSS JOIN LATERAL (
        SELECT (max(e.start_time) AT TIME ZONE 'UTC')::date AS date FROM activity_instances e
        WHERE e.process_instance_id = pair.process_instance_id AND e.activity_id = pair.activity_id AND e.start_time < day_start
          AND e.in_path AND e.activity_type NOT IN ('subProcess', 'callActivity', 'transaction', 'adHocSubProcess')
    ) earlier
    WHERE earlier.date IS NOT NULL
    GROUP BY earlier.date, pair.process_definition_key, pair.activity_id, pair.tenant_id;
    INSERT INTO activity_wait_rollups (date, version) VALUES (day, current_version)
    ON CONFLICT (date) DO UPDATE SET version = current_version;
END $$;
