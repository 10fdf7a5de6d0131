import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse, PushResponse } from '@fleetsync/shared';
import { startTestEnv, type TestEnv, type TestUser } from './support/testServer.js';
import { jobDoc, printerDoc, row } from './support/docs.js';

let env: TestEnv;
let orgA: string;
let orgB: string;
let alice: TestUser; // admin of A
let bob: TestUser; // admin of B
let carol: TestUser; // viewer of A
let dave: TestUser; // admin of A and B

beforeAll(async () => {
  env = await startTestEnv();
  orgA = await env.org('Org A');
  orgB = await env.org('Org B');
  alice = await env.user('alice@a.test', { [orgA]: 'admin' });
  bob = await env.user('bob@b.test', { [orgB]: 'admin' });
  carol = await env.user('carol@a.test', { [orgA]: 'viewer' });
  dave = await env.user('dave@ab.test', { [orgA]: 'admin', [orgB]: 'admin' });
});
afterAll(async () => {
  await env.stop();
});

const push = (u: TestUser, collection: string, rows: unknown[]) =>
  u.json<PushResponse>(`/api/sync/${collection}/push`, { body: { rows } });
const pull = (u: TestUser, collection: string, checkpoint: unknown = null) =>
  u.json<PullResponse>(`/api/sync/${collection}/pull`, { body: { checkpoint, limit: 1000 } });
const stored = async (collection: string, id: string) =>
  (await env.db.query('SELECT org_id, data, deleted FROM documents WHERE collection = $1 AND id = $2', [collection, id])).rows[0];

