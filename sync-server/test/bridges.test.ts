import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse, PushResponse } from '@fleetsync/shared';
import { startTestEnv, type TestEnv, type TestUser } from './support/testServer.js';
import { call, codeOf } from './support/http.js';
import { commandDoc, printerDoc, row } from './support/docs.js';

let env: TestEnv;
let orgId: string;
let admin: TestUser;
let operator: TestUser;
let bridgeToken: string;
let otherBridgeToken: string;
const mine = printerDoc('', {});
const theirs = printerDoc('', {});

beforeAll(async () => {
  env = await startTestEnv();
  orgId = await env.org('Bridge Org');
  admin = await env.user('admin@bridge.test', { [orgId]: 'admin' });
  operator = await env.user('op@bridge.test', { [orgId]: 'operator' });
  Object.assign(mine, { orgId, bridgeId: 'site-1', name: 'Bambu A', protocol: 'bambu' });
  Object.assign(theirs, { orgId, bridgeId: 'site-2', name: 'Bambu B', protocol: 'bambu' });
  await call(env.url, '/api/sync/printers/push', { body: { rows: [row(mine), row(theirs)] }, token: admin.token });
  const mk = async (bridgeId: string) =>
    (
      await call<{ token: string }>(env.url, '/api/tokens', {
        body: { name: bridgeId, scopes: ['bridge'], expiresInDays: 30, orgId, bridgeId },
        token: admin.token,
      })
    ).body.token;
  bridgeToken = await mk('site-1');
  otherBridgeToken = await mk('site-2');
});
afterAll(async () => {
  await env.stop();
});

describe('device bridges', () => {
  it('only an org admin creates a bridge token bound to one org and one bridge id', async () => {
    const r = await call(env.url, '/api/tokens', {
      body: { name: 'x', scopes: ['bridge'], expiresInDays: 30, orgId, bridgeId: 'site-9' },
      token: operator.token,
    });
    expect(r.status).toBe(403);
    const unbound = await call(env.url, '/api/tokens', {
      body: { name: 'x', scopes: ['bridge'], expiresInDays: 30 },
      token: admin.token,
    });
    expect(unbound.status).toBe(403);
  });

  it('a bridge registers with a heartbeat that people see', async () => {
    const reg = await call(env.url, '/api/bridge/registration', {
      method: 'PUT',
      body: { siteName: 'Lab 2', version: '0.1.0', devices: [{ printerId: mine.id, protocol: 'bambu', online: true }] },
      token: bridgeToken,
    });
    expect(reg.status).toBe(200);
    const list = await call<{ bridges: { id: string; siteName: string; online: boolean }[] }>(env.url, '/api/bridges', {
      token: operator.token,
    });
    expect(list.body.bridges).toEqual([expect.objectContaining({ id: 'site-1', siteName: 'Lab 2', online: true })]);
    expect(
      codeOf(
        await call(env.url, '/api/bridge/registration', {
          method: 'PUT',
          body: { siteName: 'x', version: '1', devices: [] },
          token: operator.token,
        }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('replicates only its own printers and their commands', async () => {
    const printers = await call<PullResponse>(env.url, '/api/sync/printers/pull', { body: {}, token: bridgeToken });
    expect(printers.body.documents.map((d) => d.id)).toEqual([mine.id]);
    const cmdMine = commandDoc(orgId, mine.id);
    const cmdTheirs = commandDoc(orgId, theirs.id);
    const pushed = await call<PushResponse>(env.url, '/api/sync/commands/push', {
      body: { rows: [row(cmdMine), row(cmdTheirs)] },
      token: operator.token,
    });
    expect(pushed.body.rejections).toEqual([]);
    const cmds = await call<PullResponse>(env.url, '/api/sync/commands/pull', { body: {}, token: bridgeToken });
    expect(cmds.body.documents.map((d) => d.id)).toEqual([cmdMine.id]);
    expect(cmds.body.documents[0]).toMatchObject({ bridgeId: 'site-1' });

    // Only the owning bridge reports the outcome.
    const master = cmds.body.documents[0]!;
    const byUser = await call<PushResponse>(env.url, '/api/sync/commands/push', {
      body: { rows: [{ assumedMasterState: master, newDocumentState: { ...master, status: 'succeeded' } }] },
      token: admin.token,
    });
    expect(byUser.body.rejections[0]?.code).toBe('WRITE_FORBIDDEN');
    const byBridge = await call<PushResponse>(env.url, '/api/sync/commands/push', {
      body: {
        rows: [
          {
            assumedMasterState: master,
            newDocumentState: { ...master, status: 'succeeded', finishedAt: new Date().toISOString() },
          },
        ],
      },
      token: bridgeToken,
    });
    expect(byBridge.body).toEqual({ conflicts: [], rejections: [] });
    // A forged bridgeId on a new command is refused (server-owned, stamped from the printer).
    const forged = await call<PushResponse>(env.url, '/api/sync/commands/push', {
      body: { rows: [row(commandDoc(orgId, theirs.id, { bridgeId: 'site-1' }))] },
      token: operator.token,
    });
    expect(forged.body.rejections[0]?.code).toBe('SERVER_FIELD_FORBIDDEN');
  });

  it('device credentials are sealed at rest, never replicate to people, and reach only the owning bridge', async () => {
    expect(
      (
        await call(env.url, `/api/printers/${mine.id}/credentials`, {
          method: 'PUT',
          body: { accessCode: '12345678' },
          token: operator.token,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(env.url, `/api/printers/${mine.id}/credentials`, {
          method: 'PUT',
          body: { accessCode: '12345678' },
          token: admin.token,
        })
      ).status,
    ).toBe(204);
    const raw = await env.db.query('SELECT secret_enc FROM device_credentials WHERE printer_id = $1', [mine.id]);
    expect(raw.rows[0].secret_enc).not.toContain('12345678');
    const asUser = await call<PullResponse>(env.url, '/api/sync/printers/pull', { body: {}, token: admin.token });
    expect(JSON.stringify(asUser.body)).not.toContain('12345678');
    const own = await call<{ credentials: { printerId: string; accessCode: string }[] }>(env.url, '/api/bridge/credentials', {
      token: bridgeToken,
    });
    expect(own.body.credentials).toEqual([{ printerId: mine.id, accessCode: '12345678' }]);
    const other = await call<{ credentials: unknown[] }>(env.url, '/api/bridge/credentials', { token: otherBridgeToken });
    expect(other.body.credentials).toEqual([]);
    expect(codeOf(await call(env.url, '/api/bridge/credentials', { token: admin.token }))).toBe('FORBIDDEN');
  });
});
