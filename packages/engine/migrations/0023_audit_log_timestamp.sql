-- The audit log of every instance and definition (Camunda's user operation log) is read in time order and by
-- a period, which no index led with: every such read sorted the whole log.
CREATE INDEX audit_log_timestamp ON audit_log (timestamp, seq);