describe('read scope', () => {
  it('SPEC S-S1: a user pulls only the documents of their own organizations', async () => {
    const a = printerDoc(orgA, { name: 'A-only printer' });
    const b = printerDoc(orgB, { name: 'B-only printer' });
    expect((await push(alice, 'printers', [row(a)])).body.rejections).toEqual([]);
    expect((await push(bob, 'printers', [row(b)])).body.rejections).toEqual([]);

    const aliceIds = (await pull(alice, 'printers')).body.documents.map((d) => d.id);
    const bobIds = (await pull(bob, 'printers')).body.documents.map((d) => d.id);
    const daveIds = (await pull(dave, 'printers')).body.documents.map((d) => d.id);
    expect(aliceIds).toContain(a.id);
    expect(aliceIds).not.toContain(b.id);
    expect(bobIds).toContain(b.id);
    expect(bobIds).not.toContain(a.id);
    expect(daveIds).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('SPEC S-S2: a user with no organization pulls an empty set', async () => {
    const loner = await env.user('loner@x.test', {});
    const res = await pull(loner, 'printers');
    expect(res.status).toBe(200);
    expect(res.body.documents).toEqual([]);
  });

  it('SPEC S-R2, S-R3: pulls page by opaque server checkpoints and refuse forged ones', async () => {
    const docs = Array.from({ length: 5 }, (_, i) => printerDoc(orgA, { name: `paged ${i}` }));
    await push(
      alice,
      'printers',
      docs.map((d) => row(d)),
    );
    const seen: string[] = [];
    let checkpoint: unknown = null;
    for (;;) {
      const res = await alice.json<PullResponse>('/api/sync/printers/pull', { body: { checkpoint, limit: 2 } });
      seen.push(...res.body.documents.map((d) => d.id));
      if (res.body.documents.length < 2) break;
      checkpoint = res.body.checkpoint;
    }
    for (const d of docs) expect(seen.filter((id) => id === d.id)).toHaveLength(1);

    const forged = await alice.json<{ error: { code: string } }>('/api/sync/printers/pull', {
      body: { checkpoint: { cp: Buffer.from('v1:0 OR 1=1').toString('base64url') } },
    });
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('BAD_REQUEST');
  });
});

describe('push rules: one bad document never costs the valid ones', () => {
  it('SPEC S-P4, S-P1: a document forging another org is rejected while the rest of the batch applies', async () => {
    const forged = printerDoc(orgA, { name: 'planted by bob' });
    const valid = printerDoc(orgB, { name: 'bob legit' });
    const res = await push(bob, 'printers', [row(forged), row(valid)]);
    expect(res.status).toBe(200);
    expect(res.body.rejections).toEqual([expect.objectContaining({ id: forged.id, code: 'ORG_FORBIDDEN' })]);
    expect(await stored('printers', forged.id)).toBeUndefined();
    expect((await stored('printers', valid.id)).data.name).toBe('bob legit');
  });

  it("SPEC S-S3: writing over another org's document id is refused and leaks nothing", async () => {
    const a = printerDoc(orgA, { name: 'secret A printer' });
    await push(alice, 'printers', [row(a)]);
    const takeover = { ...a, orgId: orgB, name: 'mine now' };
    const res = await push(bob, 'printers', [row(takeover)]);
    expect(res.body.rejections[0]).toMatchObject({ id: a.id, code: 'ORG_FORBIDDEN' });
    const returned = res.body.conflicts.find((c) => c.id === a.id);
    expect(returned?._deleted).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain('secret A printer');
    const row0 = await stored('printers', a.id);
    expect(row0.org_id).toBe(orgA);
    expect(row0.data.name).toBe('secret A printer');
  });

  it('SPEC S-P6: a push cannot move a document to another organization', async () => {
    const a = printerDoc(orgA, { name: 'stays in A' });
    await push(dave, 'printers', [row(a)]);
    const master = (await pull(dave, 'printers')).body.documents.find((d) => d.id === a.id)!;
    const moved = { ...master, orgId: orgB };
    const res = await push(dave, 'printers', [{ assumedMasterState: master, newDocumentState: moved }]);
    expect(res.body.rejections[0]).toMatchObject({ id: a.id, code: 'ORG_CHANGE_FORBIDDEN' });
    expect((await stored('printers', a.id)).org_id).toBe(orgA);
  });

  it('SPEC S-P5: server-owned fields cannot be set or changed by a replica', async () => {
    const forgedAuthor = printerDoc(orgA, { createdBy: bob.id });
    const forgedCost = jobDoc(orgA, { costCents: 1 });
    const ok = jobDoc(orgA);
    const r1 = await push(alice, 'printers', [row(forgedAuthor)]);
    const r2 = await push(alice, 'jobs', [row(forgedCost), row(ok)]);
    expect(r1.body.rejections[0]).toMatchObject({ code: 'SERVER_FIELD_FORBIDDEN' });
    expect(r2.body.rejections).toEqual([expect.objectContaining({ id: forgedCost.id, code: 'SERVER_FIELD_FORBIDDEN' })]);
    expect(await stored('printers', forgedAuthor.id)).toBeUndefined();

    // The server stamps authorship itself, and an update may echo the stamped values back.
    const master = (await pull(alice, 'jobs')).body.documents.find((d) => d.id === ok.id)!;
    expect(master.createdBy).toBe(alice.id);
    const edit = { ...master, priority: 90 };
    const r3 = await push(alice, 'jobs', [{ assumedMasterState: master, newDocumentState: edit }]);
    expect(r3.body).toEqual({ conflicts: [], rejections: [] });
    const tampered = { ...edit, createdBy: bob.id };
    const r4 = await push(alice, 'jobs', [{ assumedMasterState: { ...master, priority: 90 }, newDocumentState: tampered }]);
    expect(r4.body.rejections[0]).toMatchObject({ code: 'SERVER_FIELD_FORBIDDEN' });
    expect((await stored('jobs', ok.id)).data.createdBy).toBe(alice.id);
  });

  it('SPEC S-P3: a document that breaks the schema is rejected with the failing paths', async () => {
    const bad = { ...printerDoc(orgA), progress: 'fifty', adminOverride: true };
    const res = await push(alice, 'printers', [row(bad)]);
    expect(res.body.rejections[0]).toMatchObject({ id: bad.id, code: 'DOCUMENT_INVALID' });
    expect(JSON.stringify(res.body.rejections[0])).toContain('progress');
    expect(await stored('printers', bad.id)).toBeUndefined();
  });

  it('SPEC S-P7: a viewer cannot create or edit, and job states follow the transition table', async () => {
    const attempt = printerDoc(orgA);
    const r1 = await push(carol, 'printers', [row(attempt)]);
    expect(r1.body.rejections[0]).toMatchObject({ code: 'ORG_FORBIDDEN' });

    const job = jobDoc(orgA);
    await push(alice, 'jobs', [row(job)]);
    const master = (await pull(alice, 'jobs')).body.documents.find((d) => d.id === job.id)!;
    const r2 = await push(carol, 'jobs', [{ assumedMasterState: master, newDocumentState: { ...master, priority: 1 } }]);
    expect(r2.body.rejections[0]).toMatchObject({ code: 'WRITE_FORBIDDEN' });
    const r3 = await push(alice, 'jobs', [{ assumedMasterState: master, newDocumentState: { ...master, status: 'done' } }]);
    expect(r3.body.rejections[0]).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await stored('jobs', job.id)).data.status).toBe('queued');
  });

  it('SPEC S-P2: a stale assumed master is a conflict answered with the stored document', async () => {
    const p = printerDoc(orgA, { name: 'v1' });
    await push(alice, 'printers', [row(p)]);
    const v1 = (await pull(alice, 'printers')).body.documents.find((d) => d.id === p.id)!;
    await push(alice, 'printers', [{ assumedMasterState: v1, newDocumentState: { ...v1, name: 'v2' } }]);
    const stale = await push(dave, 'printers', [{ assumedMasterState: v1, newDocumentState: { ...v1, name: 'v2-dave' } }]);
    expect(stale.body.rejections).toEqual([]);
    expect(stale.body.conflicts).toEqual([expect.objectContaining({ id: p.id, name: 'v2' })]);
    expect((await stored('printers', p.id)).data.name).toBe('v2');
  });
});

