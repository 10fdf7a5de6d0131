/**
 * The agent protocol end to end, against the bridge's embedded aedes broker and against
 * Mosquitto (127.0.0.1:1883, or MQTT_URL; unreachable = a clear failure, not a skip):
 * enrollment with a one-time secret, inventory and its history, a job run and its result, and
 * forged agents. On the embedded broker the per-agent ACL refuses forged topics; Mosquitto
 * here runs without an ACL (one cannot be installed at runtime), so there the test shows that
 * the agent only ever uses its own topics and that the bridge refuses messages whose agent id
 * does not match the topic or whose signature does not verify (docs/adr/010).
 */
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@fleetsync/shared';
import { EnrollmentRefused, type FleetAgent } from '../../src/agent/agent.js';
import { credentialDigest, signMessage } from '../../src/fleet/messageAuth.js';
import { agentTopics } from '../../src/fleet/sharedFleet.js';
import { expectNothingLeft, openResources } from '../support/leaks.js';
import { brokerReachable, MOSQUITTO_URL, startHarness, waitFor, type Harness } from './fleetHarness.js';

interface ExecView {
  id: string;
  deviceId: string;
  state: string;
  exitCode: number | null;
  outcome: string | null;
}

const baseline = openResources();

/** Connects and expects a refusal; resolves with the broker's reason. */
function refusedConnect(url: string, options: mqtt.IClientOptions): Promise<string> {
  const client = mqtt.connect(url, { ...options, reconnectPeriod: 0 });
  return new Promise((resolve, reject) => {
    client.once('connect', () => {
      client.end(true);
      reject(new Error('the broker accepted a forged connection'));
    });
    client.once('error', (err) => {
      client.end(true);
      resolve(err.message);
    });
  });
}
afterAll(async () => {
  await expectNothingLeft(baseline);
});

