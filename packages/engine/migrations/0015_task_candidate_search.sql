-- A task's candidates as arrays on the task itself, so that a candidate group's or user's open tasks are found
-- from an index of the open tasks alone. Through the identity links, a group's open tasks were either found
-- among all its tasks ever offered (most of them long completed) or by walking the open tasks in list order
-- until a page of the group's was found; on a grown store both read thousands of rows per page. A task's
-- candidates are fixed when it is created, so the arrays are written once, in the same row, each name once and
-- in code-point order; the task answers its candidates from them. The links are still written beside them.
ALTER TABLE tasks ADD COLUMN candidate_users TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE tasks ADD COLUMN candidate_groups TEXT[] NOT NULL DEFAULT '{}';

UPDATE tasks SET candidate_users = links.users, candidate_groups = links.groups
FROM (
    SELECT task_id,
           coalesce(array_agg(DISTINCT user_id::text COLLATE "C") FILTER (WHERE user_id IS NOT NULL), '{}') AS users,
           coalesce(array_agg(DISTINCT group_id::text COLLATE "C") FILTER (WHERE group_id IS NOT NULL), '{}') AS groups
    FROM task_identity_links WHERE type = 'candidate' GROUP BY task_id
) links
WHERE links.task_id = tasks.id;

-- Open tasks with candidates of the kind only: a task offered to nobody (most in some models) costs its insert
-- nothing here. The statuses are those of an open task, and listTasks writes both conditions out as here, so
-- that the planner can tell its query reads no row outside the index.
CREATE INDEX tasks_open_candidate_users ON tasks USING gin (candidate_users)
    WHERE status IN ('created', 'assigned', 'delegated') AND candidate_users <> '{}';
CREATE INDEX tasks_open_candidate_groups ON tasks USING gin (candidate_groups)
    WHERE status IN ('created', 'assigned', 'delegated') AND candidate_groups <> '{}';
