-- Tracing: the W3C traceparent of the command that wrote a job or an event, so that a job's run can be
-- linked to the command that created it and an event can name the trace it belongs to. NULL when tracing
-- is off.
ALTER TABLE jobs ADD COLUMN trace_parent VARCHAR(55);
ALTER TABLE outbox ADD COLUMN trace_parent VARCHAR(55);
