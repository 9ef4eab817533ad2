-- An event has no position until the relay gives it one, once its command has committed. The unique index on
-- position took an entry for every event at insert, a NULL that nothing reads: the relay, GET /events and the
-- retention find events by a position range or value, which a NULL never matches. It now holds positioned
-- events only, so an event's insert writes one B-tree entry fewer.
DROP INDEX outbox_position;
CREATE UNIQUE INDEX outbox_position ON outbox (position) WHERE position IS NOT NULL;
