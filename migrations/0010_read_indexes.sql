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
