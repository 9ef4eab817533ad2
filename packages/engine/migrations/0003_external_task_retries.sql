-- Every external task is created with its retries (the model's number, or the default), so a NULL can
-- only hide a bug.
ALTER TABLE external_tasks ALTER COLUMN retries SET NOT NULL;
