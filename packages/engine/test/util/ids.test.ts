// Record ids are UUIDs of version 7: they sort in the order they were made, so that new rows go at the
// right edge of the indexes that hold their ids.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isEngineId, newId } from '../../src/util/ids.js';

describe('record ids', () => {
  afterEach(() => vi.useRealTimers());

  it('are version 7 UUIDs carrying the time they were made', () => {
    const before = Date.now();
    const id = newId();
    expect(isEngineId(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('sort in the order they were made, also many in one millisecond and with the clock set back', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-06T12:00:00Z'));
    // more than the 4,096 a millisecond's counter holds
    const ids = Array.from({ length: 10_000 }, newId);
    vi.setSystemTime(new Date('2026-12-06T11:00:00Z'));
    ids.push(...Array.from({ length: 100 }, newId));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every(isEngineId)).toBe(true);
  });

  it('differ in their random part', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const tails = new Set(Array.from({ length: 1_000 }, () => newId().slice(19)));
    expect(tails.size).toBe(1_000);
  });
});
