/** Cross-org attacks (issue: organizations, must-show 2): each refused with a code, nothing changes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse, PushResponse } from '@fleetsync/shared';
import { startTestEnv, type TestEnv, type TestUser } from '../support/testServer.js';
import { call, codeOf } from '../support/http.js';
import { jobDoc, printerDoc, row } from '../support/docs.js';

let env: TestEnv;
let host: string; // owns a shared printer
let guest: string;
let stranger: string;
let hostAdmin: TestUser;
let guestAdmin: TestUser;
let strangerAdmin: TestUser;
let owner: TestUser;
let support: TestUser;
let sharedPrinter: Record<string, unknown>;

const push = (u: TestUser, c: string, rows: unknown[]) =>
  call<PushResponse>(env.url, `/api/sync/${c}/push`, { body: { rows }, token: u.token });
const pull = (u: TestUser, c: string) =>
  call<PullResponse>(env.url, `/api/sync/${c}/pull`, { body: { limit: 1000 }, token: u.token });
const snapshot = async () =>
  (await env.db.query('SELECT collection, id, org_id, data, deleted FROM documents ORDER BY collection, id')).rows;

beforeAll(async () => {
  env = await startTestEnv();
  host = await env.org('Host Lab');
  guest = await env.org('Guest Class');
  stranger = await env.org('Stranger Co');
  hostAdmin = await env.user('admin@host.test', { [host]: 'admin' });
  guestAdmin = await env.user('admin@guest.test', { [guest]: 'admin' });
  strangerAdmin = await env.user('admin@stranger.test', { [stranger]: 'admin' });
  owner = await env.user('owner@platform.test', {}, 'owner');
  support = await env.user('support@platform.test', {}, 'support');
  const p = printerDoc(host, { name: 'Shared MK4', sharedWithOrgs: [guest] });
  expect((await push(hostAdmin, 'printers', [row(p)])).body.rejections).toEqual([]);
  sharedPrinter = (await pull(hostAdmin, 'printers')).body.documents.find((d) => d.id === p.id)!;
});
afterAll(async () => {
  await env.stop();
});

describe('shared printers', () => {
  it('SPEC S-S4: are visible to the chosen orgs only', async () => {
    expect((await pull(guestAdmin, 'printers')).body.documents.map((d) => d.id)).toContain(sharedPrinter.id);
    expect((await pull(strangerAdmin, 'printers')).body.documents.map((d) => d.id)).not.toContain(sharedPrinter.id);
    expect((await call(env.url, `/api/printers/${sharedPrinter.id}`, { token: guestAdmin.token })).status).toBe(200);
    expect((await call(env.url, `/api/printers/${sharedPrinter.id}`, { token: strangerAdmin.token })).status).toBe(404);
  });

  it('accept jobs from a guest org, but a guest can never edit the printer', async () => {
    const job = jobDoc(guest, { printerId: sharedPrinter.id });
    expect((await push(guestAdmin, 'jobs', [row(job)])).body.rejections).toEqual([]);
    const before = await snapshot();
    const edit = await push(guestAdmin, 'printers', [
      { assumedMasterState: sharedPrinter, newDocumentState: { ...sharedPrinter, name: 'hijacked' } },
    ]);
    expect(edit.body.rejections[0]?.code).toBe('WRITE_FORBIDDEN');
    // The guest learns the real state (it may read it) and keeps its copy.
    expect(edit.body.conflicts[0]).toMatchObject({ id: sharedPrinter.id, name: 'Shared MK4', _deleted: false });
    const rest = await call(env.url, `/api/printers/${sharedPrinter.id}`, {
      method: 'PATCH',
      body: { sharedWithOrgs: ['*'] },
      token: guestAdmin.token,
    });
    expect(codeOf(rest)).toBe('WRITE_FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });
});

describe('attacks', () => {
  it('forged orgId and moving a document by push are refused; nothing changes', async () => {
    const before = await snapshot();
    const forged = await push(strangerAdmin, 'jobs', [row(jobDoc(host))]);
    expect(forged.body.rejections[0]?.code).toBe('ORG_FORBIDDEN');
    const moved = await push(hostAdmin, 'printers', [
      { assumedMasterState: sharedPrinter, newDocumentState: { ...sharedPrinter, orgId: guest } },
    ]);
    expect(moved.body.rejections[0]?.code).toBe('ORG_CHANGE_FORBIDDEN');
    const restMove = await call(env.url, `/api/printers/${sharedPrinter.id}/move`, {
      body: { toOrgId: stranger },
      token: hostAdmin.token,
    });
    expect(codeOf(restMove)).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });

  it('a support user reads across orgs but every write is refused, and each access is audited', async () => {
    expect((await pull(support, 'printers')).body.documents.map((d) => d.id)).toContain(sharedPrinter.id);
    const before = await snapshot();
    const w = await push(support, 'printers', [
      { assumedMasterState: sharedPrinter, newDocumentState: { ...sharedPrinter, name: 'support was here' } },
    ]);
    expect(w.body.rejections[0]?.code).toBe('WRITE_FORBIDDEN');
    expect(codeOf(await call(env.url, '/api/jobs', { body: jobDoc(host), token: support.token }))).toBe('ORG_FORBIDDEN');
    expect(await snapshot()).toEqual(before);
    const audited = await env.db.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'support.access' AND actor_id = $1",
      [support.id],
    );
    expect(audited.rows[0].n).toBeGreaterThanOrEqual(3);
  });

  it('a suspended org is read-only for its members: pushes refused with ORG_SUSPENDED', async () => {
    const member = await env.user('op@stranger.test', { [stranger]: 'operator' });
    const j = jobDoc(stranger);
    await push(strangerAdmin, 'jobs', [row(j)]);
    expect((await call(env.url, `/api/orgs/${stranger}/suspend`, { method: 'POST', token: strangerAdmin.token })).status).toBe(
      403,
    );
    expect((await call(env.url, `/api/orgs/${stranger}/suspend`, { method: 'POST', token: owner.token })).status).toBe(200);
    const before = await snapshot();
    const master = (await pull(member, 'jobs')).body.documents.find((d) => d.id === j.id)!;
    expect(master).toBeTruthy();
    const r = await push(member, 'jobs', [
      { assumedMasterState: master, newDocumentState: { ...master, priority: 5 } },
      row(jobDoc(stranger)),
    ]);
    expect(r.body.rejections.map((x) => x.code)).toEqual(['ORG_SUSPENDED', 'ORG_SUSPENDED']);
    expect(
      codeOf(await call(env.url, `/api/jobs/${j.id}`, { method: 'PATCH', body: { priority: 9 }, token: strangerAdmin.token })),
    ).toBe('ORG_SUSPENDED');
    expect(await snapshot()).toEqual(before);
    await call(env.url, `/api/orgs/${stranger}/reactivate`, { method: 'POST', token: owner.token });
    expect(
      (await push(member, 'jobs', [{ assumedMasterState: master, newDocumentState: { ...master, priority: 5 } }])).body
        .rejections,
    ).toEqual([]);
  });

  it('a denial overrides the role and a grant extends it (per-user PBAC)', async () => {
    const op = await env.user('pbac@host.test', { [host]: 'operator' });
    const put = (body: unknown) =>
      call(env.url, `/api/orgs/${host}/members/${op.id}`, { method: 'PUT', body, token: hostAdmin.token });
    expect((await put({ role: 'operator', denials: ['jobs.create'], grants: ['printers.create'] })).status).toBe(200);
    expect((await push(op, 'jobs', [row(jobDoc(host))])).body.rejections[0]?.code).toBe('ORG_FORBIDDEN');
    expect((await push(op, 'printers', [row(printerDoc(host))])).body.rejections).toEqual([]);
    // Only org admins manage members.
    expect(
      (await call(env.url, `/api/orgs/${host}/members/${op.id}`, { method: 'PUT', body: { role: 'admin' }, token: op.token }))
        .status,
    ).toBe(403);
  });
});

describe('org management', () => {
  it('platform admins create and rename orgs; org admins manage settings, members and single-use invitations', async () => {
    const created = await call<{ id: string }>(env.url, '/api/orgs', { body: { name: 'Makerspace' }, token: owner.token });
    expect(created.status).toBe(201);
    expect((await call(env.url, '/api/orgs', { body: { name: 'Rogue' }, token: hostAdmin.token })).status).toBe(403);
    const settings = await call<{ settings: Record<string, unknown> }>(env.url, `/api/orgs/${host}`, {
      method: 'PATCH',
      body: {
        settings: { colour: '#0f4c81', costCenter: 'CC-1234', defaultFilament: 'PLA', notifications: { jobFailed: true } },
      },
      token: hostAdmin.token,
    });
    expect(settings.body.settings).toMatchObject({ colour: '#0f4c81', costCenter: 'CC-1234' });
    const list = await call<{ orgs: { id: string }[] }>(env.url, '/api/orgs', { token: hostAdmin.token });
    expect(list.body.orgs.map((o) => o.id)).toEqual([host]);
    const all = await call<{ orgs: { id: string }[] }>(env.url, '/api/orgs', { token: owner.token });
    expect(all.body.orgs.length).toBeGreaterThanOrEqual(4);

    const inv = await call<{ token: string; link: string }>(env.url, `/api/orgs/${host}/invitations`, {
      body: { email: 'new@host.test', role: 'requester' },
      token: hostAdmin.token,
    });
    expect(inv.status).toBe(201);
    expect(inv.body.link).toContain(inv.body.token);
    const weak = await call(env.url, '/api/invitations/accept', { body: { token: inv.body.token, password: 'password' } });
    expect(codeOf(weak)).toBe('PASSWORD_POLICY');
    const accepted = await call(env.url, '/api/invitations/accept', {
      body: { token: inv.body.token, password: 'Strong-Enough-9', displayName: 'New' },
    });
    expect(accepted.status).toBe(200);
    expect(
      codeOf(await call(env.url, '/api/invitations/accept', { body: { token: inv.body.token, password: 'Strong-Enough-9' } })),
    ).toBe('INVITATION_INVALID');
    const login = await call(env.url, '/api/auth/login', { body: { email: 'new@host.test', password: 'Strong-Enough-9' } });
    expect(login.status).toBe(200);

    const expired = await call<{ token: string; id: string }>(env.url, `/api/orgs/${host}/invitations`, {
      body: { email: 'late@host.test', role: 'viewer', expiresInHours: 1 },
      token: hostAdmin.token,
    });
    await env.db.query("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1", [expired.body.id]);
    expect(
      codeOf(
        await call(env.url, '/api/invitations/accept', { body: { token: expired.body.token, password: 'Strong-Enough-9' } }),
      ),
    ).toBe('INVITATION_INVALID');
  });

  it('the last admin cannot be removed or demoted', async () => {
    const r = await call(env.url, `/api/orgs/${guest}/members/${guestAdmin.id}`, { method: 'DELETE', token: guestAdmin.token });
    expect(r.status).toBe(409);
  });
});
