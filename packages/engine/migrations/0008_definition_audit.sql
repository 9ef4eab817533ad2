-- Deploying, changing, suspending and deleting definitions is audited in audit_log with no instance; the
-- trail of a process key (every version, deleted ones included) is read by key.
CREATE INDEX audit_log_definition_key ON audit_log (process_definition_key, seq) WHERE process_instance_id IS NULL;
