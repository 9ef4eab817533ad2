import { randomFillSync } from 'node:crypto';

// Ids are UUIDs of version 7 (RFC 9562): the time in milliseconds first, then a counter, then 62 random
// bits. Ids made one after another sort one after another, so a new row's key goes at the right edge of
// each index that holds it (its primary key, and the instance id of its instance's rows) instead of into a
// random page of it: each insert touches the page the previous one did, and after a checkpoint the store
// logs the full image of far fewer pages. Random ids (version 4) made every insert a page of its own.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const bytes = Buffer.alloc(16);
/** random bytes drawn ahead in one call: per id 8 for its random part and 2 for a counter's start */
const DRAWN = 10;
const pool = Buffer.alloc(DRAWN * 512);
let pooled = pool.length;
let lastMs = 0;
/** 12 bits after the time: the order of the ids made in one millisecond */
let counter = 0;

function nextRandom(): Buffer {
  if (pooled === pool.length) {
    randomFillSync(pool);
    pooled = 0;
  }
  pooled += DRAWN;
  return pool.subarray(pooled - DRAWN, pooled);
}

/** Every id the engine makes is a UUID; anything else cannot name one of its records. */
export function newId(): string {
  const random = nextRandom();
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    // a random start leaves room for the ids of the same millisecond and hides how many came before
    counter = random.readUInt16BE(8) & 0x3ff;
  } else if (++counter > 0xfff) {
    // more ids than the counter holds in one millisecond, or a clock set back: the time runs ahead by one
    lastMs += 1;
    counter = 0;
  }
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  random.copy(bytes, 8, 0, 8);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  let hex = '';
  for (let i = 0; i < 16; i++) hex += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + HEX[bytes[i]!]!;
  return hex;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isEngineId = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);
