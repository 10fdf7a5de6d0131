/**
 * `npm run bench`: sync throughput of the real server with a Node RxDB replica (memory
 * storage) against a plain fetch loop over the same endpoints, then the device bridge at 100 /
 * 500 / 1000 printers reporting at 1 Hz (bench/bridgeBench.ts). PostgreSQL from DATABASE_URL
 * (a throwaway database on it) or an embedded one; everything is closed at the end.
 * Figures go to stdout and scripts/bench/results/latest.json.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '@fleetsync/sync-server';
import { BRIDGE_BASELINE, runBridgeScenarios } from './bench/bridgeBench.js';
import { bridgeLine, bridgeRatios, printBridgeTables } from './bench/bridgeReport.js';
import { timed } from './bench/measure.js';
import { acquireDatabase, type BenchDatabase } from './bench/pg.js';
import { printTable, writeJson } from './bench/report.js';
import { Budget, runAll, runOnce, type ScenarioResult, type ScenarioSpec } from './bench/runner.js';
import { pullSpecs, pushSpecs } from './bench/specs.js';
import { benchPrinters, pushRaw, seedBySql } from './bench/seed.js';
import { createTenant, startBenchServer } from './bench/server.js';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench', 'results');
const SMALL = 10_000;
const LARGE = 100_000;
const PUSHED = 10_000;
/** Runs of each 10k scenario (median reported) unless a run takes over 10 s; 100k runs once. */
const REPEAT = 3;
/** The whole run, setup included, aims to finish within about five minutes. */
const BUDGET_MS = 270_000;
/** Kept back from the 100k pulls so the push scenarios still run. */
const PUSH_RESERVE_MS = 45_000;
/** The device-bridge scenarios get their own budget after the sync scenarios (whole run: about eight minutes at most). */
const BRIDGE_BUDGET_MS = 210_000;
const out = (line = '') => process.stdout.write(`${line}\n`);
const secs = (ms: number) => (ms / 1000).toFixed(2);

function line(r: ScenarioResult): string {
  if (r.error) return `  ${r.name} (batch ${r.batchSize}): ${r.error}`;
  const runs = r.runs.length > 1 ? ` (median of ${r.runs.length} runs: ${r.runs.join(', ')} docs/s)` : '';
  return `  ${r.name} (batch ${r.batchSize}): ${secs(r.ms)} s, ${r.docsPerSec} docs/s${runs}`;
}

/** Runs specs, printing each first run as it completes. */
async function measureAll(specs: ScenarioSpec[], budget: Budget): Promise<ScenarioResult[]> {
  let group = '';
  return runAll(specs, budget, (r) => {
    if (r.group !== group) out(`${(group = r.group)}:`);
    out(line(r));
  });
}

/**
 * Order matters: every pushed or seeded document stays in the shared `documents` table, so
 * the 10k pulls run while only their own 10k rows exist, the 100k pulls next, pushes last.
 */
