// The Dockerfile's build, checked in CI: scripts/docker-steps.sh builds and runs the image where a Docker
// engine runs, and otherwise runs the Dockerfile's steps in a temporary directory (install, build, an
// install of the production dependencies alone, and the compiled server answering /health).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../../../scripts/docker-steps.sh', import.meta.url));

it('builds the server as the Dockerfile does, and the result answers /health with 200', async () => {
  const { stdout } = await promisify(execFile)('bash', [script], { timeout: 600_000, maxBuffer: 64 << 20 });
  expect(stdout.trim().split('\n').at(-1)).toMatch(/answers \/health with 200/);
}, 600_000);
