/**
 * Costs and chargebacks: the server prices each finished job (grams x the spool's cost per kg
 * + machine hours x the org's rate + the org's overhead), deducts the filament from the spool,
 * and reports totals per user and per org as JSON, CSV and PDF. The expected numbers below
 * are worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/testServer.js';
import { call } from '../support/http.js';
import { jobDoc, printerDoc, row, spoolDoc } from '../support/docs.js';
import { finishJob, push, startFarmEnv, wire, type FarmEnv } from './farmSupport.js';

let env: FarmEnv;
let org: string;
let other: string;
let admin: TestUser;
let alice: TestUser; // operator
let bob: TestUser; // requester
let otherAdmin: TestUser;
let spoolSeqBefore: number;
const spoolA = spoolDoc('', { costPerKg: 25, totalGrams: 1000, remainingGrams: 740 });
const spoolB = spoolDoc('', { costPerKg: 40, totalGrams: 1000, remainingGrams: 500, material: 'PETG' });
const printer = printerDoc('', { name: 'MK4 #7' });

/**
 * Org rate 2.50 EUR/h, overhead 0.75 EUR per job.
 * | job | who   | spool (EUR/kg) | grams used         | hours            | filament | machine | overhead | total |
 * | j1  | alice | A (25)         | 120 (actual)       | 2.0 (actual)     |   3.00   |  5.00   |  0.75    |  8.75 |
 * | j2  | alice | A (25)         | 40 (estimate)      | 1.5 (estimate)   |   1.00   |  3.75   |  0.75    |  5.50 |
 * | j3  | bob   | A (25)         | 33.3 (actual)      | 0.5 (actual)     |   0.83   |  1.25   |  0.75    |  2.83 |
 * | j4  | bob   | B (40), named  | 50 (estimate)      | 1.0 (estimate)   |   2.00   |  2.50   |  0.75    |  5.25 |
 * alice 14.25, bob 8.08, org 22.33. Spool A: 740 - 120 - 40 - 33.3 = 546.7 g; spool B: 500 - 50 = 450 g.
 */
const EXPECTED = {
  alice: { jobs: 2, grams: 160, hours: 3.5, filamentCents: 400, machineCents: 875, overheadCents: 150, costCents: 1425 },
  bob: { jobs: 2, grams: 83.3, hours: 1.5, filamentCents: 283, machineCents: 375, overheadCents: 150, costCents: 808 },
  org: { jobs: 4, grams: 243.3, hours: 5, filamentCents: 683, machineCents: 1250, overheadCents: 300, costCents: 2233 },
};
const jobs = {
  j1: jobDoc('', { name: 'j1', filamentGrams: 100, estimatedSeconds: 6000 }),
  j2: jobDoc('', { name: 'j2', filamentGrams: 40, estimatedSeconds: 5400 }),
  j3: jobDoc('', { name: 'j3', filamentGrams: 30, estimatedSeconds: 2000 }),
  j4: jobDoc('', { name: 'j4', filamentGrams: 50, estimatedSeconds: 3600, material: 'PETG' }),
  open: jobDoc('', { name: 'still queued', filamentGrams: 999 }),
};
const range = () => {
  const now = Date.now();
  return `from=${new Date(now - 86_400_000).toISOString()}&to=${new Date(now + 86_400_000).toISOString()}`;
};

beforeAll(async () => {
  env = await startFarmEnv();
  org = await env.org('Makerspace');
  other = await env.org('Elsewhere');
  admin = await env.user('admin@cost.test', { [org]: 'admin' });
  alice = await env.user('alice@cost.test', { [org]: 'operator' });
  bob = await env.user('bob@cost.test', { [org]: 'requester' });
  otherAdmin = await env.user('admin@elsewhere.test', { [other]: 'admin' });
  const settings = await call(env.url, `/api/orgs/${org}`, {
    method: 'PATCH',
    body: { settings: { machineRatePerHour: 2.5, overheadPerJob: 0.75, currency: 'EUR' } },
    token: admin.token,
  });
  expect(settings.status).toBe(200);
  for (const d of [spoolA, spoolB, printer, ...Object.values(jobs)]) d.orgId = org;
  Object.assign(printer, { loadedSpoolId: spoolA.id });
  for (const j of Object.values(jobs)) Object.assign(j, { printerId: printer.id });
  Object.assign(jobs.j4, { spoolId: spoolB.id });
  expect((await push(env, admin, 'spools', [row(spoolA), row(spoolB)])).body.rejections).toEqual([]);
  spoolSeqBefore = (await env.db.query("SELECT seq FROM documents WHERE collection = 'spools' AND id = $1", [spoolA.id])).rows[0]
    ?.seq;
  expect((await push(env, admin, 'printers', [row(printer)])).body.rejections).toEqual([]);
  expect((await push(env, alice, 'jobs', [row(jobs.j1), row(jobs.j2)])).body.rejections).toEqual([]);
  expect((await push(env, bob, 'jobs', [row(jobs.j3), row(jobs.j4), row(jobs.open)])).body.rejections).toEqual([]);
  await finishJob(env, admin, jobs.j1.id, { filamentUsedGrams: 120, actualSeconds: 7200 });
  await finishJob(env, admin, jobs.j2.id);
  await finishJob(env, admin, jobs.j3.id, { filamentUsedGrams: 33.3, actualSeconds: 1800 });
  await finishJob(env, admin, jobs.j4.id, { estimatedSeconds: 3600 });
  // Another org's finished job never shows in this org's reports.
  const foreign = jobDoc(other, { filamentGrams: 10 });
  await push(env, otherAdmin, 'jobs', [row(foreign)]);
  await finishJob(env, otherAdmin, foreign.id);
});
afterAll(async () => {
  await env.stop();
});

