-- The figures of GET /statistics and /performance from a daily rollup, in the way of migration 0010's rollup of
-- activity waits: a UTC day is rolled up when first read, once it is over by two full days, and its rollup is
-- used only at the day's current version (the summed weight of its rows in activity_day_changes, below). Only
-- rows whose state is final count in it: ended instances, tasks no longer open, ended activity instances. What is
-- still open (an active instance, an open task) and the days at the ends of a period are read as they are, so
-- that figures which depend on the time of the read (lead time, overdue tasks) stay those of the raw rows.
-- Sums and counts are kept rather than means, so that days combine; every row is per process key and tenant
-- ('' for none), so that a period narrowed to one process or to a caller's tenants reads only its own rows.

-- per day, process and tenant; each column names the day it is counted on
CREATE TABLE process_statistics (
    date DATE NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    tenant_id VARCHAR(100) NOT NULL,
    -- ended instances that started this day: how many, completed, terminated (either way), with an incident,
    -- the summed durations (ms) of the completed ones, and the summed start → end of all (ms)
    instances_started INTEGER NOT NULL DEFAULT 0,
    instances_completed INTEGER NOT NULL DEFAULT 0,
    instances_terminated INTEGER NOT NULL DEFAULT 0,
    instances_with_incident INTEGER NOT NULL DEFAULT 0,
    completed_duration DOUBLE PRECISION NOT NULL DEFAULT 0,
    lead_time DOUBLE PRECISION NOT NULL DEFAULT 0,
    -- tasks created this day that are no longer open, and of them the completed and the cancelled ones
    tasks_closed INTEGER NOT NULL DEFAULT 0,
    tasks_completed INTEGER NOT NULL DEFAULT 0,
    tasks_cancelled INTEGER NOT NULL DEFAULT 0,
    -- incidents raised this day, and how many of them are resolved
    incidents INTEGER NOT NULL DEFAULT 0,
    incidents_resolved INTEGER NOT NULL DEFAULT 0,
    -- instances that ended this day: how many, completed, completed without an incident, the summed durations of
    -- the completed ones (ms), their token time at automated work and waiting (ms), and those with rework
    ended INTEGER NOT NULL DEFAULT 0,
    ended_completed INTEGER NOT NULL DEFAULT 0,
    ended_clean INTEGER NOT NULL DEFAULT 0,
    cycle_time DOUBLE PRECISION NOT NULL DEFAULT 0,
    processing_time DOUBLE PRECISION NOT NULL DEFAULT 0,
    waiting_time DOUBLE PRECISION NOT NULL DEFAULT 0,
    reworked INTEGER NOT NULL DEFAULT 0,
    -- tasks completed this day, those of them with a due date, and those completed by it
    finished_tasks INTEGER NOT NULL DEFAULT 0,
    finished_with_due INTEGER NOT NULL DEFAULT 0,
    finished_on_time INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (date, process_definition_key, tenant_id)
);

-- completed instances that started this day, by duration (ms): the median of a period is read from them
CREATE TABLE process_statistics_durations (
    date DATE NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    tenant_id VARCHAR(100) NOT NULL,
    duration DOUBLE PRECISION NOT NULL,
    instances INTEGER NOT NULL,
    PRIMARY KEY (date, process_definition_key, tenant_id, duration)
);

-- ended instances that started this day, by the UTC hour they started in
CREATE TABLE process_statistics_hours (
    date DATE NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    tenant_id VARCHAR(100) NOT NULL,
    hour INTEGER NOT NULL,
    instances INTEGER NOT NULL,
    PRIMARY KEY (date, process_definition_key, tenant_id, hour)
);

-- tasks completed this day, by who completed them (or their assignee)
CREATE TABLE process_statistics_workers (
    date DATE NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    tenant_id VARCHAR(100) NOT NULL,
    user_id VARCHAR(255) NOT NULL,
    tasks INTEGER NOT NULL,
    PRIMARY KEY (date, process_definition_key, tenant_id, user_id)
);

