-- An event's id is a random UUID the engine gives it, read by consumers to de-duplicate and never looked up
-- here: the relay and GET /events find events by position. Its unique index cost every event a random insert
-- into a B-tree on insert, and another when its position is assigned (that update writes a new row version
-- into every index of the table): start → end on PostgreSQL ran 5 to 10% faster without it.
ALTER TABLE outbox DROP CONSTRAINT outbox_id_key;
