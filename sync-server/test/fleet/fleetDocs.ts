/** Realistic fleet documents for tests (valid against the shared schemas unless a test breaks them). */
import { newId, type ResourceKind } from '@fleetsync/shared';

const TS = () => `${String(Date.now()).padStart(13, '0')}:00000:test`;

export function deviceDoc(orgId: string, over: Record<string, unknown> = {}) {
  return {
    id: newId(),
    orgId,
    clock: { name: TS() },
    kind: 'agent',
    name: 'Lab PC',
    tags: ['lab'],
    customFields: { room: 'B2' },
    ...over,
  };
}

export function groupDoc(orgId: string, over: Record<string, unknown> = {}) {
  return { id: newId(), orgId, clock: { name: TS() }, kind: 'static', name: 'Pilot PCs', deviceIds: [], ...over };
}

export function taskDoc(orgId: string, over: Record<string, unknown> = {}) {
  return {
    id: newId(),
    orgId,
    clock: { name: TS() },
    kind: 'task',
    action: 'script',
    name: 'Say hello',
    script: { shell: 'sh', body: 'echo hello' },
    targetDeviceIds: [newId()],
    targetGroupIds: [],
    status: 'active',
    ...over,
  };
}

export function packageDoc(orgId: string, over: Record<string, unknown> = {}) {
  return {
    id: newId(),
    orgId,
    clock: { name: TS() },
    kind: 'package',
    name: 'Cura',
    versions: [
      {
        version: '5.7.0',
        platform: 'linux',
        installScript: { shell: 'sh', body: 'true' },
        uninstallScript: { shell: 'sh', body: 'true' },
        detection: { match: 'all', rules: [{ type: 'file_exists', path: '/opt/cura-5.7.0' }] },
      },
    ],
    ...over,
  };
}

export function deploymentDoc(orgId: string, over: Record<string, unknown> = {}) {
  return {
    id: newId(),
    orgId,
    clock: { name: TS() },
    name: 'Cura 5.7',
    packageId: newId(),
    packageVersion: '5.7.0',
    intent: 'required',
    targetDeviceIds: [],
    targetGroupIds: ['builtin:all'],
    wavePercents: [100],
    failureThreshold: 0.5,
    minSample: 1,
    successThreshold: 1,
    maxAttempts: 1,
    retryBackoffSeconds: 0,
    timeoutSeconds: 60,
    ...over,
  };
}

export function fleetDoc(kind: ResourceKind, orgId: string): Record<string, unknown> {
  switch (kind) {
    case 'devices':
      return deviceDoc(orgId);
    case 'deviceGroups':
      return groupDoc(orgId);
    case 'tasks':
      return taskDoc(orgId);
    case 'deployments':
      return deploymentDoc(orgId);
    case 'catalog':
      return packageDoc(orgId);
    default:
      throw new Error(`not a fleet kind: ${kind}`);
  }
}
