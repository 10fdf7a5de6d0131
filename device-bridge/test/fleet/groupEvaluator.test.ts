/**
 * Dynamic groups for a large fleet in a worker thread (comlink): 10 000 devices x 8 groups give
 * the same memberships as the pure evaluation on the main thread, and the main thread's event
 * loop stays responsive meanwhile.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { createGroupEvaluator } from '../../src/fleet/groupEvaluator.js';
import {
  computeMemberships,
  evaluateRule,
  type GroupDefinition,
  type GroupSubject,
  type RuleNode,
} from '../../src/fleet/sharedFleet.js';
import { expectNothingLeft, openResources } from '../support/leaks.js';

const baseline = openResources();
afterAll(async () => {
  await expectNothingLeft(baseline);
});

const NOW = Date.parse('2026-03-01T12:00:00Z');

function fleet(n: number): GroupSubject[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `dev-${i}`,
    name: `pc-${i}`,
    tags: i % 3 === 0 ? ['lab', 'students'] : ['office'],
    customFields: { room: `R${i % 40}` },
    lastSeenAt: new Date(NOW - (i % 17) * 24 * 3600_000).toISOString(),
    inventory: {
      os: { name: 'Ubuntu', version: i % 4 === 0 ? '22.04' : '24.04', kernel: `6.${i % 9}.0-1`, arch: 'x64' },
      hostname: `host-${i}`,
      cpu: { model: 'x', cores: 2 + (i % 8) },
      memory: { totalBytes: (4 + (i % 4) * 4) * 2 ** 30, freeBytes: 2 ** 30 },
      disks: [{ mount: '/', fsType: 'ext4', totalBytes: 1e11, freeBytes: (i % 50) * 1e9 }],
      network: [{ name: 'eth0', mac: 'm', ipv4: [`10.${i % 3}.${(i >> 8) & 255}.${i & 255}`], ipv6: [] }],
      uptimeSeconds: i,
      packageManager: 'dpkg',
      packages: [{ name: 'openssl', version: i % 5 === 0 ? '3.0.2' : '3.0.13' }],
      adminUsers: i % 11 === 0 ? ['root', 'guest'] : ['root'],
      sshEnabled: i % 2 === 0,
    },
  }));
}

const rule = (r: RuleNode) => r;
const groups: GroupDefinition[] = [
  { id: 'g-lab', kind: 'dynamic', rule: rule({ op: 'and', rules: [{ field: 'tags', op: 'eq', value: 'lab' }] }) },
  {
    id: 'g-old-ubuntu',
    kind: 'dynamic',
    rule: rule({ op: 'and', rules: [{ field: 'os.version', op: 'versionLt', value: '24.04' }] }),
  },
  {
    id: 'g-vuln',
    kind: 'dynamic',
    rule: rule({ op: 'and', rules: [{ field: 'package.openssl', op: 'versionLt', value: '3.0.7' }] }),
  },
  {
    id: 'g-net',
    kind: 'dynamic',
    rule: rule({ op: 'and', rules: [{ field: 'network.ipv4', op: 'inCidr', value: '10.1.0.0/16' }] }),
  },
  {
    id: 'g-low-disk',
    kind: 'dynamic',
    rule: rule({
      op: 'or',
      rules: [
        { field: 'disk.minFreeBytes', op: 'lt', value: 5e9 },
        { field: 'memory.totalBytes', op: 'lte', value: 4 * 2 ** 30 },
      ],
    }),
  },
  {
    id: 'g-guest-admin',
    kind: 'dynamic',
    rule: rule({
      op: 'and',
      rules: [
        { field: 'adminUsers', op: 'eq', value: 'guest' },
        { field: 'sshEnabled', op: 'eq', value: true },
      ],
    }),
  },
  {
    id: 'g-room',
    kind: 'dynamic',
    rule: rule({ op: 'and', not: true, rules: [{ field: 'custom.room', op: 'startsWith', value: 'R1' }] }),
  },
  { id: 'g-static', kind: 'static', deviceIds: ['dev-1', 'dev-2', 'dev-99999'] },
];

describe('group evaluation in a worker thread', () => {
  it('evaluates 10 000 devices off the main thread with the same results', async () => {
    const devices = fleet(10_000);
    const evaluator = createGroupEvaluator();
    try {
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const inWorker = await evaluator.memberships(devices, groups, NOW);
      delay.disable();
      // The main thread kept serving: no single stall anywhere near the evaluation's length.
      expect(delay.max / 1e6).toBeLessThan(500);
      const sample = [0, 1, 2, 3, 5, 11, 17, 256, 4999, 9999];
      for (const i of sample) expect(inWorker[`dev-${i}`]).toEqual(computeMemberships(devices[i]!, groups, NOW));
      expect(Object.keys(inWorker)).toHaveLength(10_000);
      expect(Object.values(inWorker).filter((g) => g.includes('builtin:offline-7d')).length).toBe(
        devices.filter((_, i) => i % 17 > 7).length,
      );
      const preview = await evaluator.matching(groups[2]!.rule!, devices, NOW);
      expect(preview).toEqual(devices.filter((d) => evaluateRule(groups[2]!.rule!, d, NOW)).map((d) => d.id));
      expect(preview).toHaveLength(2000);
    } finally {
      await evaluator.close();
    }
  });
});