-- units of work on the path completed this day, by activity type
CREATE TABLE process_statistics_activities (
    date DATE NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    tenant_id VARCHAR(100) NOT NULL,
    activity_type VARCHAR(100) NOT NULL,
    activities INTEGER NOT NULL,
    PRIMARY KEY (date, process_definition_key, tenant_id, activity_type)
);

-- the version each rolled-up day was made at
CREATE TABLE process_statistics_rollups (
    date DATE PRIMARY KEY,
    version INTEGER NOT NULL
);

-- A day's version is now the sum of its changes' weights, each change weighing 1 as it is written. When a day is
-- rolled up, its changes are folded into one row of their summed weight, so that the version of a day read often
-- is read from one row rather than counted from every change it ever had; the sum stays, so every version made
-- before stays valid. Two foldings of one day side by side each fold the rows they delete, and the sum stays.
ALTER TABLE activity_day_changes ADD COLUMN weight INTEGER NOT NULL DEFAULT 1;

CREATE FUNCTION compact_day_changes(day DATE) RETURNS INTEGER LANGUAGE sql AS $$
    WITH folded AS (DELETE FROM activity_day_changes WHERE date = day RETURNING weight),
    kept AS (INSERT INTO activity_day_changes (date, weight) SELECT day, sum(weight) FROM folded HAVING count(*) > 0 RETURNING weight)
    SELECT coalesce(sum(weight), 0)::int FROM kept;
$$;

-- migration 0010's function, its version now read (and its changes folded) by compact_day_changes
DO $$
DECLARE
    counted CONSTANT TEXT := 'SELECT count(*) INTO current_version FROM activity_day_changes WHERE date = day;';
    definition TEXT := pg_get_functiondef('roll_up_activity_waits(date)'::regprocedure);
BEGIN
    IF position(counted IN definition) = 0 THEN
        RAISE EXCEPTION 'roll_up_activity_waits does not read its version as migration 0010 wrote it';
    END IF;
    EXECUTE replace(definition, counted, 'current_version := compact_day_changes(day);');
END $$;

-- An activity instance's change now also changes the day it ended on and the day its instance ended on (the
-- split of token time and the rework of an ended instance are counted on its end day).
CREATE OR REPLACE FUNCTION activity_day_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the days of the row, and every later day its instance reached the same activity on, whose repeats it may change
    INSERT INTO activity_day_changes (date)
    SELECT DISTINCT (day.at AT TIME ZONE 'UTC')::date
    FROM (SELECT NEW.process_instance_id, NEW.activity_id, NEW.start_time, NEW.end_time WHERE TG_OP <> 'DELETE'
          UNION ALL SELECT OLD.process_instance_id, OLD.activity_id, OLD.start_time, OLD.end_time WHERE TG_OP <> 'INSERT')
         AS changed (process_instance_id, activity_id, start_time, end_time)
    CROSS JOIN LATERAL (
        SELECT changed.start_time
        UNION ALL
        SELECT changed.end_time WHERE changed.end_time IS NOT NULL
        UNION ALL
        SELECT owner.end_time FROM process_instances owner WHERE owner.id = changed.process_instance_id AND owner.end_time IS NOT NULL
        UNION ALL
        SELECT later.start_time FROM activity_instances later
        WHERE later.process_instance_id = changed.process_instance_id AND later.activity_id = changed.activity_id
          AND later.start_time > changed.start_time
    ) AS day (at);
    RETURN NULL;
END $$;

-- The days of the row's timestamp columns named by the trigger, before and after the change.
CREATE FUNCTION row_days_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_day_changes (date)
    SELECT DISTINCT ((r.row ->> c.name)::timestamptz AT TIME ZONE 'UTC')::date
    FROM (SELECT to_jsonb(NEW) WHERE TG_OP <> 'DELETE' UNION ALL SELECT to_jsonb(OLD) WHERE TG_OP <> 'INSERT') AS r (row)
    CROSS JOIN unnest(TG_ARGV) AS c (name)
    WHERE r.row ->> c.name IS NOT NULL;
    RETURN NULL;
END $$;

