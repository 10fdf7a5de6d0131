/**
 * Rights that shrink reach replicas at once (SPEC S-L4, S-S5, S-S6, S-P8): removal from an
 * org, a lowered role (also while offline), and a document moved away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Replica } from '@fleetsync/shared/sync';
import { startTestEnv, type TestEnv, type TestUser } from './support/testServer.js';
import { call } from './support/http.js';
import { eventually, nodeReplica } from './support/nodeReplica.js';
import { jobDoc, printerDoc, row } from './support/docs.js';

let env: TestEnv;
let orgA: string;
let orgB: string;
let adminA: TestUser;
let adminB: TestUser;
const open: Replica[] = [];

beforeAll(async () => {
  env = await startTestEnv();
  orgA = await env.org('Revoke A');
  orgB = await env.org('Revoke B');
  adminA = await env.user('admin@ra.test', { [orgA]: 'admin', [orgB]: 'admin' });
  adminB = await env.user('admin@rb.test', { [orgB]: 'admin' });
});
afterAll(async () => {
  for (const r of open) await r.close();
  await env.stop();
});

async function replicaFor(u: TestUser, collections: ('printers' | 'jobs')[] = ['printers']) {
  const r = await nodeReplica(env.url, u.token, collections);
  open.push(r);
  await r.awaitInSync();
  return r;
}
const ids = async (r: Replica, c = 'printers') => (await r.collections[c]!.find().exec()).map((d) => d.primary);
/** Includes tombstones: what the local database physically holds. */
const stored = async (r: Replica, id: string, c = 'printers') =>
  (await r.collections[c]!.storageInstance.findDocumentsById([id], true)).length;

describe('revocation reaches open replicas', () => {
  it('SPEC S-L4, S-S6: a member removed from an org loses its documents, in the UI data and in storage', async () => {
    const member = await env.user('member@r.test', { [orgA]: 'viewer', [orgB]: 'viewer' });
    const pa = printerDoc(orgA, { name: 'stays' });
    const pb = printerDoc(orgB, { name: 'goes away' });
    await call(env.url, '/api/sync/printers/push', { body: { rows: [row(pa), row(pb)] }, token: adminA.token });
    const r = await replicaFor(member);
    await eventually(async () => (await ids(r)).includes(pb.id), 10_000, 'both docs replicated');

    const removed = await call(env.url, `/api/orgs/${orgB}/members/${member.id}`, { method: 'DELETE', token: adminB.token });
    expect(removed.status).toBe(204);
    await eventually(async () => !(await ids(r)).includes(pb.id) && (await stored(r, pb.id)) === 0, 10_000, 'org B purged');
    expect(await ids(r)).toContain(pa.id);
    expect(r.rejections).toEqual([]);
  });

  it("SPEC S-S5: a document moved to another org disappears from the old org's replicas and appears in the new", async () => {
    const onlyA = await env.user('onlya@r.test', { [orgA]: 'viewer' });
    const onlyB = await env.user('onlyb@r.test', { [orgB]: 'viewer' });
    const p = printerDoc(orgA, { name: 'moving printer' });
    await call(env.url, '/api/sync/printers/push', { body: { rows: [row(p)] }, token: adminA.token });
    const ra = await replicaFor(onlyA);
    const rb = await replicaFor(onlyB);
    await eventually(async () => (await ids(ra)).includes(p.id), 10_000);
    const moved = await call(env.url, `/api/printers/${p.id}/move`, { body: { toOrgId: orgB }, token: adminA.token });
    expect(moved.status).toBe(200);
    await eventually(async () => !(await ids(ra)).includes(p.id), 10_000, 'gone from A');
    await eventually(async () => (await ids(rb)).includes(p.id), 10_000, 'arrived in B');
  });

  it('SPEC S-P8: edits made offline under a role since lowered are refused and listed; allowed ones sync', async () => {
    const op = await env.user('op@r.test', { [orgA]: 'operator' });
    const p = printerDoc(orgA, { name: 'before' });
    await call(env.url, '/api/sync/printers/push', { body: { rows: [row(p)] }, token: adminA.token });
    const r = await replicaFor(op, ['printers', 'jobs']);
    await eventually(async () => (await ids(r)).includes(p.id), 10_000);
    await r.goOffline();

    await (await r.collections.printers!.findOne(p.id).exec())!.incrementalPatch({ name: 'renamed offline' });
    const job = jobDoc(orgA, { clock: {}, name: 'made offline' });
    await r.collections.jobs!.insert(job);
    // Meanwhile an admin lowers the operator to requester (may submit jobs, not edit printers).
    await call(env.url, `/api/orgs/${orgA}/members/${op.id}`, {
      method: 'PUT',
      body: { role: 'requester' },
      token: adminA.token,
    });

    r.goOnline();
    await eventually(() => r.rejections.length > 0, 10_000, 'rejection reported');
    await r.awaitInSync();
    expect(r.rejections.map((x) => `${x.collection}:${x.rejection.code}`)).toEqual(['printers:WRITE_FORBIDDEN']);
    expect(r.rejections[0]).toMatchObject({
      collection: 'printers',
      rejection: { id: p.id, code: 'WRITE_FORBIDDEN' },
      attempted: { name: 'renamed offline' },
    });
    await eventually(
      async () => (await r.collections.printers!.findOne(p.id).exec())?.get('name') === 'before',
      10_000,
      'reverted to the server state',
    );
    const serverJob = await env.db.query("SELECT data FROM documents WHERE collection = 'jobs' AND id = $1", [job.id]);
    expect(serverJob.rows[0]?.data.name).toBe('made offline');
    const serverPrinter = await env.db.query("SELECT data FROM documents WHERE collection = 'printers' AND id = $1", [p.id]);
    expect(serverPrinter.rows[0]?.data.name).toBe('before');
  });
});
