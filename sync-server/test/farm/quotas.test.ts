/**
 * Print quotas: enforced by the server when a job is created, whatever the path (REST, a sync
 * push, or a job made offline and pushed later), with QUOTA_EXCEEDED and what is left; usage
 * follows the jobs (actual figures once finished, nothing once cancelled).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Replica } from '@fleetsync/shared/sync';
import type { TestUser } from '../support/testServer.js';
import { call, codeOf } from '../support/http.js';
import { jobDoc, row } from '../support/docs.js';
import { eventually, nodeReplica } from '../support/nodeReplica.js';
import { finishJob, patch, push, startFarmEnv, type FarmEnv } from './farmSupport.js';

let env: FarmEnv;
let org: string;
let admin: TestUser;
let student: TestUser;
let classmate: TestUser;
let replica: Replica | null = null;

interface QuotaView {
  scope: string;
  userId?: string;
  groupId?: string;
  period: string;
  limits: { grams: number | null; hours: number | null; jobs: number | null };
  used: { grams: number; hours: number; jobs: number };
  remaining: { grams: number | null; hours: number | null; jobs: number | null };
  window: { from: string; to: string };
}

const createJob = (u: TestUser, grams: number, over: Record<string, unknown> = {}) =>
  call<{ id: string; error?: { code: string; message: string; details?: Record<string, unknown> } }>(env.url, '/api/jobs', {
    body: { ...jobDoc(org, { filamentGrams: grams, estimatedSeconds: 600, ...over }), id: undefined },
    token: u.token,
  });
const myQuotas = async (u: TestUser) =>
  (await call<{ quotas: QuotaView[] }>(env.url, '/api/quotas', { token: u.token })).body.quotas;

let firstJob: string;
let batchJob: string;

beforeAll(async () => {
  env = await startFarmEnv();
  org = await env.org('Student Lab');
  admin = await env.user('admin@quota.test', { [org]: 'admin' });
  student = await env.user('student@quota.test', { [org]: 'requester' });
  classmate = await env.user('classmate@quota.test', { [org]: 'requester' });
});
afterAll(async () => {
  await replica?.close();
  await env.stop();
});

describe('quotas', () => {
  it('are set by org admins only', async () => {
    const body = { orgId: org, period: 'monthly', maxGrams: 100, maxJobs: 5 };
    const denied = await call(env.url, `/api/admin/quotas/${student.id}`, { method: 'PUT', body, token: student.token });
    expect(denied.status).toBe(403);
    const set = await call<QuotaView>(env.url, `/api/admin/quotas/${student.id}`, { method: 'PUT', body, token: admin.token });
    expect(set.status).toBe(201);
    expect(set.body).toMatchObject({
      scope: 'user',
      userId: student.id,
      period: 'monthly',
      limits: { grams: 100, hours: null, jobs: 5 },
    });
    expect(set.body.used).toEqual({ grams: 0, hours: 0, jobs: 0 });
    const notMember = await call(env.url, `/api/admin/quotas/${randomUUID()}`, { method: 'PUT', body, token: admin.token });
    expect(notMember.status).toBe(400);
    expect((await call(env.url, '/api/admin/quotas', { token: student.token })).status).toBe(403);
  });

  it('refuse a job over quota created through REST, saying what is left', async () => {
    const ok = await createJob(student, 60);
    expect(ok.status).toBe(201);
    firstJob = ok.body.id;
    const over = await createJob(student, 50);
    expect(over.status).toBe(403);
    expect(codeOf(over)).toBe('QUOTA_EXCEEDED');
    expect(over.body.error?.message).toBe('monthly quota of your account exceeded: 40 g of 100 g remaining, this job needs 50 g');
    expect(over.body.error?.details).toMatchObject({
      scope: 'user',
      period: 'monthly',
      exceeded: [{ measure: 'grams', remaining: 40 }],
    });
  });

  it('refuse a job over quota in a sync push, per document, counting earlier rows of the same batch', async () => {
    const a = jobDoc(org, { filamentGrams: 30 });
    const b = jobDoc(org, { filamentGrams: 30 });
    const res = await push(env, student, 'jobs', [row(a), row(b)]);
    expect(res.body.rejections).toEqual([
      expect.objectContaining({ id: b.id, code: 'QUOTA_EXCEEDED', message: expect.stringContaining('10 g of 100 g remaining') }),
    ]);
    // The refused document comes back withdrawn (deleted), so the replica drops it.
    expect(res.body.conflicts).toEqual([expect.objectContaining({ id: b.id, _deleted: true })]);
    batchJob = a.id;
    const stored = await env.db.query("SELECT id FROM documents WHERE collection = 'jobs' AND id = ANY($1::text[])", [
      [a.id, b.id],
    ]);
    expect(stored.rows.map((r) => r.id)).toEqual([a.id]);
  });

  it('refuse a job created offline and pushed later, with QUOTA_EXCEEDED and the reason', async () => {
    replica = await nodeReplica(env.url, student.token, ['jobs']);
    await replica.awaitInSync();
    await replica.goOffline();
    const tooBig = jobDoc(org, { clock: {}, name: 'made offline: too big', filamentGrams: 20 });
    const small = jobDoc(org, { clock: {}, name: 'made offline: fits', filamentGrams: 5 });
    await replica.collections.jobs!.insert(tooBig);
    await replica.collections.jobs!.insert(small);
    replica.goOnline();
    await eventually(() => replica!.rejections.length > 0, 15_000, 'rejection reported');
    await replica.awaitInSync();
    expect(replica.rejections).toEqual([
      expect.objectContaining({
        collection: 'jobs',
        rejection: expect.objectContaining({
          id: tooBig.id,
          code: 'QUOTA_EXCEEDED',
          message: 'monthly quota of your account exceeded: 10 g of 100 g remaining, this job needs 20 g',
        }),
        attempted: expect.objectContaining({ name: 'made offline: too big' }),
      }),
    ]);
    const r = replica;
    await eventually(async () => (await r.collections.jobs!.findOne(tooBig.id).exec()) === null, 10_000, 'refused job withdrawn');
    const server = await env.db.query("SELECT id FROM documents WHERE collection = 'jobs' AND id = ANY($1::text[])", [
      [tooBig.id, small.id],
    ]);
    expect(server.rows.map((x) => x.id)).toEqual([small.id]);
  });

  it('follow the jobs: actual grams once finished, nothing once cancelled', async () => {
    let [mine] = await myQuotas(student);
    expect(mine).toMatchObject({ used: { grams: 95, jobs: 3 }, remaining: { grams: 5, jobs: 2 } });
    const now = Date.now();
    expect(Date.parse(mine!.window.from)).toBeLessThanOrEqual(now);
    expect(Date.parse(mine!.window.to)).toBeGreaterThan(now);

    await finishJob(env, admin, firstJob, { filamentUsedGrams: 20, actualSeconds: 700 }); // reserved 60 g, used 20 g
    [mine] = await myQuotas(student);
    expect(mine).toMatchObject({ used: { grams: 55, jobs: 3 }, remaining: { grams: 45, jobs: 2 } });

    expect((await patch(env, student, 'jobs', batchJob, { status: 'cancelled' })).status).toBe(200); // gives back 30 g
    [mine] = await myQuotas(student);
    expect(mine).toMatchObject({ used: { grams: 25, jobs: 2 }, remaining: { grams: 75, jobs: 3 } });
    expect((await createJob(student, 70)).status).toBe(201);
  });

  it('apply to groups of members too', async () => {
    const groupId = randomUUID();
    const set = await call<QuotaView>(env.url, `/api/admin/quotas/group/${groupId}`, {
      method: 'PUT',
      body: { orgId: org, name: 'Class 3B', memberIds: [student.id, classmate.id], period: 'weekly', maxJobs: 4 },
      token: admin.token,
    });
    expect(set.status).toBe(201);
    // The student has 3 jobs that count (one was cancelled); the class may have 4.
    expect(set.body).toMatchObject({ scope: 'group', groupId, used: { jobs: 3 }, remaining: { jobs: 1, grams: null } });
    expect((await createJob(classmate, 1)).status).toBe(201);
    const over = await createJob(classmate, 1);
    expect(codeOf(over)).toBe('QUOTA_EXCEEDED');
    expect(over.body.error?.message).toBe(
      'weekly quota of group "Class 3B" exceeded: 0 jobs of 4 jobs remaining, this job needs 1 jobs',
    );
    expect(over.body.error?.details).toMatchObject({ scope: 'group', groupId, groupName: 'Class 3B' });

    const mine = await myQuotas(classmate);
    expect(mine.map((q) => [q.scope, q.used.jobs, q.remaining.jobs])).toEqual([['group', 4, 0]]);
    const all = await call<{ users: QuotaView[]; groups: QuotaView[] }>(env.url, `/api/admin/quotas?orgId=${org}`, {
      token: admin.token,
    });
    expect(all.body.users).toEqual([
      expect.objectContaining({ userId: student.id, email: 'student@quota.test', used: expect.objectContaining({ jobs: 3 }) }),
    ]);
    expect(all.body.groups).toEqual([
      expect.objectContaining({ groupId, name: 'Class 3B', memberIds: [student.id, classmate.id] }),
    ]);

    // Without limits, nothing is refused (admins are not in any quota).
    expect((await createJob(admin, 10_000)).status).toBe(201);
    expect((await call(env.url, `/api/admin/quotas/group/${groupId}`, { method: 'DELETE', token: admin.token })).status).toBe(
      204,
    );
    expect((await createJob(classmate, 1)).status).toBe(201);
  });
});