describe('job costs', () => {
  it('are stamped by the server when a job is done, with who is charged', async () => {
    const j1 = await wire(env, admin, 'jobs', jobs.j1.id);
    expect(j1).toMatchObject({
      costCents: 875,
      costDetail: {
        grams: 120,
        hours: 2,
        costPerKg: 25,
        filamentCents: 300,
        machineCents: 500,
        overheadCents: 75,
        currency: 'EUR',
        spoolId: spoolA.id,
      },
      chargedToUserId: alice.id,
      chargedToOrgId: org,
    });
    expect(Date.parse(String(j1.completedAt))).toBeGreaterThan(Date.now() - 60_000);
    expect((await wire(env, admin, 'jobs', jobs.j2.id)).costCents).toBe(550);
    expect((await wire(env, admin, 'jobs', jobs.j3.id)).costCents).toBe(283);
    expect(await wire(env, admin, 'jobs', jobs.j4.id)).toMatchObject({
      costCents: 525,
      costDetail: { spoolId: spoolB.id, costPerKg: 40 },
    });
    expect((await wire(env, admin, 'jobs', jobs.open.id)).costCents).toBeUndefined();
  });

  it('cannot be set by a client', async () => {
    const forged = jobDoc(org, { costCents: 1 });
    const res = await push(env, admin, 'jobs', [row(forged)]);
    expect(res.body.rejections.map((r) => r.code)).toEqual(['SERVER_FIELD_FORBIDDEN']);
  });

  it('deduct the filament from the spool as a server write (new sequence, clamped at zero)', async () => {
    const a = await wire(env, admin, 'spools', spoolA.id);
    expect(a.remainingGrams).toBeCloseTo(546.7, 5);
    expect(a.updatedBy).toBe(admin.id);
    expect(String((a.clock as Record<string, string>).remainingGrams)).toMatch(/:farm$/);
    expect((await wire(env, admin, 'spools', spoolB.id)).remainingGrams).toBe(450);
    // A new sequence number, so every replica pulls the new weight.
    const seq = await env.db.query("SELECT seq FROM documents WHERE collection = 'spools' AND id = $1", [spoolA.id]);
    expect(seq.rows[0]?.seq).toBeGreaterThan(spoolSeqBefore);

    // A job using more than is left empties the spool, never below zero.
    const greedy = jobDoc(org, { filamentGrams: 10, spoolId: spoolB.id });
    await push(env, admin, 'jobs', [row(greedy)]);
    await finishJob(env, admin, greedy.id, { filamentUsedGrams: 600 });
    expect((await wire(env, admin, 'spools', spoolB.id)).remainingGrams).toBe(0);
    // Keep it out of the hand-computed table below (a deleted job is not charged).
    expect((await call(env.url, `/api/jobs/${greedy.id}`, { method: 'DELETE', token: admin.token })).status).toBe(204);
  });
});

