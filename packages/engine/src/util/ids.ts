import { randomUUID } from 'node:crypto';

/** Every id the engine makes is a UUID; anything else cannot name one of its records. */
export const newId = (): string => randomUUID();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isEngineId = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);
