-- Jobs: timers, async continuations and engine-run service calls. The row, written in the command's
-- transaction, is the truth; a dispatcher (BullMQ or in-process) only tells a worker when to look.
CREATE TABLE jobs (
    id VARCHAR(64) PRIMARY KEY,
    type VARCHAR(20) NOT NULL, -- 'timer', 'async', 'service'
    -- what running it does: 'timer-catch', 'timer-boundary', 'timer-start', 'async-before', 'async-after', 'service'
    handler VARCHAR(30) NOT NULL,
    -- NULL for a timer start event, which belongs to its definition until it creates an instance
    process_instance_id VARCHAR(64) REFERENCES process_instances(id) ON DELETE CASCADE,
    process_definition_id VARCHAR(64) NOT NULL,
    process_definition_key VARCHAR(255) NOT NULL,
    execution_id VARCHAR(64),
    activity_id VARCHAR(255) NOT NULL,
    tenant_id VARCHAR(100),
    due_at TIMESTAMPTZ NOT NULL,
    -- a timer cycle's repetitions still to come (ISO 'R2/PT10M' or a cron expression), else NULL
    repeat VARCHAR(255),
    -- what the handler needs beyond the model, as JSON (a service call's request)
    payload TEXT,
    retries INTEGER NOT NULL,
    lock_owner VARCHAR(255),
    lock_expires_at TIMESTAMPTZ,
    exception_message TEXT,
    exception_stacktrace TEXT,
    suspended BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
-- due jobs nobody holds: what the sweeper and executors look for
CREATE INDEX jobs_due ON jobs (due_at) WHERE retries > 0 AND suspended = false;
CREATE INDEX jobs_instance ON jobs (process_instance_id);
CREATE INDEX jobs_definition ON jobs (process_definition_id);