describe('chargeback reports', () => {
  it('total per user and per org, as computed by hand', async () => {
    const byUser = await call<{ rows: Record<string, unknown>[]; totals: Record<string, unknown>[] }>(
      env.url,
      `/api/reports/chargebacks?orgId=${org}&groupBy=user&${range()}`,
      { token: admin.token },
    );
    expect(byUser.status).toBe(200);
    expect(byUser.body.rows).toEqual([
      expect.objectContaining({
        orgId: org,
        orgName: 'Makerspace',
        userId: alice.id,
        email: 'alice@cost.test',
        currency: 'EUR',
        ...EXPECTED.alice,
      }),
      expect.objectContaining({ orgId: org, userId: bob.id, email: 'bob@cost.test', currency: 'EUR', ...EXPECTED.bob }),
    ]);
    expect(byUser.body.totals).toEqual([{ currency: 'EUR', ...EXPECTED.org }]);
    const byOrg = await call<{ rows: Record<string, unknown>[] }>(env.url, `/api/reports/chargebacks?groupBy=org&${range()}`, {
      token: admin.token,
    });
    expect(byOrg.body.rows).toEqual([expect.objectContaining({ orgId: org, currency: 'EUR', ...EXPECTED.org })]);
    expect(byOrg.body.rows[0]).not.toHaveProperty('userId');
    // An empty window has no rows.
    const empty = await call<{ rows: unknown[] }>(
      env.url,
      `/api/reports/chargebacks?orgId=${org}&from=2020-01-01&to=2020-02-01`,
      { token: admin.token },
    );
    expect(empty.body.rows).toEqual([]);
  });

  it('are for billing readers of the org only', async () => {
    expect((await call(env.url, `/api/reports/chargebacks?orgId=${org}`, { token: bob.token })).status).toBe(403);
    expect((await call(env.url, `/api/reports/chargebacks?orgId=${org}`, { token: otherAdmin.token })).status).toBe(403);
    const theirs = await call<{ rows: { orgId: string }[] }>(env.url, `/api/reports/chargebacks?${range()}`, {
      token: otherAdmin.token,
    });
    expect(theirs.body.rows.map((r) => r.orgId)).toEqual([other]);
  });

  it('export as CSV with the same totals', async () => {
    const res = await call<string>(env.url, `/api/reports/chargebacks?orgId=${org}&groupBy=user&format=csv&${range()}`, {
      token: admin.token,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = res.body
      .trim()
      .split('\r\n')
      .map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '')));
    expect(lines[0]).toEqual([
      'org_id',
      'org_name',
      'user_id',
      'email',
      'display_name',
      'currency',
      'jobs',
      'grams',
      'hours',
      'filament',
      'machine',
      'overhead',
      'total',
    ]);
    const byEmail = (e: string) => lines.find((l) => l[3] === e)!;
    expect(byEmail('alice@cost.test').slice(5)).toEqual(['EUR', '2', '160', '3.5', '4.00', '8.75', '1.50', '14.25']);
    expect(byEmail('bob@cost.test').slice(5)).toEqual(['EUR', '2', '83.3', '1.5', '2.83', '3.75', '1.50', '8.08']);
    expect(lines.at(-1)).toEqual(['TOTAL', '', '', '', '', 'EUR', '4', '243.3', '5', '6.83', '12.50', '3.00', '22.33']);
  });

  it('export as a PDF with a valid cross-reference table and the same totals', async () => {
    const res = await fetch(`${env.url}/api/reports/chargebacks?orgId=${org}&groupBy=user&format=pdf&${range()}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);

    // startxref points at the xref table, and every entry at its object.
    const startxref = Number(/startxref\n(\d+)\n%%EOF\s*$/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!.map(Number) as [number, number, number];
    expect(first).toBe(0);
    const entries = text
      .slice(startxref)
      .split('\n')
      .slice(2, 2 + count);
    expect(entries[0]).toBe('0000000000 65535 f\r');
    for (let n = 1; n < count; n += 1) {
      expect(entries[n]).toMatch(/^\d{10} 00000 n\r$/);
      const offset = Number(entries[n]!.slice(0, 10));
      expect(text.slice(offset, offset + `${n} 0 obj`.length)).toBe(`${n} 0 obj`);
    }
    const trailer = /trailer\n<< \/Size (\d+) \/Root 1 0 R/.exec(text);
    expect(Number(trailer?.[1])).toBe(count);
    // Stream lengths are exact.
    for (const m of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
      const start = m.index + m[0].length;
      expect(text.slice(start + Number(m[1]), start + Number(m[1]) + '\nendstream'.length)).toBe('\nendstream');
    }
    // The numbers can be read back from the uncompressed text.
    const lineOf = (needle: string) =>
      [...text.matchAll(/\((.*)\) Tj T\*/g)].map((m) => m[1]!).find((l) => l.includes(needle)) ?? '';
    expect(lineOf('alice@cost.test').trim().split(/\s+/)).toEqual([
      'alice@cost.test',
      '2',
      '160.00',
      '3.50',
      '4.00',
      '8.75',
      '1.50',
      '14.25',
      'EUR',
    ]);
    expect(lineOf('bob@cost.test')).toMatch(/ 8\.08 EUR$/);
    expect(lineOf('TOTAL').trim().split(/\s+/)).toEqual([
      'TOTAL',
      '4',
      '243.30',
      '5.00',
      '6.83',
      '12.50',
      '3.00',
      '22.33',
      'EUR',
    ]);
  });

  it("give this month's spend: your own, and your org's with billing access", async () => {
    const mine = await call<{ mine: { costCents: number; jobs: number }[]; orgs: unknown[] }>(env.url, '/api/reports/spend', {
      token: bob.token,
    });
    expect(mine.body.mine).toEqual([expect.objectContaining({ orgId: org, currency: 'EUR', jobs: 2, costCents: 808 })]);
    expect(mine.body.orgs).toEqual([]);
    const org$ = await call<{ mine: unknown[]; orgs: { costCents: number }[] }>(env.url, `/api/reports/spend?orgId=${org}`, {
      token: admin.token,
    });
    expect(org$.body.mine).toEqual([]);
    expect(org$.body.orgs).toEqual([expect.objectContaining({ orgId: org, orgName: 'Makerspace', jobs: 4, costCents: 2233 })]);
  });
});
