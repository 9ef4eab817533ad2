-- An event has no position until the relay gives it one, once its command has committed, and only positioned
-- events are ever read by position or instance: the relay, GET /events and the retention ask for a position
-- range or value, which a NULL never matches. The unique index on position and the index by instance each took
-- an entry for every event at its insert, which nothing read. Both now hold positioned events only: an event's
-- insert writes two B-tree entries fewer, and positioning it writes them once. The index by instance carries
-- the position too, so that an instance's events are read in order straight from it. The few events not yet
-- positioned are found through outbox_unpositioned.
DROP INDEX outbox_position;
CREATE UNIQUE INDEX outbox_position ON outbox (position) WHERE position IS NOT NULL;
DROP INDEX outbox_instance;
CREATE INDEX outbox_instance_position ON outbox (process_instance_id, position) WHERE position IS NOT NULL;
