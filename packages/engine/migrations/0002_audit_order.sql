-- Audit entries written by one command share a timestamp; the order they were written in is kept here.
ALTER TABLE audit_log ADD COLUMN seq INTEGER GENERATED ALWAYS AS IDENTITY;
DROP INDEX audit_log_instance;
CREATE INDEX audit_log_instance ON audit_log (process_instance_id, seq);
