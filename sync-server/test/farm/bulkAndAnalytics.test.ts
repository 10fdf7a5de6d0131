/** Bulk operations (each item through the push rules, with its own outcome) and farm analytics. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/testServer.js';
import { call } from '../support/http.js';
import { jobDoc, printerDoc, row } from '../support/docs.js';
import { finishJob, patch, push, startFarmEnv, wire, type FarmEnv } from './farmSupport.js';

let env: FarmEnv;
let org: string;
let admin: TestUser;
let alice: TestUser; // operator
let bob: TestUser; // requester
let viewer: TestUser;

interface BulkAnswer {
  results: { id: string; ok: boolean; code?: string; message?: string }[];
  summary: { ok: number; failed: number };
}
const bulk = (u: TestUser, kind: 'jobs' | 'printers', body: unknown) =>
  call<BulkAnswer>(env.url, `/api/${kind}/bulk-update`, { body, token: u.token });
const outcomes = (a: BulkAnswer) => a.results.map((r) => (r.ok ? 'ok' : r.code));

const p1 = printerDoc('', { name: 'MK4 #1', tags: ['lab'] });
const p2 = printerDoc('', { name: 'X1C #2', model: 'X1C', protocol: 'bambu', tags: [] });
const full = printerDoc('', { name: 'Tagged', tags: Array.from({ length: 20 }, (_, i) => `t${i}`) });
const b1 = jobDoc('', { name: 'bob 1' });
const b2 = jobDoc('', { name: 'bob 2' });
const a1 = jobDoc('', { name: 'alice 1' });

beforeAll(async () => {
  env = await startFarmEnv();
  org = await env.org('Bulk Lab');
  admin = await env.user('admin@bulk.test', { [org]: 'admin' });
  alice = await env.user('alice@bulk.test', { [org]: 'operator' });
  bob = await env.user('bob@bulk.test', { [org]: 'requester' });
  viewer = await env.user('viewer@bulk.test', { [org]: 'viewer' });
  for (const d of [p1, p2, full, b1, b2, a1]) d.orgId = org;
  expect((await push(env, admin, 'printers', [row(p1), row(p2), row(full)])).body.rejections).toEqual([]);
  expect((await push(env, bob, 'jobs', [row(b1), row(b2)])).body.rejections).toEqual([]);
  expect((await push(env, alice, 'jobs', [row(a1)])).body.rejections).toEqual([]);
});
afterAll(async () => {
  await env.stop();
});

describe('bulk job updates', () => {
  it('answer per item: applied, forbidden by the same rules as sync, or not found', async () => {
    const res = await bulk(bob, 'jobs', { ids: [b1.id, a1.id, 'no-such-job'], action: 'cancel' });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: b1.id, ok: true },
      { id: a1.id, ok: false, code: 'WRITE_FORBIDDEN', message: expect.any(String) },
      { id: 'no-such-job', ok: false, code: 'NOT_FOUND', message: expect.any(String) },
    ]);
    expect(res.body.summary).toEqual({ ok: 1, failed: 2 });
    expect((await wire(env, admin, 'jobs', b1.id)).status).toBe('cancelled');
    expect((await wire(env, admin, 'jobs', a1.id)).status).toBe('queued');
  });

  it('change priority, reassign and delete, each checked on its own', async () => {
    expect(outcomes((await bulk(alice, 'jobs', { ids: [b2.id, a1.id], action: 'priority', value: 80 })).body)).toEqual([
      'ok',
      'ok',
    ]);
    expect((await wire(env, admin, 'jobs', b2.id)).priority).toBe(80);

    expect(outcomes((await bulk(alice, 'jobs', { ids: [b2.id, a1.id], action: 'reassign', value: p2.id })).body)).toEqual([
      'ok',
      'ok',
    ]);
    expect((await wire(env, admin, 'jobs', a1.id)).printerId).toBe(p2.id);
    expect(outcomes((await bulk(alice, 'jobs', { ids: [a1.id], action: 'reassign', value: null })).body)).toEqual(['ok']);
    expect((await wire(env, admin, 'jobs', a1.id)).printerId).toBeUndefined();
    expect((await bulk(alice, 'jobs', { ids: [a1.id], action: 'reassign', value: 'no-such-printer' })).status).toBe(404);

    // A done job cannot be cancelled (INVALID_TRANSITION), an operator may not delete.
    await finishJob(env, admin, a1.id);
    expect(outcomes((await bulk(alice, 'jobs', { ids: [a1.id, b2.id], action: 'cancel' })).body)).toEqual([
      'INVALID_TRANSITION',
      'ok',
    ]);
    expect(outcomes((await bulk(alice, 'jobs', { ids: [b2.id], action: 'delete' })).body)).toEqual(['WRITE_FORBIDDEN']);
    expect(outcomes((await bulk(admin, 'jobs', { ids: [b2.id], action: 'delete' })).body)).toEqual(['ok']);
    expect((await call(env.url, `/api/jobs/${b2.id}`, { token: admin.token })).status).toBe(404);

    expect((await bulk(alice, 'jobs', { ids: [b1.id], action: 'explode' })).status).toBe(400);
    expect((await bulk(alice, 'jobs', { ids: [b1.id], action: 'priority', value: 101 })).status).toBe(400);
  });
});

describe('bulk printer updates', () => {
  it('add tags once, and refuse per item what the rules refuse', async () => {
    const res = await bulk(admin, 'printers', { ids: [p1.id, p2.id, full.id], addTags: ['night-shift', 'lab'] });
    expect(res.body.results.map((r) => [r.id, r.ok ? 'ok' : r.code])).toEqual([
      [p1.id, 'ok'],
      [p2.id, 'ok'],
      [full.id, 'DOCUMENT_INVALID'],
    ]);
    expect((await wire(env, admin, 'printers', p1.id)).tags).toEqual(['lab', 'night-shift']);
    expect((await wire(env, admin, 'printers', p2.id)).tags).toEqual(['night-shift', 'lab']);
    expect(outcomes((await bulk(bob, 'printers', { ids: [p1.id], addTags: ['mine'] })).body)).toEqual(['WRITE_FORBIDDEN']);
  });
});

describe('analytics', () => {
  it('summarise failures, errors and time accuracy', async () => {
    const failJob = async (printerId: string, reason: string) => {
      const j = jobDoc(org, { printerId, material: 'PETG' });
      await push(env, admin, 'jobs', [row(j)]);
      await patch(env, admin, 'jobs', j.id, { status: 'printing' });
      expect((await patch(env, admin, 'jobs', j.id, { status: 'failed', failureReason: reason })).status).toBe(200);
    };
    await failJob(p2.id, 'spaghetti');
    await failJob(p2.id, 'spaghetti');
    const good = jobDoc(org, { printerId: p1.id, material: 'PLA', estimatedSeconds: 1000 });
    await push(env, admin, 'jobs', [row(good)]);
    await finishJob(env, admin, good.id, { actualSeconds: 1200 });
    const printer = await wire(env, admin, 'printers', p2.id);
    await patch(env, admin, 'printers', p2.id, { ...printer, errors: [{ code: 'HMS_0300_0100_0001_0007', message: 'heatbed' }] });

    const res = await call<Record<string, never>>(env.url, `/api/analytics/summary?orgId=${org}`, { token: viewer.token });
    expect(res.status).toBe(200);
    // Finished: a1 (done, on no printer), good (done on p1), two failures on p2.
    expect(res.body).toMatchObject({ jobsFinished: 4, jobsFailed: 2, failureRate: 0.5 });
    const summary = res.body as unknown as {
      failures: {
        byPrinter: { key: string; failureRate: number }[];
        byMaterial: { key: string; failed: number }[];
        byWeek: unknown[];
      };
      topErrors: { code: string; count: number; source: string }[];
      timeAccuracy: { byPrinter: { key: string; meanRatio: number }[] };
    };
    expect(summary.failures.byPrinter[0]).toMatchObject({ key: p2.id, label: 'X1C #2', failureRate: 1 });
    expect(summary.failures.byMaterial.find((m) => m.key === 'PETG')?.failed).toBe(2);
    expect(summary.failures.byWeek).toHaveLength(1);
    expect(summary.topErrors).toEqual([
      { code: 'spaghetti', source: 'job', count: 2 },
      { code: 'HMS_0300_0100_0001_0007', source: 'printer', count: 1 },
    ]);
    expect(summary.timeAccuracy.byPrinter).toEqual([
      expect.objectContaining({ key: p1.id, jobs: 1, meanRatio: 1.2, meanAbsErrorPct: 20 }),
    ]);
    expect(
      (await call(env.url, `/api/analytics/summary?orgId=${org}&from=2030-01-01&to=2020-01-01`, { token: viewer.token })).status,
    ).toBe(400);
  });
});
