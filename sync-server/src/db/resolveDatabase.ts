/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL under `.data/` (reusing one that
 * is already running, e.g. when the admin CLI runs beside `npm start`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded.js';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    await c.end().catch(() => undefined);
    return false;
  }
}

export async function resolveDatabase(env: NodeJS.ProcessEnv, rootDir: string): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, stop: async () => undefined };
  const dataDir = path.resolve(rootDir, env.DATA_DIR ?? '.data');
  const port = Number(env.EMBEDDED_PG_PORT ?? 54329);
  const pwFile = path.join(dataDir, 'pg-password');
  if (existsSync(pwFile)) {
    const url = `postgres://postgres:${encodeURIComponent(readFileSync(pwFile, 'utf8').trim())}@127.0.0.1:${port}/postgres`;
    if (await reachable(url)) return { url, embedded: true, stop: async () => undefined };
  }
  const handle = await startEmbeddedPostgres({ dataDir, port });
  return { url: handle.url, embedded: true, stop: handle.stop };
}
