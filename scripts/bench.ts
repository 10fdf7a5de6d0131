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
import { benchPrinters, pushRaw, seedBySql } from './bench/seed.js';
import { createTenant, startBenchServer } from './bench/server.js';
import { rawPull, rawPush, repeated, replicaPull, replicaPush, type ScenarioResult } from './bench/syncBench.js';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench', 'results');
const SMALL = 10_000;
const LARGE = 100_000;
const PUSHED = 10_000;
/** Runs of each 10k scenario (median reported); the 100k scenarios run once. */
const REPEAT = 3;
const out = (line = '') => process.stdout.write(`${line}\n`);

async function run(server: RunningServer, database: BenchDatabase) {
  const small = await createTenant(server, 'pull-10k');
  const large = await createTenant(server, 'pull-100k');
  // Push scenarios start from an empty org each run.
  const pushOrg = () => createTenant(server, 'push');

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
  out(
    `  10k via push: ${(seedSmall.ms / 1000).toFixed(2)} s (${seeding.pull10k.docsPerSec} docs/s); 100k via SQL: ${(seedLarge.ms / 1000).toFixed(2)} s`,
  );

  out('warm-up (unmeasured): one raw pull and one replica pull of the 10k set...');
  await rawPull('warm-up', small, SMALL, 1000);
  await replicaPull('warm-up', small, SMALL, undefined, 60_000);

  // Right after a bulk import the planner has no statistics for the new rows yet.
  const stats = await server.db.query<{ n: number }>(
    "SELECT (coalesce(analyze_count, 0) + coalesce(autoanalyze_count, 0))::int AS n FROM pg_stat_user_tables WHERE relname = 'documents'",
  );
  out('measuring pull 100k before ANALYZE (fresh import, planner statistics not yet collected)...');
  const stale = await rawPull('pull 100k, no stats', large, LARGE, 1000);
  out(`  ${stale.name} (batch 1000): ${(stale.ms / 1000).toFixed(2)} s, ${stale.docsPerSec} docs/s`);
  await database.asOwner('ANALYZE documents');
  out('ANALYZE documents (as the owner, as autovacuum eventually would); all figures below are with statistics.');
  const observations = { pull100kBeforeAnalyze: { ...stale, analyzesBefore: stats.rows[0]?.n ?? null } };

  const results: ScenarioResult[] = [];
  const steps: [string, () => Promise<ScenarioResult>][] = [
    ['pull 10k, batch 200 (default)', () => repeated(REPEAT, () => rawPull('pull 10k @200', small, SMALL, 200))],
    ['', () => repeated(REPEAT, () => replicaPull('pull 10k @200', small, SMALL, undefined, 60_000))],
    ['pull 10k, batch 1000', () => repeated(REPEAT, () => rawPull('pull 10k @1000', small, SMALL, 1000))],
    ['', () => repeated(REPEAT, () => replicaPull('pull 10k @1000', small, SMALL, 1000, 60_000))],
    ['push 10k', () => repeated(REPEAT, async () => rawPush('push 10k', server, await pushOrg(), PUSHED, 500))],
    ['', () => repeated(REPEAT, async () => replicaPush('push 10k', server, await pushOrg(), PUSHED, undefined, 90_000))],
    ['', () => repeated(REPEAT, async () => replicaPush('push 10k', server, await pushOrg(), PUSHED, 500, 90_000))],
    ['pull 100k, batch 1000', () => rawPull('pull 100k @1000', large, LARGE, 1000)],
    ['', () => replicaPull('pull 100k @1000', large, LARGE, 1000, 180_000)],
  ];
  for (const [title, step] of steps) {
    if (title) out(`measuring ${title}...`);
    const r = await step();
    results.push(r);
    const runs = r.runs ? ` (median of ${r.runs.length} runs: ${r.runs.join(', ')})` : '';
    out(`  ${r.name} (batch ${r.batchSize}): ${(r.ms / 1000).toFixed(2)} s, ${r.docsPerSec} docs/s${runs}`);
  }
  return { results, seeding, observations };
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg().map((n) => n.toFixed(2));
  out(`host: ${os.cpus().length} CPUs, load average ${loadBefore.join(' ')} (other processes skew the figures)`);
  const database = await acquireDatabase(process.env);
  out(`database: ${database.source} (throwaway database for this run)`);
  let server: RunningServer | null = null;
  try {
    server = await startBenchServer(database.url);
    out(`server: ${server.url} (in this process; memory figures include it)`);
    const { results, seeding, observations } = await run(server, database);
    out();
    printTable(results);
    out();
    out(
      'Notes: median of 3 runs for 10k scenarios, one run for 100k, after a warm-up; time s = wall clock from replica creation (pull) or bulkInsert',
    );
    out('(push) until awaitInSync and the document count matches; stall ms = longest gap between 50 ms memory samples.');
    const file = await writeJson(RESULTS_DIR, {
      database: database.source,
      host: { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg().map((n) => n.toFixed(2)) },
      seeding,
      observations,
      results,
      totalSeconds: Math.round((Date.now() - started) / 1000),
    });
    out(
      `load average now: ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
    out(`results: ${path.relative(process.cwd(), file)}; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await server?.stop().catch((err: Error) => process.stderr.write(`bench: server stop failed: ${err.message}\n`));
    await database.release();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
