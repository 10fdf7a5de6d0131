/**
 * `npm test`: typecheck, lint, format check, then every vitest project (unit, integration
 * against real PostgreSQL, e2e in real Chromium), ending with one summary line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const out = (s: string) => process.stdout.write(`${s}\n`);
const failures: string[] = [];

function step(name: string, cmd: string, args: string[]): boolean {
  out(`\n== ${name}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  out(`== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) failures.push(name);
  return r.status === 0;
}

step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
step('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
step('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fleetsync-test-'));
const report = path.join(tmp, 'vitest.json');
const extra = process.argv.slice(2);
step('vitest (unit, integration, e2e)', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...extra,
]);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
    success: boolean;
  };
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  skipped = r.numPendingTests + r.numTodoTests;
  // vitest can exit 0 after an unhandled error or a suite that failed to load: trust the report.
  if (!r.success || r.numFailedTestSuites > 0) failures.push('vitest reported errors');
} catch {
  failures.push('vitest report missing');
}
rmSync(tmp, { recursive: true, force: true });
if (failed === 0 && passed === 0) failures.push('no test ran');

out('');
if (failures.length) out(`failed steps: ${failures.join(', ')}`);
out(`${passed} passed, ${failed + (failures.length && failed === 0 ? 1 : 0)} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failures.length === 0 && failed === 0 ? 0 : 1);
