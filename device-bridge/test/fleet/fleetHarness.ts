/**
 * One real sync server (throwaway Postgres), one org with an admin, a bridge token, the
 * bridge's fleet service (embedded aedes or an external broker) and helpers to start agents,
 * write documents and wait for outcomes. Every test file gets its own.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTestEnv, type TestEnv, type TestUser } from '../../../sync-server/test/support/testServer.js';
import { startAgent, type AgentOptions, type FleetAgent } from '../../src/agent/agent.js';
import { startFleetService, type FleetService, type FleetServiceOptions } from '../../src/fleet/fleetService.js';

export const MOSQUITTO_URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/** Resolves when the external broker accepts TCP; otherwise fails by name (a missing broker is a failure, never a skip). */
export function brokerReachable(url = MOSQUITTO_URL): Promise<void> {
  const u = new URL(url);
  const target = { host: u.hostname, port: Number(u.port || 1883) };
  return new Promise((resolve, reject) => {
    const socket = net.connect(target);
    const fail = (reason: string) => {
      socket.destroy();
      reject(
        new Error(
          `Mosquitto is not reachable at ${target.host}:${target.port} (${reason}). These tests need a real MQTT broker there (CI has one); ` +
            'start it with `mosquitto -d -c /etc/mosquitto/mosquitto.conf` or point MQTT_URL at one.',
        ),
      );
    };
    socket.setTimeout(2000, () => fail('timeout'));
    socket.once('error', (e) => fail(e.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}

export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as T;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

export interface Harness {
  env: TestEnv;
  orgId: string;
  admin: TestUser;
  bridgeToken: string;
  service: FleetService;
  dir: string;
  agents: FleetAgent[];
  newSecret(label?: string): Promise<string>;
  agent(options: Partial<AgentOptions> & { name: string }): Promise<FleetAgent>;
  /** Writes a document through the REST collections API (the same rules as sync). */
  create(kind: string, doc: Record<string, unknown>): Promise<Record<string, unknown>>;
  get<T = Record<string, unknown>>(urlPath: string): Promise<T>;
  post<T = Record<string, unknown>>(urlPath: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Uploads bytes to the depot; returns the artifact reference a package version uses. */
  upload(bytes: Buffer, fileName: string): Promise<{ sha256: string; size: number; fileName: string }>;
  stop(): Promise<void>;
}

export async function startHarness(
  opts: { broker?: FleetServiceOptions['broker']; service?: Partial<FleetServiceOptions> } = {},
): Promise<Harness> {
  const env = await startTestEnv();
  const orgId = await env.org('Fleet School');
  const admin = await env.user(`admin-${Date.now()}@fleet.test`, { [orgId]: 'admin' });
  const bridgeId = `site-${Math.random().toString(36).slice(2, 8)}`;
  const tok = await admin.json<{ token: string }>('/api/tokens', {
    body: { name: 'site bridge', scopes: ['bridge'], expiresInDays: 30, orgId, bridgeId },
  });
  if (tok.status !== 201) throw new Error(`could not create a bridge token: ${JSON.stringify(tok.body)}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-fleet-'));
  const service = await startFleetService({
    broker: opts.broker ?? { embedded: {} },
    serverUrl: env.url,
    token: tok.body.token,
    bridgeId,
    cacheDir: path.join(dir, 'bridge'),
    heartbeatSeconds: 2,
    leaseGraceSeconds: 1,
    pollMs: 200,
    ...opts.service,
  });
  const agents: FleetAgent[] = [];
  const h: Harness = {
    env,
    orgId,
    admin,
    bridgeToken: tok.body.token,
    service,
    dir,
    agents,
    async newSecret(label = 'test') {
      const r = await admin.json<{ secret: string }>('/api/fleet/enrollment-secrets', {
        body: { orgId, label, expiresInHours: 1 },
      });
      if (r.status !== 201) throw new Error(`could not create an enrollment secret: ${JSON.stringify(r.body)}`);
      return r.body.secret;
    },
    async agent(o) {
      const a = await startAgent({
        brokerUrl: service.brokerUrl,
        stateDir: path.join(dir, 'agents', o.name),
        enrollmentSecret: o.enrollmentSecret ?? (await h.newSecret(o.name)),
        pollSeconds: 10,
        resendSeconds: 5,
        ...o,
      });
      agents.push(a);
      return a;
    },
    async create(kind, doc) {
      const r = await admin.json<Record<string, unknown>>(`/api/${kind}`, { body: { orgId, ...doc } });
      if (r.status !== 201) throw new Error(`could not create ${kind}: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async get(urlPath) {
      const r = await admin.json(urlPath);
      if (r.status !== 200) throw new Error(`GET ${urlPath}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as never;
    },
    async post(urlPath, body) {
      return admin.json(urlPath, { method: 'POST', body: body ?? {} });
    },
    async upload(bytes, fileName) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const res = await fetch(`${env.url}/api/fleet/depot/${sha256}?orgId=${orgId}&fileName=${encodeURIComponent(fileName)}`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${admin.token}`,
          'content-type': 'application/octet-stream',
          'x-fleetsync-protocol': '1',
        },
        body: new Uint8Array(bytes),
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
      return { sha256, size: bytes.length, fileName };
    },
    async stop() {
      for (const a of agents) await a.stop().catch(() => undefined);
      await service.stop();
      await env.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}
