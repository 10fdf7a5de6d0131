/**
 * Authorization table, generated from the role data in shared/ (ROLE_GRANTS and the platform
 * roles): every role x collection x operation, through REST and through sync, against the
 * real server and database. Expectations come from the table itself, not from `can()`, and
 * each outcome is checked in the database as well as in the response.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ORG_ROLES,
  PLATFORM_ROLES,
  RESOURCE_KINDS,
  ROLE_GRANTS,
  type OrgRole,
  type PlatformRole,
  type ResourceKind,
} from '@fleetsync/shared';
import { startTestEnv, type TestEnv, type TestUser } from '../support/testServer.js';
import { call } from '../support/http.js';
import { commandDoc, jobDoc, printerDoc, row, spoolDoc } from '../support/docs.js';
import { fleetDoc } from '../fleet/fleetDocs.js';

type Op = 'read' | 'create' | 'update' | 'delete';
const OPS: Op[] = ['read', 'create', 'update', 'delete'];

/** The expectation, read straight from the role table (a document created by someone else). */
function expected(role: OrgRole | PlatformRole, platform: boolean, kind: ResourceKind, op: Op): boolean {
  const cap = `${kind}.${op}` as const;
  if (platform) {
    if (role === 'owner' || role === 'admin') return true;
    if (role === 'support') return op === 'read';
    if (role === 'billing') return cap === 'jobs.read';
    return false;
  }
  const reach = ROLE_GRANTS[role as OrgRole][cap];
  return reach === 'all' || (reach === 'own' && op === 'create');
}

let env: TestEnv;
let orgId: string;
let seeder: TestUser;
let printerId: string;
const actors = new Map<string, TestUser>();

beforeAll(async () => {
  env = await startTestEnv();
  orgId = await env.org('Authz Table');
  seeder = await env.user('seeder@authz.test', { [orgId]: 'admin' });
  const p = printerDoc(orgId, { name: 'command target' });
  await call(env.url, '/api/sync/printers/push', { body: { rows: [row(p)] }, token: seeder.token });
  printerId = p.id;
  for (const r of ORG_ROLES) actors.set(r, await env.user(`${r}@authz.test`, { [orgId]: r }));
  for (const r of PLATFORM_ROLES) actors.set(`platform:${r}`, await env.user(`platform-${r}@authz.test`, {}, r));
});
afterAll(async () => {
  await env.stop();
});

function freshDoc(kind: ResourceKind): Record<string, unknown> {
  if (kind === 'printers') return printerDoc(orgId);
  if (kind === 'jobs') return jobDoc(orgId);
  if (kind === 'spools') return spoolDoc(orgId);
  if (kind === 'commands') return commandDoc(orgId, printerId);
  return fleetDoc(kind, orgId);
}
const EDIT: Record<ResourceKind, Record<string, unknown>> = {
  printers: { name: 'edited' },
  jobs: { priority: 77 },
  spools: { remainingGrams: 10 },
  commands: { resultMessage: 'noted' },
  devices: { name: 'edited' },
  deviceGroups: { name: 'edited' },
  tasks: { name: 'edited' },
  deployments: { name: 'edited' },
  catalog: { name: 'edited' },
};

async function seed(kind: ResourceKind) {
  const doc = freshDoc(kind);
  const r = await call<{ rejections: unknown[] }>(env.url, `/api/sync/${kind}/push`, {
    body: { rows: [row(doc)] },
    token: seeder.token,
  });
  expect(r.body.rejections).toEqual([]);
  await reconciled(kind, doc.id as string);
  const pulled = await call<{ documents: Record<string, unknown>[] }>(env.url, `/api/sync/${kind}/pull`, {
    body: { limit: 1000 },
    token: seeder.token,
  });
  return pulled.body.documents.find((d) => d.id === doc.id)!;
}
/** The fleet reconciler stamps new tasks (expandedAt) and deployments (state) right after they are written: edit the settled master. */
async function reconciled(kind: ResourceKind, id: string) {
  if (kind !== 'tasks' && kind !== 'deployments') return;
  const field = kind === 'tasks' ? 'expandedAt' : 'state';
  for (let i = 0; i < 200 && (await inDb(kind, id))?.data[field] === undefined; i++) await new Promise((r) => setTimeout(r, 25));
}
const inDb = async (kind: string, id: string) =>
  (
    await env.db.query<{ data: Record<string, unknown>; deleted: boolean }>(
      'SELECT data, deleted FROM documents WHERE collection = $1 AND id = $2',
      [kind, id],
    )
  ).rows[0];

