/**
 * Simulated identities for the demo and for tests that run many agents in one process: each
 * has its own hostname, addresses, packages and a sandbox root (`FLEETSYNC_ROOT`), and reports
 * an inventory that changes when installs under its root change. Work still runs for real
 * (`sh`), inside the sandbox.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Inventory } from '../fleet/sharedFleet.js';

export interface SimulatedIdentity {
  hostname: string;
  index: number;
  tags?: string[];
}

/** Inventory of simulated host number `index`; packages "installed" under `<root>/packages/<name>-<version>` show up too. */
export async function simulatedInventory(identity: SimulatedIdentity, root: string, bootedAt: number): Promise<Inventory> {
  const n = identity.index;
  const installed = await readdir(path.join(root, 'packages')).catch(() => [] as string[]);
  const extra = installed
    .map((f) => /^(.+)-(\d[^-]*)$/.exec(f))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ name: m[1]!, version: m[2]! }));
  return {
    os: {
      name: 'Ubuntu',
      version: n % 3 === 0 ? '22.04' : '24.04',
      id: 'ubuntu',
      kernel: n % 3 === 0 ? '5.15.0-91-generic' : '6.8.0-31-generic',
      arch: 'x64',
    },
    hostname: identity.hostname,
    cpu: {
      model: n % 2 ? 'Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz' : 'AMD Ryzen 5 5600G with Radeon Graphics',
      cores: n % 2 ? 12 : 6,
    },
    memory: { totalBytes: (8 + (n % 3) * 8) * 2 ** 30, freeBytes: 4 * 2 ** 30 },
    disks: [{ mount: '/', fsType: 'ext4', totalBytes: 256e9, freeBytes: 120e9 - n * 1e9 }],
    network: [
      {
        name: 'eth0',
        mac: `02:00:00:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`,
        ipv4: [`10.20.${Math.floor(n / 200)}.${(n % 200) + 10}`],
        ipv6: [],
      },
    ],
    uptimeSeconds: Math.floor((Date.now() - bootedAt) / 1000),
    packageManager: 'dpkg',
    packages: [
      { name: 'bash', version: '5.2.21-2ubuntu4' },
      { name: 'openssl', version: n % 4 === 0 ? '3.0.2-0ubuntu1.15' : '3.0.13-0ubuntu3.1' },
      { name: 'cura', version: '5.6.0' },
      ...extra,
    ],
    adminUsers: n % 5 === 0 ? ['root', 'itadmin', 'teacher'] : ['root', 'itadmin'],
    sshEnabled: n % 2 === 0,
  };
}
