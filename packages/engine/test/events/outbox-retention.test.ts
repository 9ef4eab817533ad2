// Retention deletes events older than the cutoff that every sink has, and nothing else: not what a sink
// still waits for, not what no position was given yet, unless the sink has been gone a whole period.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { assignPositions, lastPosition } from '../../src/events/outbox-positions.js';
import { deleteDeliveredEvents } from '../../src/events/outbox-retention.js';
import { outboxRow } from '../../src/execution/history.js';
import { testBackends } from '../../src/testing/index.js';
import { scratchDatabase } from '../support/scratch-database.js';

const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * HOUR);

for (const backend of testBackends()) {
  describe(`outbox retention on ${backend}`, () => {
    const database = scratchDatabase(backend, 'outbox-retention');

    const event = (hoursAgo: number) => outboxRow('process_manager.instance.started', {}, at(hoursAgo), { process_instance_id: null, tenant_id: null, process_definition_key: null });

    it('deletes old events up to the slowest sink\'s position, and ignores a sink gone for a whole period', async () => {
      const { db } = database();
      await db.insertInto('outbox').values([48, 47, 46, 45, 1].map(event)).execute();
      expect(await assignPositions(db, false)).toEqual({ last: 5, full: false });
      await db.insertInto('outbox').values(event(44)).execute();
      await db.insertInto('outbox_sinks').values([
        { sink: 'redis', position: 4, holder: null, lease_until: null, updated_at: at(1) },
        { sink: 'event_manager', position: 2, holder: null, lease_until: null, updated_at: at(2) },
      ]).execute();
      const kept = async () => (await sql<{ position: number | null }>`select position from outbox order by seq`.execute(db)).rows.map((r) => r.position && Number(r.position));

      expect(await deleteDeliveredEvents(db, at(24))).toBe(2);
      expect(await kept()).toEqual([3, 4, 5, null]);
      // the Event Manager was taken out of the configuration long ago
      await db.updateTable('outbox_sinks').set({ updated_at: at(30) }).where('sink', '=', 'event_manager').execute();
      expect(await deleteDeliveredEvents(db, at(24))).toBe(2);
      expect(await kept()).toEqual([5, null]);
    });

    it('stops at the first event by position still within the period: an older one after it goes once that one has', async () => {
      const { db } = database();
      await db.deleteFrom('outbox').execute();
      await db.deleteFrom('outbox_sinks').execute();
      const first = await lastPosition(db) + 1;
      // a command that committed late made the fourth and fifth events older than the third
      await db.insertInto('outbox').values([48, 47, 10, 46, 45].map(event)).execute();
      await assignPositions(db, false);
      const kept = async () => (await sql<{ position: number }>`select position from outbox order by position`.execute(db)).rows.map((r) => Number(r.position) - first + 1);

      expect(await deleteDeliveredEvents(db, at(24))).toBe(2);
      expect(await kept()).toEqual([3, 4, 5]);
      expect(await deleteDeliveredEvents(db, at(24))).toBe(0);
      expect(await deleteDeliveredEvents(db, at(5))).toBe(3);
      expect(await kept()).toEqual([]);
    });
  });
}
