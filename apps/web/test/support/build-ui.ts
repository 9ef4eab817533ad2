// Builds the UI into apps/web/dist before the browser tests, so that `npm test` works from a fresh clone.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function buildUi(): Promise<void> {
  await build({ root: fileURLToPath(new URL('../../', import.meta.url)), logLevel: 'warn' });
}
