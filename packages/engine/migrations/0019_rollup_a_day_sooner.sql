-- A day is rolled up an hour after its changes start to be recorded, rather than a day after. Changes to the
-- rows of a day are recorded (the *_past_day triggers) from the midnight that ends the day after it: from then
-- on every write to its rows is seen. A transaction that wrote a row of that day just before that midnight,
-- its trigger finding the row too recent, has long committed an hour later. The day before yesterday is then
-- rolled up from 01:00 UTC, and the analytics read about a day less of raw rows (one or two days instead of two
-- or three at the end of a period), for stores with many instances a day the largest part of their work. The
-- engine's own writes still record nothing: they are of today, or of yesterday for a task completed the next
-- morning, as before.
DO $$
DECLARE
    a_day_after CONSTANT TEXT := 'IF day >= (clock_timestamp() AT TIME ZONE ''UTC'')::date - 2 THEN';
    an_hour_after CONSTANT TEXT := 'IF day >= ((clock_timestamp() - interval ''1 hour'') AT TIME ZONE ''UTC'')::date - 1 THEN';
    rollup REGPROCEDURE;
    definition TEXT;
BEGIN
    FOREACH rollup IN ARRAY ARRAY['roll_up_activity_waits(date)'::regprocedure,
                                  'roll_up_process_statistics(date, text[], text[], text[])'::regprocedure] LOOP
        definition := pg_get_functiondef(rollup);
        IF position(a_day_after IN definition) = 0 THEN
            RAISE EXCEPTION '% does not leave recent days alone as migrations 0010 and 0014 wrote it', rollup;
        END IF;
        EXECUTE replace(definition, a_day_after, an_hour_after);
    END LOOP;
END $$;
