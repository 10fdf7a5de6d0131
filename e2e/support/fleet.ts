/**
 * Seed data for the endpoint-fleet screens, written the way a bridge and another client do:
 * enrollment secrets, agents enrolled through the bridge protocol, inventory and heartbeats,
 * a package in the catalog. `SimulatedBridge` leases work and reports results for its agents.
 */
import type { TestEnv, TestUser } from '../../sync-server/test/support/testServer.js';
import { call } from '../../sync-server/test/support/http.js';
import { packageDoc } from '../../sync-server/test/fleet/fleetDocs.js';
import { diffInventory, type Inventory } from '../../shared/src/fleet/index.js';

export interface FleetSeed {
  orgId: string;
  admin: TestUser;
  bridge: SimulatedBridge;
  /** deviceId by hostname. */
  devices: Record<string, string>;
  packageId: string;
}

export const inventoryOf = (hostname: string, os: Partial<Inventory['os']> = {}, over: Partial<Inventory> = {}): Inventory => ({
  os: { name: 'Debian GNU/Linux', version: '12', kernel: '6.1.0-18-amd64', arch: 'x64', ...os },
  hostname,
  cpu: { model: 'Intel(R) Core(TM) i5-8500', cores: 6 },
  memory: { totalBytes: 16e9, freeBytes: 9e9 },
  disks: [{ mount: '/', fsType: 'ext4', totalBytes: 256e9, freeBytes: 120e9 }],
  network: [{ name: 'eth0', mac: '52:54:00:12:34:56', ipv4: ['10.20.0.11'], ipv6: [] }],
  uptimeSeconds: 3600,
  packageManager: 'dpkg',
  packages: [
    { name: 'bash', version: '5.2' },
    { name: 'firefox-esr', version: '115.9' },
  ],
  adminUsers: ['root', 'it'],
  sshEnabled: false,
  ...over,
});

export class SimulatedBridge {
  constructor(
    private readonly url: string,
    readonly token: string,
  ) {}

  private async post<T>(path: string, body: unknown): Promise<T> {
    const r = await call<T>(this.url, path, { body, token: this.token });
    if (r.status >= 300) throw new Error(`${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async enroll(secret: string, hostname: string): Promise<string> {
    return (await this.post<{ deviceId: string }>('/api/bridge/fleet/enroll', { secret, hostname, agentVersion: '0.4.1' }))
      .deviceId;
  }
  async inventory(deviceId: string, before: Inventory | null, next: Inventory): Promise<void> {
    await this.post('/api/bridge/fleet/inventory', { deviceId, delta: diffInventory(before, next) });
  }
  async heartbeat(deviceIds: string[]): Promise<void> {
    const at = new Date().toISOString();
    await this.post('/api/bridge/fleet/heartbeats', {
      beats: deviceIds.map((deviceId) => ({ deviceId, at, agentVersion: '0.4.1' })),
    });
  }
  /** Leases the device's next work and reports it finished; false when it had none. */
  async runOnce(deviceId: string, status: 'succeeded' | 'failed' = 'succeeded'): Promise<boolean> {
    const { work } = await this.post<{ work: { executionId: string; attempt: number } | null }>('/api/bridge/fleet/lease', {
      deviceId,
      graceSeconds: 5,
    });
    if (!work) return false;
    const now = new Date().toISOString();
    await this.post('/api/bridge/fleet/events', {
      graceSeconds: 5,
      events: [
        {
          type: 'result',
          deviceId,
          result: {
            executionId: work.executionId,
            attempt: work.attempt,
            status,
            outcome: status === 'succeeded' ? 'ok' : 'exit_code',
            exitCode: status === 'succeeded' ? 0 : 1,
            stdout: 'installed',
            stderr: '',
            startedAt: now,
            finishedAt: now,
          },
        },
      ],
    });
    return true;
  }
}

/** Three school PCs (two lab PCs on Debian, one office PC on Ubuntu) and the package "Cura". */
export async function seedFleet(env: TestEnv, email = 'it.admin@school.test'): Promise<FleetSeed> {
  const orgId = await env.org('North School');
  const admin = await env.user(email, { [orgId]: 'admin' });
  const tok = await call<{ token: string }>(env.url, '/api/tokens', {
    body: { name: 'site-north', scopes: ['bridge'], expiresInDays: 30, orgId, bridgeId: 'site-north' },
    token: admin.token,
  });
  if (tok.status !== 201) throw new Error(`POST /api/tokens answered ${tok.status}`);
  const bridge = new SimulatedBridge(env.url, tok.body.token);
  const hosts: [string, Partial<Inventory['os']>][] = [
    ['lab-pc-01', {}],
    ['lab-pc-02', {}],
    ['office-pc-01', { name: 'Ubuntu', version: '24.04' }],
  ];
  const devices: Record<string, string> = {};
  for (const [hostname, os] of hosts) {
    const s = await call<{ secret: string }>(env.url, '/api/fleet/enrollment-secrets', { body: { orgId }, token: admin.token });
    if (s.status !== 201) throw new Error(`enrollment secret answered ${s.status}`);
    const id = await bridge.enroll(s.body.secret, hostname);
    const first = inventoryOf(hostname, os);
    await bridge.inventory(id, null, first);
    // A second report with a change, so the device has a history entry to show.
    await bridge.inventory(id, first, inventoryOf(hostname, os, { sshEnabled: true }));
    devices[hostname] = id;
  }
  await bridge.heartbeat(Object.values(devices));
  const pkg = await call<{ id: string }>(env.url, '/api/catalog', {
    body: packageDoc(orgId, { name: 'Cura' }),
    token: admin.token,
  });
  if (pkg.status !== 201) throw new Error(`POST /api/catalog answered ${pkg.status}`);
  return { orgId, admin, bridge, devices, packageId: pkg.body.id };
}
