/**
 * The five fleet collections: their RxDB schemas open in dev-mode (one zod source), documents
 * validate, and each write rule refuses what it must (SPEC S-P3..S-P7).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { authorizeWrite, catalog, COLLECTIONS, deployments, deviceGroups, devices, tasks } from '../src/collections/index.js';
import { can, SCOPE_CAPABILITIES, type Principal } from '../src/capabilities.js';

const who = (role: 'admin' | 'manager' | 'operator' | 'requester' | 'viewer'): Principal => ({
  userId: 'u1' as never,
  memberships: { orgA: role },
});
const base = { orgId: 'orgA', clock: {} };

export const samples = {
  devices: { ...base, id: 'dev-1', kind: 'agent', name: 'PC 1', tags: ['lab'], customFields: { room: 'B2' } },
  deviceGroups: {
    ...base,
    id: 'grp-1',
    kind: 'dynamic',
    name: 'Lab',
    rule: { op: 'and', rules: [{ field: 'tags', op: 'eq', value: 'lab' }] },
  },
  tasks: {
    ...base,
    id: 'task-1',
    kind: 'task',
    action: 'script',
    name: 'Clean temp',
    script: { shell: 'sh', body: 'rm -rf /tmp/cache' },
    targetDeviceIds: ['dev-1'],
    targetGroupIds: [],
    status: 'active',
  },
  deployments: {
    ...base,
    id: 'dep-1',
    name: 'Cura 5.7',
    packageId: 'pkg-1',
    packageVersion: '5.7.0',
    intent: 'required',
    targetDeviceIds: [],
    targetGroupIds: ['grp-1'],
    wavePercents: [25, 100],
    failureThreshold: 0.2,
    minSample: 3,
    successThreshold: 0.95,
    maxAttempts: 2,
    retryBackoffSeconds: 30,
    timeoutSeconds: 600,
  },
  catalog: {
    ...base,
    id: 'pkg-1',
    kind: 'package',
    name: 'Cura',
    versions: [
      {
        version: '5.7.0',
        platform: 'linux',
        installScript: { shell: 'sh', body: 'install.sh' },
        detection: { match: 'all', rules: [{ type: 'file_exists', path: '/opt/cura/5.7.0' }] },
        artifact: { sha256: 'a'.repeat(64), size: 10, fileName: 'cura.tar.gz' },
      },
    ],
  },
};

let db: RxDatabase | undefined;
afterAll(async () => {
  await db?.close();
});

describe('fleet collections', () => {
  it('open in RxDB dev-mode with schema validation and accept a realistic document each', async () => {
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
    db = await createRxDatabase({
      name: `fleet${Date.now()}`,
      storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
      multiInstance: false,
    });
    const names = ['devices', 'deviceGroups', 'tasks', 'deployments', 'catalog'] as const;
    await db.addCollections(Object.fromEntries(names.map((n) => [n, { schema: COLLECTIONS[n].rxSchema as never }])));
    for (const n of names) {
      expect(COLLECTIONS[n].zod.safeParse(samples[n]).success).toBe(true);
      await db.collections[n]!.insert(samples[n]);
    }
    expect(Object.keys(COLLECTIONS).length).toBeLessThanOrEqual(10);
  });

  it('roles: operators run tasks but do not deploy; requesters and viewers read', () => {
    expect(can(who('operator'), 'tasks.create', { orgId: 'orgA' })).toBe(true);
    expect(can(who('operator'), 'deployments.create', { orgId: 'orgA' })).toBe(false);
    expect(can(who('operator'), 'catalog.update', { orgId: 'orgA' })).toBe(false);
    expect(can(who('viewer'), 'devices.read', { orgId: 'orgA' })).toBe(true);
    expect(can(who('viewer'), 'tasks.create', { orgId: 'orgA' })).toBe(false);
    expect(can(who('manager'), 'deployments.update', { orgId: 'orgA' })).toBe(true);
    expect(SCOPE_CAPABILITIES['read:devices']).toContain('deployments.read');
    expect(SCOPE_CAPABILITIES['write:devices']).toContain('tasks.create');
    expect(can({ ...who('admin'), scopes: ['read:devices'] }, 'tasks.create', { orgId: 'orgA' })).toBe(false);
  });

  it('devices: inventory and liveness are server-owned', () => {
    expect(devices.serverOwned).toEqual(expect.arrayContaining(['inventory', 'lastSeenAt', 'groupIds', 'bridgeId']));
    expect(authorizeWrite(devices, { principal: who('admin'), previous: undefined, next: samples.devices as never })).toEqual({
      ok: true,
    });
  });

  it('groups: rules are checked, kinds fixed', () => {
    const bad = { ...samples.deviceGroups, rule: { op: 'and', rules: [{ field: 'colour', op: 'eq', value: 'x' }] } };
    expect(authorizeWrite(deviceGroups, { principal: who('admin'), previous: undefined, next: bad as never })).toMatchObject({
      code: 'DOCUMENT_INVALID',
    });
    const kindChange = { ...samples.deviceGroups, kind: 'static', rule: undefined, deviceIds: [] };
    expect(
      authorizeWrite(deviceGroups, {
        principal: who('admin'),
        previous: samples.deviceGroups as never,
        next: kindChange as never,
      }),
    ).toMatchObject({ code: 'WRITE_FORBIDDEN' });
  });

  it('tasks: executions are the server’s; a task is immutable except name, notes and cancel', () => {
    const p = who('operator');
    expect(authorizeWrite(tasks, { principal: p, previous: undefined, next: samples.tasks as never })).toEqual({ ok: true });
    const exec = { ...base, id: 'e', kind: 'execution', action: 'script', deviceId: 'dev-1', state: 'queued', attempt: 1 };
    expect(authorizeWrite(tasks, { principal: who('admin'), previous: undefined, next: exec as never })).toMatchObject({
      code: 'WRITE_FORBIDDEN',
    });
    expect(
      authorizeWrite(tasks, { principal: who('admin'), previous: exec as never, next: { ...exec, state: 'succeeded' } as never }),
    ).toMatchObject({ code: 'WRITE_FORBIDDEN' });
    const smuggled = { ...samples.tasks, state: 'succeeded' };
    expect(authorizeWrite(tasks, { principal: p, previous: undefined, next: smuggled as never })).toMatchObject({
      code: 'SERVER_FIELD_FORBIDDEN',
    });
    const noTarget = { ...samples.tasks, targetDeviceIds: [] };
    expect(authorizeWrite(tasks, { principal: p, previous: undefined, next: noTarget as never })).toMatchObject({
      code: 'DOCUMENT_INVALID',
    });
    const edited = { ...samples.tasks, script: { shell: 'sh', body: 'rm -rf /' } };
    expect(authorizeWrite(tasks, { principal: p, previous: samples.tasks as never, next: edited as never })).toMatchObject({
      code: 'WRITE_FORBIDDEN',
    });
    const cancelled = { ...samples.tasks, status: 'cancelled' };
    expect(authorizeWrite(tasks, { principal: p, previous: samples.tasks as never, next: cancelled as never })).toEqual({
      ok: true,
    });
    expect(authorizeWrite(tasks, { principal: p, previous: cancelled as never, next: samples.tasks as never })).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
  });

  it('deployments: waves ascend to 100; only name and notes change afterwards', () => {
    const p = who('manager');
    expect(authorizeWrite(deployments, { principal: p, previous: undefined, next: samples.deployments as never })).toEqual({
      ok: true,
    });
    const badWaves = { ...samples.deployments, wavePercents: [50, 25] };
    expect(authorizeWrite(deployments, { principal: p, previous: undefined, next: badWaves as never })).toMatchObject({
      code: 'DOCUMENT_INVALID',
    });
    const stored = { ...samples.deployments, state: 'running', createdBy: 'u1' };
    expect(
      authorizeWrite(deployments, { principal: p, previous: stored as never, next: { ...stored, name: 'renamed' } as never }),
    ).toEqual({ ok: true });
    expect(
      authorizeWrite(deployments, { principal: p, previous: stored as never, next: { ...stored, intent: 'uninstall' } as never }),
    ).toMatchObject({ code: 'WRITE_FORBIDDEN' });
  });

  it('catalog: published versions are immutable; detection rules must be complete; model/profile kinds are open', () => {
    const p = who('admin');
    const changed = {
      ...samples.catalog,
      versions: [{ ...samples.catalog.versions[0]!, installScript: { shell: 'sh', body: 'evil.sh' } }],
    };
    expect(authorizeWrite(catalog, { principal: p, previous: samples.catalog as never, next: changed as never })).toMatchObject({
      code: 'WRITE_FORBIDDEN',
    });
    const incomplete = {
      ...samples.catalog,
      versions: [
        {
          ...samples.catalog.versions[0]!,
          detection: { match: 'all', rules: [{ type: 'dpkg_version', package: 'cura', operator: 'gte' }] },
        },
      ],
    };
    expect(authorizeWrite(catalog, { principal: p, previous: undefined, next: incomplete as never })).toMatchObject({
      code: 'DOCUMENT_INVALID',
    });
    const model = { ...base, id: 'm1', kind: 'model', name: 'Benchy', metadata: { layerHeight: 0.2, material: 'PLA' } };
    expect(catalog.zod.safeParse(model).success).toBe(true);
    expect(authorizeWrite(catalog, { principal: p, previous: undefined, next: model as never })).toEqual({ ok: true });
  });
});
