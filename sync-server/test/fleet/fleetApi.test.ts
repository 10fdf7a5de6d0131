/**
 * The fleet API on the server, driven the way a bridge and people drive it (no agents here):
 * one-time enrollment secrets, credentials that never replicate, inventory history, dynamic
 * groups re-evaluated on inventory change, leases with retries and backoff, cancel, the depot,
 * bridge isolation and row-level security on the new tables.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResponse } from '@fleetsync/shared';
import { appRoleUrl } from '../../src/db/appRole.js';
import { diffInventory, type Inventory } from '../../src/fleet/sharedFleet.js';
import { call, codeOf } from '../support/http.js';
import { eventually } from '../support/nodeReplica.js';
import { startTestEnv, type TestEnv, type TestUser } from '../support/testServer.js';
import { deploymentDoc, groupDoc, packageDoc, taskDoc } from './fleetDocs.js';

let env: TestEnv;
let orgA: string;
let orgB: string;
let admin: TestUser;
let operator: TestUser;
let viewer: TestUser;
let adminB: TestUser;
let bridge: string;
let otherBridge: string;
let bridgeB: string;

const inventory = (over: Partial<Inventory> = {}): Inventory => ({
  os: { name: 'Debian GNU/Linux', version: '12', kernel: '6.1.0-18-amd64', arch: 'x64' },
  hostname: 'pc-1',
  cpu: { model: 'x', cores: 4 },
  memory: { totalBytes: 8e9, freeBytes: 4e9 },
  disks: [],
  network: [],
  uptimeSeconds: 1,
  packageManager: 'dpkg',
  packages: [{ name: 'bash', version: '5.2' }],
  adminUsers: ['root'],
  sshEnabled: false,
  ...over,
});

async function bridgeToken(user: TestUser, orgId: string, bridgeId: string): Promise<string> {
  const r = await call<{ token: string }>(env.url, '/api/tokens', {
    body: { name: bridgeId, scopes: ['bridge'], expiresInDays: 30, orgId, bridgeId },
    token: user.token,
  });
  return r.body.token;
}
async function secret(user: TestUser, orgId: string, body: Record<string, unknown> = {}): Promise<string> {
  const r = await call<{ secret: string }>(env.url, '/api/fleet/enrollment-secrets', {
    body: { orgId, ...body },
    token: user.token,
  });
  expect(r.status).toBe(201);
  return r.body.secret;
}
async function enroll(token: string, s: string, hostname = 'pc'): Promise<{ deviceId: string; credential: string }> {
  const r = await call<{ deviceId: string; credential: string }>(env.url, '/api/bridge/fleet/enroll', {
    body: { secret: s, hostname, agentVersion: '0.1.0' },
    token,
  });
  expect(r.status).toBe(201);
  return r.body;
}
const lease = (token: string, deviceId: string) =>
  call<{ work: { executionId: string; attempt: number } | null }>(env.url, '/api/bridge/fleet/lease', {
    body: { deviceId, graceSeconds: 1 },
    token,
  });
const report = (token: string, events: unknown[]) =>
  call<{ outcomes: { outcome: string }[] }>(env.url, '/api/bridge/fleet/events', { body: { events, graceSeconds: 1 }, token });
const result = (
  deviceId: string,
  executionId: string,
  attempt: number,
  status: 'succeeded' | 'failed',
  exitCode = status === 'succeeded' ? 0 : 1,
) => ({
  type: 'result',
  deviceId,
  result: {
    executionId,
    attempt,
    status,
    outcome: status === 'succeeded' ? 'ok' : 'exit_code',
    exitCode,
    stdout: 'out',
    stderr: '',
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
  },
});
const doc = async (kind: string, id: string) =>
  (await call<Record<string, unknown>>(env.url, `/api/${kind}/${id}`, { token: admin.token })).body;

beforeAll(async () => {
  env = await startTestEnv();
  orgA = await env.org('Fleet A');
  orgB = await env.org('Fleet B');
  admin = await env.user('admin@fleet-a.test', { [orgA]: 'admin' });
  operator = await env.user('op@fleet-a.test', { [orgA]: 'operator' });
  viewer = await env.user('viewer@fleet-a.test', { [orgA]: 'viewer' });
  adminB = await env.user('admin@fleet-b.test', { [orgB]: 'admin' });
  bridge = await bridgeToken(admin, orgA, 'site-a1');
  otherBridge = await bridgeToken(admin, orgA, 'site-a2');
  bridgeB = await bridgeToken(adminB, orgB, 'site-b1');
});
afterAll(async () => {
  await env.stop();
});

describe('enrollment and credentials', () => {
  it('a secret is created by an admin, shown once, stored hashed, single-use, and bound to its org (and bridge when given)', async () => {
    expect((await call(env.url, '/api/fleet/enrollment-secrets', { body: { orgId: orgA }, token: operator.token })).status).toBe(
      403,
    );
    const s = await secret(admin, orgA, { label: 'room 2' });
    expect(s).toMatch(/^fse_/);
    const listed = await call(env.url, `/api/fleet/enrollment-secrets?orgId=${orgA}`, { token: admin.token });
    expect(JSON.stringify(listed.body)).not.toContain(s);
    const stored = await env.db.query('SELECT secret_hash FROM agent_enrollment_secrets');
    expect(stored.rows.map((r) => r.secret_hash)).toContain(createHash('sha256').update(s).digest('hex'));

    expect(
      codeOf(
        await call(env.url, '/api/bridge/fleet/enroll', {
          body: { secret: s, hostname: 'x', agentVersion: '1' },
          token: bridgeB,
        }),
      ),
    ).toBe('INVALID_CREDENTIALS');
    const first = await enroll(bridge, s, 'lab-pc-1');
    expect(first.credential).toMatch(/^fsa_/);
    const reused = await call(env.url, '/api/bridge/fleet/enroll', {
      body: { secret: s, hostname: 'x', agentVersion: '1' },
      token: bridge,
    });
    expect([reused.status, codeOf(reused)]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect(
      codeOf(
        await call(env.url, '/api/bridge/fleet/enroll', {
          body: { secret: s, hostname: 'x', agentVersion: '1' },
          token: admin.token,
        }),
      ),
    ).toBe('FORBIDDEN');

    const bound = await secret(admin, orgA, { bridgeId: 'site-a1' });
    expect(
      codeOf(
        await call(env.url, '/api/bridge/fleet/enroll', {
          body: { secret: bound, hostname: 'x', agentVersion: '1' },
          token: otherBridge,
        }),
      ),
    ).toBe('INVALID_CREDENTIALS');
    const revoked = await call<{ id: string; secret: string }>(env.url, '/api/fleet/enrollment-secrets', {
      body: { orgId: orgA },
      token: admin.token,
    });
    expect(
      (await call(env.url, `/api/fleet/enrollment-secrets/${revoked.body.id}`, { method: 'DELETE', token: admin.token })).status,
    ).toBe(204);
    expect(
      codeOf(
        await call(env.url, '/api/bridge/fleet/enroll', {
          body: { secret: revoked.body.secret, hostname: 'x', agentVersion: '1' },
          token: bridge,
        }),
      ),
    ).toBe('INVALID_CREDENTIALS');

    // The device replicates; its credential does not. The bridge gets only the digest.
    const pulled = await call<{ documents: Record<string, unknown>[] }>(env.url, '/api/sync/devices/pull', {
      body: {},
      token: viewer.token,
    });
    expect(pulled.body.documents.map((d) => d.id)).toContain(first.deviceId);
    expect(JSON.stringify(pulled.body)).not.toContain(first.credential);
    const agents = await call<{ agents: { deviceId: string; credentialHash: string }[] }>(env.url, '/api/bridge/fleet/agents', {
      token: bridge,
    });
    expect(agents.body.agents).toEqual([
      { deviceId: first.deviceId, credentialHash: createHash('sha256').update(first.credential).digest('hex') },
    ]);
    expect((await call<{ agents: unknown[] }>(env.url, '/api/bridge/fleet/agents', { token: otherBridge })).body.agents).toEqual(
      [],
    );

    // Revoking the device's credential takes it off the bridge's list.
    expect(
      (await call(env.url, `/api/fleet/devices/${first.deviceId}/revoke`, { method: 'POST', body: {}, token: viewer.token }))
        .status,
    ).toBe(403);
    expect(
      (await call(env.url, `/api/fleet/devices/${first.deviceId}/revoke`, { method: 'POST', body: {}, token: admin.token }))
        .status,
    ).toBe(204);
    expect((await call<{ agents: unknown[] }>(env.url, '/api/bridge/fleet/agents', { token: bridge })).body.agents).toEqual([]);
  });

  it('row-level security: the new tables show nothing of another org, even to a query that forgets the filter', async () => {
    await enroll(bridgeB, await secret(adminB, orgB), 'b-pc');
    const app = new pg.Client({ connectionString: appRoleUrl(env.database.url) });
    await app.connect();
    try {
      await app.query('BEGIN');
      await app.query("SELECT set_config('fleetsync.org_ids', $1, true)", [orgB]);
      for (const table of [
        'agent_enrollment_secrets',
        'agent_credentials',
        'device_inventory_history',
        'depot_artifacts',
        'deployment_targets',
        'execution_receipts',
      ]) {
        const rows = await app.query<{ org_id: string }>(`SELECT org_id FROM ${table}`);
        expect(
          rows.rows.every((r) => r.org_id === orgB),
          table,
        ).toBe(true);
      }
      expect((await app.query('SELECT 1 FROM agent_credentials')).rowCount).toBe(1);
      await expect(
        app.query('INSERT INTO depot_artifacts (org_id, sha256, size, file_name, content) VALUES ($1, $2, 0, $3, $4)', [
          orgA,
          'a'.repeat(64),
          'x',
          Buffer.alloc(0),
        ]),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await app.query('ROLLBACK');
      await app.end();
    }
  });
});

describe('inventory, history and dynamic groups', () => {
  it('inventory deltas update the device, the history timeline and dynamic-group membership', async () => {
    const { deviceId } = await enroll(bridge, await secret(admin, orgA), 'lab-pc-2');
    const ssh = groupDoc(orgA, {
      kind: 'dynamic',
      name: 'SSH on',
      rule: { op: 'and', rules: [{ field: 'sshEnabled', op: 'eq', value: true }] },
    });
    expect(
      (
        await call<PushResponse>(env.url, '/api/sync/deviceGroups/push', {
          body: { rows: [{ assumedMasterState: null, newDocumentState: ssh }] },
          token: admin.token,
        })
      ).body.rejections,
    ).toEqual([]);
    const first = inventory();
    const r1 = await call<{ needFull: boolean }>(env.url, '/api/bridge/fleet/inventory', {
      body: { deviceId, delta: diffInventory(null, first) },
      token: bridge,
    });
    expect(r1.body.needFull).toBe(false);
    expect(((await doc('devices', deviceId)).groupIds as string[]).includes(ssh.id)).toBe(false);

    const second = inventory({ sshEnabled: true, adminUsers: ['root', 'intern'] });
    await call(env.url, '/api/bridge/fleet/inventory', {
      body: { deviceId, delta: diffInventory(first, second) },
      token: bridge,
    });
    expect((await doc('devices', deviceId)).groupIds).toContain(ssh.id);
    // A delta against a base the server does not have: it asks for everything.
    const stale = await call<{ needFull: boolean }>(env.url, '/api/bridge/fleet/inventory', {
      body: { deviceId, delta: diffInventory(inventory({ hostname: 'other' }), second) },
      token: bridge,
    });
    expect(stale.body.needFull).toBe(true);

    const history = await call<{ entries: { changes: { path: string }[] }[] }>(env.url, `/api/devices/${deviceId}/history`, {
      token: viewer.token,
    });
    expect(history.body.entries.map((e) => e.changes.map((c) => c.path))).toEqual([
      ['adminUsers', 'sshEnabled'],
      expect.arrayContaining(['os.kernel', 'packages']),
    ]);
    expect((await call(env.url, `/api/devices/${deviceId}/history`, { token: adminB.token })).status).toBe(404);

    // A group created later is evaluated for existing devices (re-evaluation on group change).
    const intern = groupDoc(orgA, {
      kind: 'dynamic',
      name: 'Intern is admin',
      rule: { op: 'and', rules: [{ field: 'adminUsers', op: 'eq', value: 'intern' }] },
    });
    await call(env.url, '/api/sync/deviceGroups/push', {
      body: { rows: [{ assumedMasterState: null, newDocumentState: intern }] },
      token: admin.token,
    });
    await eventually(
      async () => ((await doc('devices', deviceId)).groupIds as string[]).includes(intern.id),
      5000,
      'membership of the new group',
    );

    const preview = await call<{ count: number; devices: { id: string }[] }>(env.url, '/api/fleet/groups/preview', {
      body: {
        orgId: orgA,
        rule: {
          op: 'or',
          rules: [
            { field: 'adminUsers', op: 'eq', value: 'intern' },
            { field: 'hostname', op: 'eq', value: 'nope' },
          ],
        },
      },
      token: viewer.token,
    });
    expect(preview.body).toMatchObject({ count: 1, devices: [{ id: deviceId }] });
    expect(
      codeOf(
        await call(env.url, '/api/fleet/groups/preview', {
          body: { orgId: orgA, rule: { op: 'and', rules: [{ field: 'colour', op: 'eq', value: 1 }] } },
          token: viewer.token,
        }),
      ),
    ).toBe('VALIDATION_FAILED');

    // "Offline for more than 7 days" is evaluated fresh.
    await env.db.query(
      "UPDATE documents SET data = jsonb_set(data, '{lastSeenAt}', to_jsonb($2::text)) WHERE collection = 'devices' AND id = $1",
      [deviceId, new Date(Date.now() - 8 * 86_400_000).toISOString()],
    );
    const offline = await call<{ devices: { id: string }[] }>(
      env.url,
      `/api/fleet/groups/builtin:offline-7d/members?orgId=${orgA}`,
      { token: viewer.token },
    );
    expect(offline.body.devices.map((d) => d.id)).toEqual([deviceId]);
  });
});

describe('tasks: expansion, leases, retries, cancel', () => {
  it('a task pushed through sync is expanded; failures retry with backoff; the first final result wins', async () => {
    const { deviceId } = await enroll(bridge, await secret(admin, orgA), 'lab-pc-3');
    const task = taskDoc(orgA, { targetDeviceIds: [deviceId], maxAttempts: 2, retryBackoffSeconds: 1, timeoutSeconds: 30 });
    expect(
      (
        await call<PushResponse>(env.url, '/api/sync/tasks/push', {
          body: { rows: [{ assumedMasterState: null, newDocumentState: task }] },
          token: operator.token,
        })
      ).body.rejections,
    ).toEqual([]);
    let leased = (await lease(bridge, deviceId)).body.work;
    for (let i = 0; !leased && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      leased = (await lease(bridge, deviceId)).body.work;
    }
    expect(leased).toMatchObject({ attempt: 1, action: 'script', script: { shell: 'sh', body: 'echo hello' } });
    const id = leased!.executionId;
    // Another bridge of the same org cannot act for this device.
    expect((await lease(otherBridge, deviceId)).status).toBe(404);
    expect((await report(otherBridge, [result(deviceId, id, 1, 'succeeded')])).body.outcomes).toEqual([
      { outcome: 'stale', error: 'NOT_FOUND' },
    ]);

    expect(
      (
        await report(bridge, [{ type: 'running', deviceId, executionId: id, attempt: 1 }, result(deviceId, id, 1, 'failed', 2)])
      ).body.outcomes.map((o) => o.outcome),
    ).toEqual(['accepted', 'accepted']);
    expect(await doc('tasks', id)).toMatchObject({ state: 'queued', attempt: 2, outcome: 'exit_code' });
    expect((await lease(bridge, deviceId)).body.work).toBeNull(); // backing off
    await new Promise((r) => setTimeout(r, 1100));
    expect((await lease(bridge, deviceId)).body.work).toMatchObject({ executionId: id, attempt: 2 });
    // Redelivery of an unfinished lease: the same execution again.
    expect((await lease(bridge, deviceId)).body.work).toMatchObject({ executionId: id, attempt: 2 });
    const outcomes = await report(bridge, [
      result(deviceId, id, 2, 'succeeded'),
      result(deviceId, id, 2, 'succeeded'),
      result(deviceId, id, 1, 'failed'),
    ]);
    expect(outcomes.body.outcomes.map((o) => o.outcome)).toEqual(['accepted', 'duplicate', 'duplicate']);
    expect(await doc('tasks', id)).toMatchObject({ state: 'succeeded', attempt: 2, exitCode: 0, stdout: 'out' });
    const receipts = await call<{ receipts: { outcome: string }[] }>(env.url, `/api/fleet/executions/${id}/receipts`, {
      token: viewer.token,
    });
    expect(receipts.body.receipts.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted', 'duplicate', 'duplicate']);
    // People cannot write executions through sync.
    const exec = await doc('tasks', id);
    const forged = await call<PushResponse>(env.url, '/api/sync/tasks/push', {
      body: { rows: [{ assumedMasterState: exec, newDocumentState: { ...exec, state: 'failed' } }] },
      token: admin.token,
    });
    expect(forged.body.rejections[0]?.code).toMatch(/WRITE_FORBIDDEN|SERVER_FIELD_FORBIDDEN/);
  });

  it('cancel: operators may, viewers may not; a result after cancel is ignored', async () => {
    const { deviceId } = await enroll(bridge, await secret(admin, orgA), 'lab-pc-4');
    const created = await call<{ id: string }>(env.url, '/api/tasks', {
      body: taskDoc(orgA, { targetDeviceIds: [deviceId] }),
      token: operator.token,
    });
    expect(created.status).toBe(201);
    const status = async () =>
      (
        await call<{ counts: Record<string, number>; executions: { id: string }[] }>(
          env.url,
          `/api/fleet/tasks/${created.body.id}/status`,
          { token: viewer.token },
        )
      ).body;
    await eventually(async () => (await status()).executions.length === 1, 5000, 'expansion');
    const { executions } = await status();
    const work = (await lease(bridge, deviceId)).body.work!;
    expect(work.executionId).toBe(executions[0]!.id);
    expect(
      (await call(env.url, `/api/fleet/tasks/${created.body.id}/cancel`, { method: 'POST', body: {}, token: viewer.token }))
        .status,
    ).toBe(403);
    expect(
      (await call(env.url, `/api/fleet/tasks/${created.body.id}/cancel`, { method: 'POST', body: {}, token: operator.token }))
        .body,
    ).toEqual({ cancelled: 1 });
    expect((await report(bridge, [result(deviceId, work.executionId, 1, 'succeeded')])).body.outcomes[0]!.outcome).toBe(
      'duplicate',
    );
    expect((await status()).counts).toMatchObject({ cancelled: 1, succeeded: 0 });
    expect((await doc('tasks', created.body.id)).status).toBe('cancelled');
  });
});

describe('depot', () => {
  it('content-addressed uploads: checked, permissioned, readable by the org’s bridges only', async () => {
    const bytes = Buffer.from('installer bytes');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const put = (token: string, address: string, orgId = orgA) =>
      fetch(`${env.url}/api/fleet/depot/${address}?orgId=${orgId}&fileName=installer.sh`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bytes),
      });
    expect((await put(operator.token, sha)).status).toBe(403);
    expect((await put(admin.token, 'b'.repeat(64))).status).toBe(400);
    expect((await put(admin.token, sha)).status).toBe(201);
    expect((await put(admin.token, sha)).status).toBe(200);
    const get = (token: string, orgId = orgA) =>
      fetch(`${env.url}/api/fleet/depot/${sha}?orgId=${orgId}`, { headers: { authorization: `Bearer ${token}` } });
    const viaBridge = await get(bridge);
    expect(Buffer.from(await viaBridge.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await get(bridgeB)).status).toBe(404);
    expect((await get(adminB.token)).status).toBe(403);
    const list = await call<{ artifacts: { sha256: string }[] }>(env.url, `/api/fleet/depot?orgId=${orgA}`, {
      token: viewer.token,
    });
    expect(list.body.artifacts.map((a) => a.sha256)).toEqual([sha]);
  });
});

describe('available software', () => {
  it('an "available" deployment installs nothing by itself; an install runs when requested for a targeted device', async () => {
    const { deviceId } = await enroll(bridge, await secret(admin, orgA), 'lab-pc-5');
    const pkg = await call<{ id: string }>(env.url, '/api/catalog', { body: packageDoc(orgA), token: admin.token });
    const dep = await call<{ id: string }>(env.url, '/api/deployments', {
      body: deploymentDoc(orgA, { packageId: pkg.body.id, intent: 'available', targetDeviceIds: [deviceId], targetGroupIds: [] }),
      token: admin.token,
    });
    expect(dep.status).toBe(201);
    await eventually(async () => (await doc('deployments', dep.body.id)).state === 'running', 5000, 'the deployment to start');
    expect((await lease(bridge, deviceId)).body.work).toBeNull();
    expect(
      (await call(env.url, `/api/fleet/deployments/${dep.body.id}/install`, { body: { deviceId }, token: viewer.token })).status,
    ).toBe(403);
    expect(
      (
        await call(env.url, `/api/fleet/deployments/${dep.body.id}/install`, {
          body: { deviceId: 'not-a-target' },
          token: operator.token,
        })
      ).status,
    ).toBe(404);
    const requested = await call<{ executionId: string }>(env.url, `/api/fleet/deployments/${dep.body.id}/install`, {
      body: { deviceId },
      token: operator.token,
    });
    expect(requested.status).toBe(202);
    expect((await lease(bridge, deviceId)).body.work).toMatchObject({
      executionId: requested.body.executionId,
      action: 'package_install',
      package: { name: 'Cura', version: '5.7.0' },
    });
    // A deployment naming a package version that does not exist never starts.
    const bad = await call<{ id: string }>(env.url, '/api/deployments', { body: deploymentDoc(orgA), token: admin.token });
    await eventually(
      async () => (await doc('deployments', bad.body.id)).state === 'invalid',
      5000,
      'the invalid deployment to be marked',
    );
    expect((await doc('deployments', bad.body.id)).statusMessage).toMatch(/not in the catalog/);
  });
});
