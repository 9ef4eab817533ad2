-- Retention: an ended root instance is removed, with the instances it called and everything of theirs,
-- once its removal time has passed (its end plus the process's history time to live, or the engine's
-- default). Called instances keep NULL: they go with their root.
ALTER TABLE process_instances ADD COLUMN removal_time TIMESTAMPTZ;
CREATE INDEX process_instances_removal_time ON process_instances (removal_time) WHERE removal_time IS NOT NULL;
-- audit and outbox rows have no foreign key to their instance: erasing one deletes them by this column
CREATE INDEX outbox_instance ON outbox (process_instance_id);