/** Tries one operation; returns whether it was allowed, cross-checked with the database. */
async function attempt(channel: 'rest' | 'sync', u: TestUser, kind: ResourceKind, op: Op): Promise<boolean> {
  if (op === 'create') {
    const doc = freshDoc(kind);
    if (channel === 'rest') {
      const r = await call(env.url, `/api/${kind}`, { body: doc, token: u.token });
      const ok = r.status === 201;
      expect(!!(await inDb(kind, doc.id as string))).toBe(ok);
      return ok;
    }
    const r = await call<{ rejections: unknown[] }>(env.url, `/api/sync/${kind}/push`, {
      body: { rows: [row(doc)] },
      token: u.token,
    });
    const ok = r.body.rejections.length === 0;
    expect(!!(await inDb(kind, doc.id as string))).toBe(ok);
    return ok;
  }
  const master = await seed(kind);
  const id = master.id as string;
  if (op === 'read') {
    if (channel === 'rest') return (await call(env.url, `/api/${kind}/${id}`, { token: u.token })).status === 200;
    const r = await call<{ documents: { id: string }[] }>(env.url, `/api/sync/${kind}/pull`, {
      body: { limit: 1000 },
      token: u.token,
    });
    return r.status === 200 && r.body.documents.some((d) => d.id === id);
  }
  const next = op === 'update' ? { ...master, ...EDIT[kind] } : { ...master, _deleted: true };
  if (channel === 'rest') {
    const r =
      op === 'update'
        ? await call(env.url, `/api/${kind}/${id}`, { method: 'PATCH', body: EDIT[kind], token: u.token })
        : await call(env.url, `/api/${kind}/${id}`, { method: 'DELETE', token: u.token });
    const ok = r.status === 200 || r.status === 204;
    const after = await inDb(kind, id);
    expect(op === 'update' ? after!.data[Object.keys(EDIT[kind])[0]!] === Object.values(EDIT[kind])[0] : after!.deleted).toBe(ok);
    return ok;
  }
  const r = await call<{ rejections: unknown[]; conflicts: unknown[] }>(env.url, `/api/sync/${kind}/push`, {
    body: { rows: [{ assumedMasterState: master, newDocumentState: { ...next, _deleted: op === 'delete' } }] },
    token: u.token,
  });
  const ok = r.body.rejections.length === 0 && r.body.conflicts.length === 0;
  const after = await inDb(kind, id);
  expect(op === 'update' ? after!.data[Object.keys(EDIT[kind])[0]!] === Object.values(EDIT[kind])[0] : after!.deleted).toBe(ok);
  return ok;
}

const ROLES: { key: string; role: OrgRole | PlatformRole; platform: boolean }[] = [
  ...ORG_ROLES.map((r) => ({ key: r, role: r, platform: false })),
  ...PLATFORM_ROLES.map((r) => ({ key: `platform:${r}`, role: r, platform: true })),
];

describe('authorization table: role x collection x operation, REST and sync', () => {
  for (const { key, role, platform } of ROLES) {
    for (const kind of RESOURCE_KINDS) {
      const summary = OPS.map((op) => `${op}:${expected(role, platform, kind, op) ? 'yes' : 'no'}`).join(' ');
      it(`${key} on ${kind} (${summary})`, async () => {
        const u = actors.get(key)!;
        const mismatches: string[] = [];
        for (const op of OPS) {
          for (const channel of ['rest', 'sync'] as const) {
            const got = await attempt(channel, u, kind, op);
            if (got !== expected(role, platform, kind, op))
              mismatches.push(`${channel} ${op}: got ${got ? 'allowed' : 'denied'}`);
          }
        }
        expect(mismatches).toEqual([]);
      });
    }
  }

  it("a requester may edit and cancel their own queued job, never someone else's", async () => {
    const requester = actors.get('requester')!;
    const own = jobDoc(orgId);
    await call(env.url, '/api/sync/jobs/push', { body: { rows: [row(own)] }, token: requester.token });
    const cancel = await call(env.url, `/api/jobs/${own.id}`, {
      method: 'PATCH',
      body: { status: 'cancelled' },
      token: requester.token,
    });
    expect(cancel.status).toBe(200);
    const theirs = await seed('jobs');
    const denied = await call(env.url, `/api/jobs/${theirs.id}`, {
      method: 'PATCH',
      body: { status: 'cancelled' },
      token: requester.token,
    });
    expect(denied.status).toBe(403);
  });
});
