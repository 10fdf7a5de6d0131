/** Dynamic device groups: the rule evaluation table (one row per case), nesting, and membership. */
import { describe, expect, it } from 'vitest';
import {
  computeMemberships,
  evaluateRule,
  groupRuleSchema,
  ruleProblems,
  type GroupSubject,
  type Inventory,
  type RuleCondition,
  type RuleNode,
} from '../src/fleet/index.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

const inventory: Inventory = {
  os: { name: 'Debian GNU/Linux', version: '12', id: 'debian', kernel: '6.1.0-18-amd64', arch: 'x64' },
  hostname: 'lab2-pc07',
  cpu: { model: 'Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz', cores: 6 },
  memory: { totalBytes: 16 * 2 ** 30, freeBytes: 9 * 2 ** 30 },
  disks: [
    { mount: '/', fsType: 'ext4', totalBytes: 256e9, freeBytes: 100e9 },
    { mount: '/data', fsType: 'xfs', totalBytes: 1e12, freeBytes: 5e9 },
  ],
  network: [{ name: 'eth0', mac: 'aa:bb:cc:dd:ee:ff', ipv4: ['10.20.3.17'], ipv6: ['fe80::1'] }],
  uptimeSeconds: 3600,
  packageManager: 'dpkg',
  packages: [
    { name: 'openssl', version: '3.0.11-1~deb12u2', arch: 'amd64' },
    { name: 'cura', version: '5.6.0' },
  ],
  adminUsers: ['root', 'itadmin'],
  sshEnabled: true,
};

const device: GroupSubject = {
  id: 'dev-1',
  name: 'Lab 2 PC 07',
  tags: ['lab-2', 'students'],
  customFields: { room: 'B204', seats: 24, loaner: false },
  lastSeenAt: minutesAgo(30),
  agentVersion: '0.3.1',
  bridgeId: 'site-1',
  inventory,
};
const bare: GroupSubject = { id: 'dev-2', name: 'Placeholder' };

const c = (field: string, op: RuleCondition['op'], value?: RuleCondition['value']): RuleCondition =>
  value === undefined ? { field, op } : { field, op, value };

// [condition, matches the full device, matches a device with no inventory/tags/custom fields]
const TABLE: [RuleCondition, boolean, boolean][] = [
  [c('name', 'eq', 'lab 2 pc 07'), true, false],
  [c('name', 'neq', 'Lab 2 PC 07'), false, true],
  [c('hostname', 'startsWith', 'LAB2-'), true, false],
  [c('hostname', 'endsWith', 'pc07'), true, false],
  [c('hostname', 'contains', 'pc0'), true, false],
  [c('hostname', 'in', ['lab2-pc07', 'lab2-pc08']), true, false],
  [c('os.id', 'eq', 'debian'), true, false],
  [c('os.version', 'versionGte', '11'), true, false],
  [c('os.version', 'versionLt', '12'), false, false],
  [c('os.kernel', 'versionGte', '6.1.0-10'), true, false],
  [c('os.kernel', 'versionLt', '6.1.0-9'), false, false],
  [c('cpu.cores', 'gte', 6), true, false],
  [c('cpu.cores', 'gt', 6), false, false],
  [c('cpu.cores', 'eq', 6), true, false],
  [c('memory.totalBytes', 'lt', 8 * 2 ** 30), false, false],
  [c('disk.minFreeBytes', 'lt', 10e9), true, false],
  [c('disk.totalBytes', 'gt', 1e12), true, false],
  [c('network.ipv4', 'inCidr', '10.20.0.0/16'), true, false],
  [c('network.ipv4', 'inCidr', '192.168.0.0/16'), false, false],
  [c('network.mac', 'eq', 'AA:BB:CC:DD:EE:FF'), true, false],
  [c('adminUsers', 'eq', 'itadmin'), true, false],
  [c('adminUsers', 'neq', 'guest'), true, true],
  [c('adminUsers', 'exists'), true, false],
  [c('adminUsers', 'missing'), false, true],
  [c('sshEnabled', 'eq', true), true, false],
  [c('sshEnabled', 'eq', false), false, false],
  [c('packageManager', 'eq', 'dpkg'), true, false],
  [c('package.openssl', 'exists'), true, false],
  [c('package.openssl', 'versionLt', '3.0.13'), true, false],
  [c('package.openssl', 'versionGte', '3.0.11-1~deb12u2'), true, false],
  [c('package.openssl:amd64', 'exists'), true, false],
  [c('package.firefox', 'missing'), true, true],
  [c('tags', 'eq', 'LAB-2'), true, false],
  [c('tags', 'in', ['staff', 'students']), true, false],
  [c('tags', 'neq', 'staff'), true, true],
  [c('tags', 'missing'), false, true],
  [c('custom.room', 'eq', 'b204'), true, false],
  [c('custom.seats', 'eq', '24'), true, false],
  [c('custom.loaner', 'eq', false), true, false],
  [c('custom.room', 'missing'), false, true],
  [c('lastSeenMinutesAgo', 'lt', 60), true, false],
  [c('lastSeenMinutesAgo', 'gt', 7 * 24 * 60), false, false],
  [c('lastSeenMinutesAgo', 'missing'), false, true],
  [c('agentVersion', 'versionGte', '0.3.0'), true, false],
  [c('bridgeId', 'eq', 'site-1'), true, false],
  [c('uptimeSeconds', 'gte', 60), true, false],
];

