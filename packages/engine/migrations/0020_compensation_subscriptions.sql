-- A completed activity that can be compensated leaves a subscription of type 'compensate' in its scope. Its
-- configuration says what a throw needs and no other column holds: the order in which the activities
-- completed (handlers start in reverse), and the sub-processes that have completed around the activity since
-- (a throw naming one of them compensates what ran inside it).
ALTER TABLE event_subscriptions ADD COLUMN configuration TEXT;
