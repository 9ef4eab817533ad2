// `npm test`: runs the whole vitest suite (or the files/filters given as arguments) and ends its output
// with one plain line `N passed, M failed`, summed from vitest's JSON report, so that a run in which no
// test executed is visible as such. Exits non-zero when a test or a test file failed, when vitest itself
// failed, or when no test ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const vitestBin = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const dir = mkdtempSync(join(tmpdir(), 'vitest-report-'));
const report = join(dir, 'report.json');

const run = spawnSync(
  process.execPath,
  [vitestBin, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed = result.numPassedTests ?? 0;
  failed = result.numFailedTests ?? 0;
  // A file that fails to load (syntax error, failing beforeAll) has no failed test of its own: count it once.
  for (const file of result.testResults ?? []) {
    const anyFailed = (file.assertionResults ?? []).some((t) => t.status === 'failed');
    if (file.status === 'failed' && !anyFailed) failed += 1;
  }
}
rmSync(dir, { recursive: true, force: true });

const code = run.status ?? 1;
if (code !== 0 && failed === 0) console.log(`vitest exited with code ${run.status ?? run.signal} (unhandled errors or a crash)`);
if (passed + failed === 0) console.log('no test ran');
console.log(`${passed} passed, ${failed} failed`);
process.exit(code !== 0 || failed > 0 || passed === 0 ? 1 : 0);
