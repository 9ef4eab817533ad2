-- The event relay. An outbox row's seq is taken when it is inserted, so a transaction that commits later
-- may hold a smaller seq than rows already read: a reader following seq would skip it. Rows therefore get
-- their place in the published order, `position`, only once committed: whoever assigns positions first
-- locks the one row of outbox_positions, so assignments never overlap, and the positions visible to any
-- reader always form an unbroken run from 1.
ALTER TABLE outbox ADD COLUMN position BIGINT;
ALTER TABLE outbox ADD COLUMN tenant_id VARCHAR(100);
ALTER TABLE outbox ADD COLUMN process_definition_key VARCHAR(255);
CREATE UNIQUE INDEX outbox_position ON outbox (position);
CREATE INDEX outbox_unpositioned ON outbox (seq) WHERE position IS NULL;
DROP INDEX outbox_unpublished;

CREATE TABLE outbox_positions (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_position BIGINT NOT NULL
);
INSERT INTO outbox_positions (id, last_position) VALUES (1, 0);

-- One row per sink (redis, event_manager): the last position it acknowledged, and which engine process
-- delivers to it until when, so that one process at a time publishes each event.
CREATE TABLE outbox_sinks (
    sink VARCHAR(64) PRIMARY KEY,
    position BIGINT NOT NULL,
    holder VARCHAR(255),
    lease_until TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
