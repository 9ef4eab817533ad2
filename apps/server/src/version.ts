import { readFileSync } from 'node:fs';

/** The service's version, as its package.json declares it. */
export const serviceVersion: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
