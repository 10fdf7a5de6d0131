/**
 * `npm start`: embedded PostgreSQL (unless DATABASE_URL), migrations, first-start seed,
 * the PWA build if missing, and the sync server. Ctrl-C stops everything.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFromEnv, createPool, migrate, seedDemo, startServer } from '@fleetsync/sync-server';
import { resolveDatabase } from '../sync-server/src/db/resolveDatabase.js';
import { startDemoSite } from './demoSite.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = (line: string) => process.stdout.write(`${line}\n`);

const staticDir = path.join(ROOT, 'dist', 'client');
if (!existsSync(path.join(staticDir, 'index.html')) || process.env.REBUILD === '1') {
  out('building the PWA (first start)...');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const database = await resolveDatabase(process.env, ROOT);
out(database.embedded ? `database: embedded PostgreSQL (data in ${process.env.DATA_DIR ?? '.data'}/)` : 'database: DATABASE_URL');
const db = createPool(database.url, 2);
await migrate(db);
const seed = await seedDemo(db);
await db.end();

// Migrations ran above; starting also (re)creates the restricted application role.
const server = await startServer(configFromEnv({ ...process.env, DATABASE_URL: database.url }, { staticDir }));
const demo =
  process.env.DEMO_SITE === '0'
    ? null
    : await startDemoSite({
        db: server.db,
        serverUrl: server.url,
        dataDir: path.resolve(ROOT, process.env.DATA_DIR ?? '.data'),
        log: out,
      });
out(`Fleetsync is running at ${server.url}`);
if (seed.created) {
  out('');
  out('First start: a demo organization was created. Sign in with');
  out(`  email:    ${seed.email}`);
  out(`  password: ${seed.password}`);
  out('This password is shown only now. Reset it with: npm run admin -- user:reset-password <email>');
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  out(`\n${signal}: stopping...`);
  await demo?.stop().catch(() => undefined);
  await server.stop().catch(() => undefined);
  await database.stop().catch(() => undefined);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