async function run(server: RunningServer, database: BenchDatabase, budget: Budget) {
  const small = await createTenant(server, 'pull-10k');
  const large = await createTenant(server, 'pull-100k');

  out(`seeding ${SMALL} printers through POST /push (batches of 1000)...`);
  const seedSmall = await timed(() => pushRaw(small.transport, benchPrinters(small.orgId, SMALL), 1000));
  out(`  ${secs(seedSmall.ms)} s (${Math.round((SMALL * 1000) / seedSmall.ms)} docs/s)`);
  await database.asOwner('ANALYZE documents');

  out('warm-up (unmeasured): one raw pull and one replica pull of the 10k set, batch 1000...');
  for (const spec of pullSpecs('warm-up', small, SMALL, 1000, 30_000, 1)) {
    const r = await runOnce(spec, budget);
    if (r.error) out(`  warm-up ${r.name}: ${r.error}`);
  }
  const results = await measureAll(
    [
      ...pullSpecs('pull 10k @200', small, SMALL, undefined, 60_000, REPEAT),
      ...pullSpecs('pull 10k @1000', small, SMALL, 1000, 60_000, REPEAT),
    ],
    budget.slice(60_000),
  );

  out(`seeding ${LARGE} printers by direct SQL (allocateSeqs + writeDocs, 5000 per transaction)...`);
  const seedLarge = await timed(() => seedBySql(server, large.orgId, large.userId, LARGE));
  out(`  ${secs(seedLarge.ms)} s`);
  await database.asOwner('ANALYZE documents');
  // The same 10k pull again, now beside another org's 100k rows.
  const [crowdedSpec] = pullSpecs('pull 10k @1000, 100k other-org rows present', small, SMALL, 1000, 20_000, 1);
  const crowded = await runOnce(crowdedSpec!, budget);
  out(`the 10k raw pull (batch 1000) again, beside the 100k rows of another org:\n${line(crowded)}`);
  results.push(
    ...(await measureAll(
      pullSpecs('pull 100k @1000', large, LARGE, 1000, 120_000, 1),
      budget.slice(budget.remainingMs() - PUSH_RESERVE_MS),
    )),
  );
  results.push(...(await measureAll(pushSpecs(server, PUSHED, REPEAT), budget)));

  const seeding = {
    pull10k: { method: 'HTTP POST /push, 1000 rows per request', ms: Math.round(seedSmall.ms) },
    pull100k: { method: 'direct SQL: allocateSeqs + writeDocs, 5000 rows per transaction', ms: Math.round(seedLarge.ms) },
  };
  return { results, seeding, observations: { pull10kBeside100kOtherOrgRows: crowded } };
}

async function main(): Promise<void> {
  const started = Date.now();
  const budget = new Budget(BUDGET_MS);
  const loadBefore = os.loadavg().map((n) => n.toFixed(2));
  out(`host: ${os.cpus().length} CPUs, load average ${loadBefore.join(' ')} (other processes skew the figures)`);
  const database = await acquireDatabase(process.env);
  out(`database: ${database.source} (throwaway database for this run)`);
  let server: RunningServer | null = null;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await server?.stop().catch((err: Error) => process.stderr.write(`bench: server stop failed: ${err.message}\n`));
      await database.release();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: closing the server and removing the database...\n`);
      // Requests still in flight lose their connections when the database goes: expected here.
      process.on('uncaughtException', (err) => process.stderr.write(`bench: while stopping: ${err.message}\n`));
      void close().finally(() => process.exit(130));
    });
  }
  try {
    server = await startBenchServer(database.url);
    out(`server: ${server.url} (in this process; memory figures include it)`);
    const { results, seeding, observations } = await run(server, database, budget);
    const loadBridge = os.loadavg().map((n) => n.toFixed(2));
    out(`device bridge scenarios (load average ${loadBridge.join(' ')}; the bridge runs in a child process):`);
    const bridge = await runBridgeScenarios(server, database, new Budget(BRIDGE_BUDGET_MS), (r) => out(bridgeLine(r)));
    out();
    printTable(results);
    out();
    out(`Notes: median of up to ${REPEAT} runs for 10k scenarios (fewer when a run takes over 10 s), one run for 100k,`);
    out('after a warm-up and ANALYZE; time s = wall clock from replica creation (pull) or bulkInsert (push) until');
    out('awaitInSync and the document count matches; stall ms = longest gap between 50 ms memory samples.');
    out();
    printBridgeTables(bridge);
    const loadAfter = os.loadavg().map((n) => n.toFixed(2));
    const file = await writeJson(RESULTS_DIR, {
      database: database.source,
      host: { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
      seeding,
      observations,
      results,
      bridge: { baseline: BRIDGE_BASELINE, loadAverageBefore: loadBridge, results: bridge, ratios: bridgeRatios(bridge) },
      totalSeconds: Math.round((Date.now() - started) / 1000),
    });
    out(`load average now: ${loadAfter.join(' ')}`);
    out(`results: ${path.relative(process.cwd(), file)}; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
