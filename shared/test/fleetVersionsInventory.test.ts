/** Version ordering (Debian rules) and inventory deltas / history changes. */
import { describe, expect, it } from 'vitest';
import {
  applyInventoryDelta,
  compareVersions,
  diffInventory,
  inventoryChanges,
  inventoryHash,
  type Inventory,
} from '../src/fleet/index.js';

describe('compareVersions (deb-version ordering)', () => {
  it.each([
    ['1.0', '1.0', 0],
    ['1.10', '1.9', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0', '1.0+b1', -1],
    ['1:0.9', '2.0', 1],
    ['3.0.11-1~deb12u2', '3.0.11-1', -1],
    ['6.1.0-18-amd64', '6.1.0-9-amd64', 1],
    ['2.4a', '2.4', 1],
    ['01.2', '1.2', 0],
  ])('%s vs %s -> %d', (a, b, expected) => {
    expect(compareVersions(a as string, b as string)).toBe(expected);
    expect(compareVersions(b as string, a as string)).toBe(-(expected as number) || 0);
  });
});

const base: Inventory = {
  os: { name: 'Debian GNU/Linux', version: '12', kernel: '6.1.0-18-amd64', arch: 'x64' },
  hostname: 'pc1',
  cpu: { model: 'x', cores: 4 },
  memory: { totalBytes: 8e9, freeBytes: 4e9 },
  disks: [{ mount: '/', fsType: 'ext4', totalBytes: 100e9, freeBytes: 50e9 }],
  network: [{ name: 'eth0', mac: 'aa', ipv4: ['10.0.0.2'], ipv6: [] }],
  uptimeSeconds: 10,
  packageManager: 'dpkg',
  packages: [
    { name: 'bash', version: '5.2.15-2' },
    { name: 'curl', version: '7.88.1-10' },
  ],
  adminUsers: ['root'],
  sshEnabled: false,
};

describe('inventory deltas', () => {
  it('a full report, then only what changed; applying reproduces the agent state', () => {
    const full = diffInventory(null, base);
    expect(full.baseHash).toBeNull();
    expect(applyInventoryDelta(null, full)).toEqual(
      applyInventoryDelta(null, diffInventory(null, { ...base, packages: [...base.packages].reverse() })),
    );
    const next: Inventory = {
      ...base,
      uptimeSeconds: 999,
      os: { ...base.os, kernel: '6.1.0-20-amd64' },
      sshEnabled: true,
      packages: [
        { name: 'bash', version: '5.2.15-3' },
        { name: 'vim', version: '9.0' },
      ],
    };
    const delta = diffInventory(base, next);
    expect(Object.keys(delta.set).sort()).toEqual(['os', 'sshEnabled', 'uptimeSeconds']);
    expect(delta.packages).toEqual({
      added: [
        { name: 'bash', version: '5.2.15-3' },
        { name: 'vim', version: '9.0' },
      ],
      removed: ['curl'],
    });
    const applied = applyInventoryDelta(base, delta)!;
    expect(inventoryHash(applied)).toBe(inventoryHash(next));
    expect(diffInventory(next, next).set).toEqual({});
  });

  it('a delta against the wrong base does not apply (the agent resends everything)', () => {
    const delta = diffInventory(base, { ...base, hostname: 'pc2' });
    expect(applyInventoryDelta({ ...base, hostname: 'other' }, delta)).toBeNull();
    expect(applyInventoryDelta(null, delta)).toBeNull();
  });

  it('history keeps meaningful changes, not uptime or free space', () => {
    const next: Inventory = {
      ...base,
      uptimeSeconds: 5000,
      memory: { ...base.memory, freeBytes: 1 },
      disks: [{ ...base.disks[0]!, freeBytes: 1 }],
      network: [{ name: 'eth0', mac: 'aa', ipv4: ['10.0.0.9'], ipv6: [] }],
      adminUsers: ['root', 'mallory'],
      packages: [
        { name: 'bash', version: '5.2.15-3' },
        { name: 'nmap', version: '7.93' },
      ],
    };
    const changes = inventoryChanges(base, next);
    expect(changes).toEqual([
      { path: 'adminUsers', from: ['root'], to: ['root', 'mallory'] },
      { path: 'network[eth0].ipv4', from: ['10.0.0.2'], to: ['10.0.0.9'] },
      {
        path: 'packages',
        added: [{ name: 'nmap', version: '7.93' }],
        removed: [{ name: 'curl', version: '7.88.1-10' }],
        changed: [{ name: 'bash', from: '5.2.15-2', to: '5.2.15-3' }],
      },
    ]);
    expect(inventoryChanges(null, base).find((c) => c.path === 'packages')).toMatchObject({ added: [], total: 2 });
  });
});
