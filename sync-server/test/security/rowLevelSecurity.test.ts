/**
 * Row-level security, tested on its own: the application role runs a query that forgets the
 * org filter and still sees nothing of another org (issue: organizations, must-show 3).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoleUrl } from '../../src/db/appRole.js';
import { startTestEnv, type TestEnv } from '../support/testServer.js';
import { call } from '../support/http.js';
import { printerDoc, row } from '../support/docs.js';

let env: TestEnv;
let app: pg.Client;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  env = await startTestEnv();
  orgA = await env.org('RLS A');
  orgB = await env.org('RLS B');
  const a = await env.user('a@rls.test', { [orgA]: 'admin' });
  const b = await env.user('b@rls.test', { [orgB]: 'admin' });
  await call(env.url, '/api/sync/printers/push', {
    body: { rows: [row(printerDoc(orgA, { name: 'A1' })), row(printerDoc(orgA, { name: 'A2' }))] },
    token: a.token,
  });
  await call(env.url, '/api/sync/printers/push', { body: { rows: [row(printerDoc(orgB, { name: 'B1' }))] }, token: b.token });
  app = new pg.Client({ connectionString: appRoleUrl(env.database.url) });
  await app.connect();
});
afterAll(async () => {
  await app.end();
  await env.stop();
});

async function asOrg<T>(orgIds: string[], fn: () => Promise<T>): Promise<T> {
  await app.query('BEGIN');
  try {
    await app.query("SELECT set_config('fleetsync.org_ids', $1, true)", [orgIds.join(',')]);
    return await fn();
  } finally {
    await app.query('ROLLBACK');
  }
}

describe('row-level security (second wall)', () => {
  it('the application role is neither superuser, owner nor exempt from RLS', async () => {
    const r = await app.query<{ rolsuper: boolean; rolbypassrls: boolean; owner: string }>(
      "SELECT r.rolsuper, r.rolbypassrls, (SELECT tableowner FROM pg_tables WHERE tablename = 'documents') AS owner FROM pg_roles r WHERE r.rolname = current_user",
    );
    expect(r.rows[0]).toMatchObject({ rolsuper: false, rolbypassrls: false });
    expect(r.rows[0]!.owner).not.toBe('fleetsync_app');
  });

  it('a query that forgets the org filter returns only the scoped org', async () => {
    const names = await asOrg([orgA], async () =>
      (await app.query<{ name: string }>("SELECT data->>'name' AS name FROM documents")).rows.map((r) => r.name),
    );
    expect(names.sort()).toEqual(['A1', 'A2']);
  });

  it('with no scope set, nothing at all is visible (fails closed)', async () => {
    const n = await app.query('SELECT count(*)::int AS n FROM documents');
    expect(n.rows[0].n).toBe(0);
  });

  it('a write into another org is refused by the database itself', async () => {
    await expect(
      asOrg([orgA], () =>
        app.query("INSERT INTO documents (collection, id, org_id, data, seq) VALUES ('printers', 'sneaky', $1, '{}', 999999)", [
          orgB,
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      asOrg([orgA], () => app.query("UPDATE documents SET data = '{}' WHERE org_id = $1", [orgB])),
    ).resolves.toMatchObject({ rowCount: 0 });
  });

  it('a session-level setting does not leak into the next transaction (SET LOCAL)', async () => {
    await asOrg([orgA], async () => undefined);
    const n = await app.query('SELECT count(*)::int AS n FROM documents');
    expect(n.rows[0].n).toBe(0);
  });
});