-- An ended instance that started before yesterday: its start and end days. An active one is read as it is.
CREATE TRIGGER process_instances_past_day_insert AFTER INSERT ON process_instances FOR EACH ROW
    WHEN (NEW.status <> 'active' AND NEW.start_time < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day')
    EXECUTE FUNCTION row_days_changed('start_time', 'end_time');
CREATE TRIGGER process_instances_past_day_update AFTER UPDATE ON process_instances FOR EACH ROW
    WHEN ((OLD.status <> 'active' OR NEW.status <> 'active')
      AND (OLD.start_time < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day'
        OR NEW.start_time < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day'))
    EXECUTE FUNCTION row_days_changed('start_time', 'end_time');
CREATE TRIGGER process_instances_past_day_delete AFTER DELETE ON process_instances FOR EACH ROW
    WHEN (OLD.status <> 'active' AND OLD.start_time < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day')
    EXECUTE FUNCTION row_days_changed('start_time', 'end_time');

-- A task no longer open (created, assigned or delegated, as OPEN_TASK_STATUSES says) that was created before
-- yesterday: its creation and end days. An open one is read as it is.
CREATE TRIGGER tasks_past_day_insert AFTER INSERT ON tasks FOR EACH ROW
    WHEN (NEW.status NOT IN ('created', 'assigned', 'delegated') AND NEW.created < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day')
    EXECUTE FUNCTION row_days_changed('created', 'end_time');
CREATE TRIGGER tasks_past_day_update AFTER UPDATE ON tasks FOR EACH ROW
    WHEN ((OLD.status NOT IN ('created', 'assigned', 'delegated') OR NEW.status NOT IN ('created', 'assigned', 'delegated'))
      AND (OLD.created < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day'
        OR NEW.created < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day'))
    EXECUTE FUNCTION row_days_changed('created', 'end_time');
CREATE TRIGGER tasks_past_day_delete AFTER DELETE ON tasks FOR EACH ROW
    WHEN (OLD.status NOT IN ('created', 'assigned', 'delegated') AND OLD.created < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day')
    EXECUTE FUNCTION row_days_changed('created', 'end_time');

-- An incident counts on the day it was raised, and whether an ended instance had one on that instance's start
-- and end days. Incidents are raised and removed rarely, so each of those looks its instance up.
CREATE FUNCTION incident_day_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_day_changes (date)
    SELECT DISTINCT (day.at AT TIME ZONE 'UTC')::date
    FROM (
        SELECT NEW.incident_timestamp WHERE TG_OP <> 'DELETE'
        UNION ALL SELECT OLD.incident_timestamp WHERE TG_OP <> 'INSERT'
        UNION ALL
        SELECT owner_day.at FROM process_instances owner
        CROSS JOIN LATERAL (VALUES (owner.start_time), (owner.end_time)) AS owner_day (at)
        WHERE owner.id IN (NEW.process_instance_id, OLD.process_instance_id) AND owner.status <> 'active'
    ) AS day (at)
    WHERE day.at < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day';
    RETURN NULL;
END $$;

CREATE TRIGGER incidents_day_insert AFTER INSERT ON incidents FOR EACH ROW EXECUTE FUNCTION incident_day_changed();
CREATE TRIGGER incidents_past_day_update AFTER UPDATE ON incidents FOR EACH ROW
    WHEN (OLD.incident_timestamp < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day'
       OR NEW.incident_timestamp < date_trunc('day', clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day')
    EXECUTE FUNCTION incident_day_changed();
CREATE TRIGGER incidents_day_delete AFTER DELETE ON incidents FOR EACH ROW EXECUTE FUNCTION incident_day_changed();

-- Rolls up one day unless it already is at its current version, as roll_up_activity_waits does. The activity
-- types of automated work, of waiting and of units of work are the engine's (activity-kinds.ts), passed in.
CREATE FUNCTION roll_up_process_statistics(day DATE, automated TEXT[], waiting TEXT[], work TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    current_version INTEGER;
    day_start TIMESTAMPTZ := day::timestamp AT TIME ZONE 'UTC';
    day_end TIMESTAMPTZ := day::timestamp AT TIME ZONE 'UTC' + interval '1 day';
BEGIN
    IF day >= (clock_timestamp() AT TIME ZONE 'UTC')::date - 2 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('roll_up_process_statistics'), day - DATE '2000-01-01');
    current_version := compact_day_changes(day);
    IF EXISTS (SELECT 1 FROM process_statistics_rollups WHERE date = day AND version = current_version) THEN
        RETURN;
    END IF;
    DELETE FROM process_statistics WHERE date = day;
    DELETE FROM process_statistics_durations WHERE date = day;
    DELETE FROM process_statistics_hours WHERE date = day;
    DELETE FROM process_statistics_workers WHERE date = day;
    DELETE FROM process_statistics_activities WHERE date = day;

    CREATE TEMP TABLE started_today ON COMMIT DROP AS
    SELECT p.process_definition_key AS key, coalesce(p.tenant_id, '') AS tenant, p.status, p.start_time,
           (extract(epoch FROM (p.end_time - p.start_time)) * 1000)::float8 AS duration,
           EXISTS (SELECT 1 FROM incidents i WHERE i.process_instance_id = p.id) AS had_incident
    FROM process_instances p
    WHERE p.start_time >= day_start AND p.start_time < day_end AND p.status <> 'active';

    INSERT INTO process_statistics (date, process_definition_key, tenant_id, instances_started, instances_completed,
        instances_terminated, instances_with_incident, completed_duration, lead_time)
    SELECT day, key, tenant, count(*), count(*) FILTER (WHERE status = 'completed'),
           count(*) FILTER (WHERE status IN ('terminated', 'externally_terminated')), count(*) FILTER (WHERE had_incident),
           coalesce(sum(duration) FILTER (WHERE status = 'completed'), 0), coalesce(sum(duration), 0)
    FROM started_today GROUP BY key, tenant;
    INSERT INTO process_statistics_durations (date, process_definition_key, tenant_id, duration, instances)
    SELECT day, key, tenant, duration, count(*) FROM started_today WHERE status = 'completed' GROUP BY key, tenant, duration;
    INSERT INTO process_statistics_hours (date, process_definition_key, tenant_id, hour, instances)
    SELECT day, key, tenant, extract(hour FROM start_time AT TIME ZONE 'UTC')::int, count(*) FROM started_today GROUP BY 1, 2, 3, 4;
    DROP TABLE started_today;

    INSERT INTO process_statistics AS s (date, process_definition_key, tenant_id, tasks_closed, tasks_completed, tasks_cancelled)
    SELECT day, t.process_definition_key, coalesce(t.tenant_id, ''), count(*), count(*) FILTER (WHERE t.status = 'completed'),
           count(*) FILTER (WHERE t.status = 'cancelled')
    FROM tasks t WHERE t.created >= day_start AND t.created < day_end AND t.status NOT IN ('created', 'assigned', 'delegated')
    GROUP BY 2, 3
    ON CONFLICT (date, process_definition_key, tenant_id) DO UPDATE
    SET tasks_closed = EXCLUDED.tasks_closed, tasks_completed = EXCLUDED.tasks_completed, tasks_cancelled = EXCLUDED.tasks_cancelled;

    INSERT INTO process_statistics AS s (date, process_definition_key, tenant_id, incidents, incidents_resolved)
    SELECT day, coalesce(d.key, ''), coalesce(i.tenant_id, ''), count(*), count(*) FILTER (WHERE i.status = 'resolved')
    FROM incidents i LEFT JOIN process_definitions d ON d.id = i.process_definition_id
    WHERE i.incident_timestamp >= day_start AND i.incident_timestamp < day_end
    GROUP BY 2, 3
    ON CONFLICT (date, process_definition_key, tenant_id) DO UPDATE
    SET incidents = EXCLUDED.incidents, incidents_resolved = EXCLUDED.incidents_resolved;

    -- as performance.ts reads the instances ended in a period: token time per step of the path, and the units of
    -- work entered twice outside a multi-instance body
    INSERT INTO process_statistics AS s (date, process_definition_key, tenant_id, ended, ended_completed, ended_clean,
        cycle_time, processing_time, waiting_time, reworked)
    SELECT day, ended.key, ended.tenant, count(*), count(*) FILTER (WHERE ended.completed),
           count(*) FILTER (WHERE ended.completed AND NOT ended.had_incident),
           coalesce(sum(ended.duration) FILTER (WHERE ended.completed), 0),
           coalesce(sum(steps.processing), 0), coalesce(sum(steps.waiting), 0), count(*) FILTER (WHERE steps.reworked)
    FROM (
        SELECT p.id, p.process_definition_key AS key, coalesce(p.tenant_id, '') AS tenant, p.status = 'completed' AS completed,
               (extract(epoch FROM (p.end_time - p.start_time)) * 1000)::float8 AS duration,
               EXISTS (SELECT 1 FROM incidents i WHERE i.process_instance_id = p.id) AS had_incident
        FROM process_instances p WHERE p.end_time >= day_start AND p.end_time < day_end
    ) ended
    LEFT JOIN LATERAL (
        SELECT sum(step.duration) FILTER (WHERE ended.completed AND step.activity_type = ANY (automated)) AS processing,
               sum(step.duration) FILTER (WHERE ended.completed AND step.activity_type = ANY (waiting)) AS waiting,
               bool_or(step.work_entries > 1) AS reworked
        FROM (
            SELECT a.activity_type, sum((extract(epoch FROM (a.end_time - a.start_time)) * 1000)::float8) AS duration,
                   count(*) FILTER (WHERE a.activity_type = ANY (work) AND body.id IS NULL) AS work_entries
            FROM activity_instances a
            LEFT JOIN activity_instances body ON body.id = a.parent_activity_instance_id AND body.in_path = false
            WHERE a.process_instance_id = ended.id AND a.in_path
            GROUP BY a.activity_id, a.activity_type
        ) step
    ) steps ON true
    GROUP BY ended.key, ended.tenant
    ON CONFLICT (date, process_definition_key, tenant_id) DO UPDATE
    SET ended = EXCLUDED.ended, ended_completed = EXCLUDED.ended_completed, ended_clean = EXCLUDED.ended_clean,
        cycle_time = EXCLUDED.cycle_time, processing_time = EXCLUDED.processing_time, waiting_time = EXCLUDED.waiting_time,
        reworked = EXCLUDED.reworked;

    INSERT INTO process_statistics AS s (date, process_definition_key, tenant_id, finished_tasks, finished_with_due, finished_on_time)
    SELECT day, t.process_definition_key, coalesce(t.tenant_id, ''), count(*), count(*) FILTER (WHERE t.due IS NOT NULL),
           count(*) FILTER (WHERE t.end_time <= t.due)
    FROM tasks t WHERE t.end_time >= day_start AND t.end_time < day_end AND t.status = 'completed'
    GROUP BY 2, 3
    ON CONFLICT (date, process_definition_key, tenant_id) DO UPDATE
    SET finished_tasks = EXCLUDED.finished_tasks, finished_with_due = EXCLUDED.finished_with_due, finished_on_time = EXCLUDED.finished_on_time;

    INSERT INTO process_statistics_workers (date, process_definition_key, tenant_id, user_id, tasks)
    SELECT day, t.process_definition_key, coalesce(t.tenant_id, ''), coalesce(t.completed_by, t.assignee), count(*)
    FROM tasks t
    WHERE t.end_time >= day_start AND t.end_time < day_end AND t.status = 'completed' AND coalesce(t.completed_by, t.assignee) IS NOT NULL
    GROUP BY 2, 3, 4;

    INSERT INTO process_statistics_activities (date, process_definition_key, tenant_id, activity_type, activities)
    SELECT day, a.process_definition_key, coalesce(p.tenant_id, ''), a.activity_type, count(*)
    FROM activity_instances a JOIN process_instances p ON p.id = a.process_instance_id
    WHERE a.end_time >= day_start AND a.end_time < day_end AND a.status = 'completed' AND a.in_path AND a.activity_type = ANY (work)
    GROUP BY 2, 3, 4;

    INSERT INTO process_statistics_rollups (date, version) VALUES (day, current_version)
    ON CONFLICT (date) DO UPDATE SET version = current_version;
END $$;