describe('dynamic group rules: evaluation table', () => {
  it.each(TABLE)('%o -> device %s, empty device %s', (cond, full, empty) => {
    expect(ruleProblems({ op: 'and', rules: [cond] })).toEqual([]);
    expect(evaluateRule({ op: 'and', rules: [cond] }, device, NOW)).toBe(full);
    expect(evaluateRule({ op: 'and', rules: [cond] }, bare, NOW)).toBe(empty);
  });

  it('AND / OR / NOT and nesting three levels deep', () => {
    const lab = c('tags', 'eq', 'lab-2');
    const staff = c('tags', 'eq', 'staff');
    const old = c('os.version', 'versionLt', '12');
    expect(evaluateRule({ op: 'and', rules: [] }, device, NOW)).toBe(true);
    expect(evaluateRule({ op: 'or', rules: [] }, device, NOW)).toBe(false);
    expect(evaluateRule({ op: 'and', rules: [lab, staff] }, device, NOW)).toBe(false);
    expect(evaluateRule({ op: 'or', rules: [lab, staff] }, device, NOW)).toBe(true);
    expect(evaluateRule({ op: 'or', not: true, rules: [lab, staff] }, device, NOW)).toBe(false);
    const nested: RuleNode = {
      op: 'and',
      rules: [
        lab,
        { op: 'or', rules: [old, { op: 'and', rules: [c('sshEnabled', 'eq', true), c('custom.room', 'startsWith', 'B')] }] },
      ],
    };
    expect(groupRuleSchema.safeParse(nested).success).toBe(true);
    expect(evaluateRule(nested, device, NOW)).toBe(true);
    expect(evaluateRule(nested, { ...device, customFields: { room: 'A101' } }, NOW)).toBe(false);
  });

  it('refuses rules it cannot evaluate', () => {
    expect(ruleProblems({ op: 'and', rules: [c('colour', 'eq', 'red')] })).toEqual(['unknown field colour']);
    expect(ruleProblems({ op: 'and', rules: [c('sshEnabled', 'gt', 1)] })[0]).toMatch(/does not apply/);
    expect(ruleProblems({ op: 'and', rules: [c('cpu.cores', 'gt', '4')] })[0]).toMatch(/needs a number/);
    expect(ruleProblems({ op: 'and', rules: [c('network.ipv4', 'inCidr', '10.0.0.0')] })[0]).toMatch(/CIDR/);
    expect(ruleProblems({ op: 'and', rules: [c('tags', 'in', 'lab')] })[0]).toMatch(/needs a list/);
    const tooDeep = { op: 'and', rules: [{ op: 'and', rules: [{ op: 'and', rules: [{ op: 'and', rules: [] }] }] }] };
    expect(groupRuleSchema.safeParse(tooDeep).success).toBe(false);
  });

  it('memberships: static, dynamic and the predefined groups (offline for more than 7 days)', () => {
    const groups = [
      { id: 'g-static', kind: 'static' as const, deviceIds: ['dev-1'] },
      { id: 'g-lab', kind: 'dynamic' as const, rule: { op: 'and' as const, rules: [c('tags', 'eq', 'lab-2')] } },
      { id: 'g-gone', kind: 'dynamic' as const, rule: { op: 'and' as const, rules: [c('tags', 'eq', 'lab-2')] }, _deleted: true },
    ];
    expect(computeMemberships(device, groups, NOW)).toEqual(['builtin:all', 'builtin:ssh-enabled', 'g-lab', 'g-static']);
    const away = { ...device, lastSeenAt: minutesAgo(8 * 24 * 60) };
    expect(computeMemberships(away, groups, NOW)).toContain('builtin:offline-7d');
    expect(computeMemberships(bare, groups, NOW)).toEqual(['builtin:all', 'builtin:never-seen']);
  });
});