function protocolSuite(label: string, broker: 'embedded' | 'mosquitto') {
  describe(`agent protocol over ${label}`, () => {
    let h: Harness;
    let real: FleetAgent;
    let sim: FleetAgent;
    let spy: mqtt.MqttClient | undefined;
    const seen: { topic: string; payload: Record<string, unknown> }[] = [];

    beforeAll(async () => {
      if (broker === 'mosquitto') {
        await brokerReachable();
        spy = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `spy-${newId()}`, reconnectPeriod: 0 });
        spy.on('message', (topic, payload) => {
          try {
            seen.push({ topic, payload: JSON.parse(payload.toString()) as Record<string, unknown> });
          } catch {
            // not ours
          }
        });
        await spy.subscribeAsync('fleetsync/v1/#', { qos: 1 });
      }
      h = await startHarness({ broker: broker === 'mosquitto' ? { url: MOSQUITTO_URL } : { embedded: {} } });
    });
    afterAll(async () => {
      await spy?.endAsync(true);
      await h?.stop();
    });

    it('enrolls once with a one-time secret and gets its own credential; a reused secret is refused', async () => {
      const secret = await h.newSecret('lab pc');
      // The real host: inventory from /etc/os-release, /proc, dpkg or rpm.
      real = await h.agent({ name: 'real-host', enrollmentSecret: secret });
      expect(real.agentId).toMatch(/^[0-9a-f-]{36}$/);
      expect(real.state.data.credential).toMatch(/^fsa_/);
      const again = h.agent({ name: 'copycat', enrollmentSecret: secret });
      await expect(again).rejects.toBeInstanceOf(EnrollmentRefused);
      await expect(again).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });

      // At rest only digests; the credential never reaches people's replicas.
      const creds = await h.env.db.query('SELECT credential_hash FROM agent_credentials WHERE device_id = $1', [real.agentId]);
      expect(creds.rows[0].credential_hash).toBe(credentialDigest(real.state.data.credential!));
      const secrets = await h.env.db.query(
        'SELECT secret_hash, used_by_device FROM agent_enrollment_secrets WHERE used_at IS NOT NULL',
      );
      expect(JSON.stringify(secrets.rows)).not.toContain(secret);
      const pulled = await h.admin.json('/api/sync/devices/pull', { body: { limit: 100 } });
      expect(JSON.stringify(pulled.body)).not.toContain(real.state.data.credential!);
      expect(pulled.body).toMatchObject({ documents: [expect.objectContaining({ id: real.agentId, kind: 'agent' })] });

      sim = await h.agent({ name: 'sim-7', identity: { hostname: 'lab2-pc07', index: 7 } });
    });

    it('reports inventory (the real host, then deltas of a simulated one) with a history timeline', async () => {
      const device = await waitFor(async () => {
        const d = await h.get<
          Record<string, unknown> & { inventory?: Record<string, unknown> & { os: { kernel: string }; packages: unknown[] } }
        >(`/api/devices/${real.agentId}`);
        return d.inventory ? d : null;
      }, 'the real host inventory');
      expect(device.inventory).toMatchObject({ hostname: os.hostname(), os: { kernel: os.release() } });
      expect(device.inventory!.packages.length).toBeGreaterThan(0);
      expect(device.groupIds).toContain('builtin:all');

      await waitFor(
        async () => (await h.get<{ inventory?: unknown }>(`/api/devices/${sim.agentId}`)).inventory,
        'the simulated inventory',
      );
      await mkdir(path.join(sim.root, 'packages'), { recursive: true });
      await writeFile(path.join(sim.root, 'packages', 'prusaslicer-2.8.1'), '');
      await sim.sendInventory();
      const history = await waitFor(async () => {
        const r = await h.get<{ entries: { changes: { path: string; added?: { name: string }[] }[] }[] }>(
          `/api/devices/${sim.agentId}/history`,
        );
        return r.entries.length >= 2 ? r : null;
      }, 'two history entries');
      expect(history.entries[0]!.changes).toEqual([
        expect.objectContaining({ path: 'packages', added: [{ name: 'prusaslicer', version: '2.8.1' }] }),
      ]);
      expect(history.entries[1]!.changes.map((c) => c.path)).toContain('os.kernel');
    });

    it('runs a job and reports its result (exit code, bounded stdout and stderr) keyed by execution id', async () => {
      const task = await h.create('tasks', {
        kind: 'task',
        action: 'script',
        name: 'hello',
        script: { shell: 'sh', body: 'echo "hello from $FLEETSYNC_DEVICE_ID"; echo oops >&2; exit 3' },
        targetDeviceIds: [real.agentId, sim.agentId],
        targetGroupIds: [],
        timeoutSeconds: 20,
        status: 'active',
      });
      const status = await waitFor(async () => {
        const s = await h.get<{ counts: Record<string, number>; executions: ExecView[] }>(
          `/api/fleet/tasks/${String(task.id)}/status`,
        );
        return s.counts.failed === 2 ? s : null;
      }, 'both executions to finish');
      for (const e of status.executions) expect(e).toMatchObject({ state: 'failed', exitCode: 3, outcome: 'exit_code' });
      const exec = await h.get<{ stdout: string; stderr: string; state: string }>(`/api/tasks/${status.executions[0]!.id}`);
      expect(exec.stdout).toContain(`hello from ${status.executions[0]!.deviceId}`);
      expect(exec.stderr).toContain('oops');
    });

    if (broker === 'embedded') {
      it('the broker ACL refuses a forged agent: other agents’ topics, a wrong credential, a stolen client id', async () => {
        const acl = h.service.stats.acl!;
        const url = h.service.brokerUrl;
        const mine = {
          clientId: `agent-${sim.agentId}`,
          username: sim.agentId,
          password: sim.state.data.credential,
          reconnectPeriod: 0,
        };
        // Wrong credential for the real agent, and the real agent's client id under another identity.
        await expect(
          refusedConnect(url, { clientId: `agent-${real.agentId}`, username: real.agentId, password: 'fsa_guess' }),
        ).resolves.toMatch(/Bad username or password/i);
        await expect(refusedConnect(url, { ...mine, clientId: `agent-${real.agentId}` })).resolves.toMatch(
          /Bad username or password/i,
        );
        // A second connection with sim's own credential (the "forged agent") may not subscribe to the real agent's topics...
        sim.goOffline();
        const forged = await mqtt.connectAsync(url, mine);
        // (SUBACK 0x80 = refused; mqtt.js turns it into an error carrying the code.)
        await expect(forged.subscribeAsync(agentTopics(real.agentId).down, { qos: 1 })).rejects.toMatchObject({
          packet: { granted: [128] },
        });
        await expect(forged.subscribeAsync('fleetsync/v1/#', { qos: 1 })).rejects.toMatchObject({ packet: { granted: [128] } });
        expect((await forged.subscribeAsync(agentTopics(sim.agentId).down, { qos: 1 })).map((g) => g.qos)).toEqual([1]);
        // ...nor publish on them: the broker drops the connection and the bridge never sees it.
        const closed = new Promise<void>((resolve) => forged.once('close', () => resolve()));
        const before = h.service.stats.rejected.agent_mismatch;
        forged.publish(agentTopics(real.agentId).up, JSON.stringify({ agentId: real.agentId, type: 'heartbeat' }), { qos: 1 });
        await closed;
        forged.end(true);
        expect(acl.refusedPublishes).toEqual([{ clientId: `agent-${sim.agentId}`, topic: agentTopics(real.agentId).up }]);
        expect(acl.refusedSubscribes.map((s) => s.topic)).toEqual([agentTopics(real.agentId).down, 'fleetsync/v1/#']);
        expect(acl.refusedConnects).toBeGreaterThanOrEqual(2);
        expect(h.service.stats.rejected.agent_mismatch).toBe(before);
        sim.goOnline();
        await once(sim, 'connected');
      });
    } else {
      it('on Mosquitto the agent only uses its own topics, and the bridge refuses forged and unsigned messages', async () => {
        await waitFor(() => seen.length > 10, 'traffic on the broker');
        for (const m of seen.filter((x) => x.topic.includes('/agents/'))) {
          const owner = m.topic.split('/')[3];
          if (m.topic.endsWith('/up')) expect(m.payload.agentId).toBe(owner);
          expect([real.agentId, sim.agentId]).toContain(owner);
        }
        const raw = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `forger-${newId()}`, reconnectPeriod: 0 });
        const topic = agentTopics(real.agentId).up;
        const stats = h.service.stats.rejected;
        const before = { ...stats };
        // sim signs correctly with its own key but claims to be... itself, on the real agent's topic.
        const envelope = { v: 1, msgId: 'forged-1', sentAt: new Date().toISOString(), type: 'lease' };
        await raw.publishAsync(
          topic,
          JSON.stringify(signMessage(topic, { ...envelope, agentId: sim.agentId }, credentialDigest(sim.state.data.credential!))),
          { qos: 1 },
        );
        // ...the real agent's id, without its key.
        await raw.publishAsync(
          topic,
          JSON.stringify(
            signMessage(topic, { ...envelope, msgId: 'forged-2', agentId: real.agentId }, credentialDigest('fsa_guess')),
          ),
          { qos: 1 },
        );
        // A forged lease_reply to the real agent (a script to run): ignored by the agent.
        const down = agentTopics(real.agentId).down;
        const forgedWork = {
          executionId: 'x',
          attempt: 1,
          action: 'script',
          timeoutSeconds: 5,
          script: { shell: 'sh', body: 'touch /tmp/pwned' },
        };
        const beforeDown = real.forgedDownMessages;
        await raw.publishAsync(
          down,
          JSON.stringify({
            v: 1,
            msgId: 'forged-3',
            sentAt: new Date().toISOString(),
            type: 'lease_reply',
            replyTo: 'x',
            work: forgedWork,
            sig: 'AAAA',
          }),
          { qos: 1 },
        );
        await waitFor(
          () =>
            stats.agent_mismatch > before.agent_mismatch &&
            stats.bad_signature > before.bad_signature &&
            real.forgedDownMessages > beforeDown,
          'the refusals',
        );
        expect(h.service.stats.rejections.filter((r) => r.topic === topic).map((r) => r.reason)).toEqual([
          'agent_mismatch',
          'bad_signature',
        ]);
        await raw.endAsync(true);
      });
    }
  });
}

protocolSuite('the embedded aedes broker (per-agent ACL)', 'embedded');
protocolSuite('Mosquitto (external broker, MQTT_URL)', 'mosquitto');

describe('Mosquitto', () => {
  it('is reachable (a missing broker fails here, by name)', async () => {
    await expect(brokerReachable()).resolves.toBeUndefined();
  });
});