describe('requests that never reach the rules', () => {
  it('SPEC S-A1: no token, or an unknown one, is 401 before anything is read', async () => {
    const anon = await fetch(`${env.url}/api/sync/printers/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fleetsync-protocol': '1' },
      body: '{}',
    });
    expect(anon.status).toBe(401);
    const forged = await fetch(`${env.url}/api/sync/printers/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fleetsync-protocol': '1', authorization: 'Bearer fss_forged' },
      body: JSON.stringify({ rows: [row(printerDoc(orgA))] }),
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('TOKEN_MALFORMED');
  });

  it('SPEC S-V1: an old or missing protocol version is told to update', async () => {
    const res = await alice.api('/api/sync/printers/pull', { body: {}, headers: { 'x-fleetsync-protocol': '0' } });
    expect(res.status).toBe(426);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CLIENT_TOO_OLD');
    const newer = await alice.api('/api/sync/printers/pull', { body: {}, headers: { 'x-fleetsync-protocol': '99' } });
    expect(((await newer.json()) as { error: { code: string } }).error.code).toBe('SERVER_TOO_OLD');
  });

  it('malformed and oversized pushes get a clear error and change nothing', async () => {
    const before = (await env.db.query('SELECT count(*)::int AS n FROM documents')).rows[0].n;
    const garbled = await alice.api('/api/sync/printers/push', {
      body: undefined,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(garbled.status).toBe(400);
    const notRows = await alice.json<{ error: { code: string } }>('/api/sync/printers/push', { body: { rows: 'nope' } });
    expect(notRows.body.error.code).toBe('VALIDATION_FAILED');
    const unknown = await alice.json<{ error: { code: string } }>('/api/sync/widgets/push', { body: { rows: [] } });
    expect(unknown.body.error.code).toBe('UNKNOWN_COLLECTION');
    const huge = printerDoc(orgA, { notes: 'x'.repeat(6 * 1024 * 1024) });
    const big = await alice.api('/api/sync/printers/push', { body: { rows: [row(huge)] } });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const after = (await env.db.query('SELECT count(*)::int AS n FROM documents')).rows[0].n;
    expect(after).toBe(before);
  });
});
