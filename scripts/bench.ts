/**
 * `npm run bench`: sync throughput of the real server with a Node RxDB replica (memory
 * storage) against a plain fetch loop over the same endpoints. PostgreSQL from DATABASE_URL
 * (a throwaway database on it) or an embedded one; everything is closed at the end.
 * Figures go to stdout and scripts/bench/results/latest.json.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '@fleetsync/sync-server';
import { timed } from './bench/measure.js';
import { acquireDatabase, type BenchDatabase } from './bench/pg.js';
import { printTable, writeJson } from './bench/report.js';
import { Budget, runAll, runOnce, type ScenarioResult, type ScenarioSpec } from './bench/runner.js';
import { benchPrinters, pushRaw, seedBySql } from './bench/seed.js';
import { createTenant, startBenchServer, type Tenant } from './bench/server.js';
import * as S from './bench/syncBench.js';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench', 'results');
const SMALL = 10_000;
const LARGE = 100_000;
const PUSHED = 10_000;
/** Runs of each 10k scenario (median reported) unless a run takes over 10 s; 100k runs once. */
const REPEAT = 3;
/** The whole run, setup included, aims to finish within about five minutes. */
const BUDGET_MS = 270_000;
const out = (line = '') => process.stdout.write(`${line}\n`);
const secs = (ms: number) => (ms / 1000).toFixed(2);

function line(r: ScenarioResult): string {
  if (r.error) return `  ${r.name} (batch ${r.batchSize}): ${r.error}`;
  const runs = r.runs.length > 1 ? ` (median of ${r.runs.length} runs: ${r.runs.join(', ')} docs/s)` : '';
  return `  ${r.name} (batch ${r.batchSize}): ${secs(r.ms)} s, ${r.docsPerSec} docs/s${runs}`;
}

function specs(server: RunningServer, small: Tenant, large: Tenant): ScenarioSpec[] {
  const pushOrg = () => createTenant(server, 'push'); // every push run starts from an empty org
  const pull = (
    group: string,
    t: Tenant,
    docs: number,
    batch: number | undefined,
    cap: number,
    times: number,
  ): ScenarioSpec[] => [
    {
      group,
      name: S.RAW_PULL,
      baseline: true,
      docs,
      batchSize: batch ?? S.DEFAULT_PULL_BATCH,
      capMs: cap,
      times,
      run: (ms) => S.rawPull(t, docs, batch ?? S.DEFAULT_PULL_BATCH, ms),
    },
    {
      group,
      name: S.REPLICA_PULL,
      baseline: false,
      docs,
      batchSize: batch ?? S.DEFAULT_PULL_BATCH,
      capMs: cap,
      times,
      run: (ms) => S.replicaPull(t, docs, batch, ms),
    },
  ];
  const replicaPush = (batch: number | undefined): ScenarioSpec => ({
    group: 'push 10k',
    name: S.REPLICA_PUSH,
    baseline: false,
    docs: PUSHED,
    batchSize: S.pushBatchOf(batch),
    capMs: 90_000,
    times: REPEAT,
    run: async (ms) => S.replicaPush(server, await pushOrg(), PUSHED, batch, ms),
  });
  return [
    ...pull('pull 10k @200', small, SMALL, undefined, 60_000, REPEAT),
    ...pull('pull 10k @1000', small, SMALL, 1000, 60_000, REPEAT),
    {
      group: 'push 10k',
      name: S.RAW_PUSH,
      baseline: true,
      docs: PUSHED,
      batchSize: 500,
      capMs: 60_000,
      times: REPEAT,
      run: async (ms) => S.rawPush(server, await pushOrg(), PUSHED, 500, ms),
    },
    replicaPush(undefined),
    replicaPush(500),
    ...pull('pull 100k @1000', large, LARGE, 1000, 120_000, 1),
  ];
}

async function run(server: RunningServer, database: BenchDatabase, budget: Budget) {
  const small = await createTenant(server, 'pull-10k');
  const large = await createTenant(server, 'pull-100k');

  out(`seeding ${SMALL} printers through POST /push (batches of 1000)...`);
  const seedSmall = await timed(() => pushRaw(small.transport, benchPrinters(small.orgId, SMALL), 1000));
  out(`seeding ${LARGE} printers by direct SQL (allocateSeqs + writeDocs, 5000 per transaction)...`);
  const seedLarge = await timed(() => seedBySql(server, large.orgId, large.userId, LARGE));
  const seeding = {
    pull10k: {
      method: 'HTTP POST /push, 1000 rows per request',
      ms: Math.round(seedSmall.ms),
      docsPerSec: Math.round((SMALL * 1000) / seedSmall.ms),
    },
    pull100k: { method: 'direct SQL: allocateSeqs + writeDocs, 5000 rows per transaction', ms: Math.round(seedLarge.ms) },
  };
  out(`  10k via push: ${secs(seedSmall.ms)} s (${seeding.pull10k.docsPerSec} docs/s); 100k via SQL: ${secs(seedLarge.ms)} s`);

  out('warm-up (unmeasured): one raw pull and one replica pull of the 10k set, batch 1000...');
  for (const spec of pull10kWarmUp(small)) {
    const r = await runOnce(spec, budget);
    if (r.error) out(`  warm-up ${r.name}: ${r.error}`);
  }

  // Right after a bulk import the planner has no statistics for the new rows yet.
  out('measuring pull 100k before ANALYZE (fresh import, planner statistics not yet collected)...');
  const stale = await runOnce({ ...pull100kRaw(large), group: 'pull 100k, no statistics', capMs: 25_000 }, budget);
  out(line(stale));
  await database.asOwner('ANALYZE documents');
  out('ANALYZE documents (as the owner, as autovacuum eventually would); the figures below are with statistics.');

  out('first run of every scenario (repeats of the fast ones follow while the budget lasts):');
  let group = '';
  const results = await runAll(specs(server, small, large), budget, (r) => {
    if (r.group !== group) out(`${(group = r.group)}:`);
    out(line(r));
  });
  return { results, seeding, observations: { pull100kBeforeAnalyze: stale } };
}

const pull10kWarmUp = (t: Tenant): ScenarioSpec[] => [
  {
    group: 'warm-up',
    name: S.RAW_PULL,
    baseline: true,
    docs: SMALL,
    batchSize: 1000,
    capMs: 30_000,
    run: (ms) => S.rawPull(t, SMALL, 1000, ms),
  },
  {
    group: 'warm-up',
    name: S.REPLICA_PULL,
    baseline: false,
    docs: SMALL,
    batchSize: 1000,
    capMs: 30_000,
    run: (ms) => S.replicaPull(t, SMALL, 1000, ms),
  },
];
const pull100kRaw = (t: Tenant): ScenarioSpec => ({
  group: 'pull 100k @1000',
  name: S.RAW_PULL,
  baseline: true,
  docs: LARGE,
  batchSize: 1000,
  capMs: 120_000,
  run: (ms) => S.rawPull(t, LARGE, 1000, ms),
});

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
    out();
    printTable(results);
    out();
    out(`Notes: median of up to ${REPEAT} runs for 10k scenarios, one run for 100k, after a warm-up; time s = wall clock`);
    out('from replica creation (pull) or bulkInsert (push) until awaitInSync and the document count matches;');
    out('stall ms = longest gap between 50 ms memory samples (event loop blocked).');
    const loadAfter = os.loadavg().map((n) => n.toFixed(2));
    const file = await writeJson(RESULTS_DIR, {
      database: database.source,
      host: { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
      seeding,
      observations,
      results,
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
