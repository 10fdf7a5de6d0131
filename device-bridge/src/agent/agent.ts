/**
 * The reference endpoint agent (Linux, Node). It enrolls once with a one-time secret and keeps
 * its own credential; then it connects to the bridge's broker under its own identity,
 * heartbeats, reports inventory as deltas, and leases work when nudged (or on its own poll):
 * MQTT only nudges, the work is leased and the result reported under the execution id, sent
 * again until the bridge acknowledges it (at-least-once). A lease delivered twice is answered
 * with the stored result, never run twice. Runs against the real host, or as a simulated
 * identity (own hostname, inventory and sandbox root) for the demo and tests.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { resultKey } from './agentState.js';
import { AGENT_VERSION, now, type AgentOptions } from './agentCommon.js';
import { AgentConnection } from './agentConnection.js';
import { enrollAgent } from './enrollment.js';
import { collectInventory } from './inventoryCollector.js';
import { simulatedInventory } from './simulatedIdentity.js';
import { runWork } from './workRunner.js';
import {
  agentTopics,
  diffInventory,
  inventoryHash,
  type ExecutionResult,
  type Inventory,
  type LeasedWork,
} from '../fleet/sharedFleet.js';

export { AGENT_VERSION, EnrollmentRefused, type AgentOptions } from './agentCommon.js';

export class FleetAgent extends AgentConnection {
  private stopped = false;
  private busy = false;
  private working: Promise<void> = Promise.resolve();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private artifactBaseUrl = '';
  private pendingInventory: Inventory | null = null;
  private bootedAt = Date.now();
  readonly root: string;

  constructor(options: AgentOptions) {
    super(options);
    this.root = options.identity ? path.join(options.stateDir, 'root') : '';
  }

  async start(): Promise<void> {
    await mkdir(this.options.stateDir, { recursive: true, mode: 0o700 });
    if (this.root) await mkdir(this.root, { recursive: true });
    await this.state.load();
    const s = this.state.data;
    if (s.inflight) {
      // The agent stopped while this ran: report it failed rather than silently running it again.
      const r = s.inflight;
      const result: ExecutionResult = {
        executionId: r.executionId,
        attempt: r.attempt,
        status: 'failed',
        outcome: 'error',
        exitCode: null,
        stdout: '',
        stderr: '',
        message: 'the agent restarted while this was running',
        startedAt: r.startedAt,
        finishedAt: now(),
      };
      s.finished[resultKey(r.executionId, r.attempt)] = result;
      s.outbox.push(result);
      delete s.inflight;
      await this.state.save();
    }
    if (!s.credential) await this.enroll();
    this.connect();
    this.timers.push(setInterval(() => void this.maybeLease(), (this.options.pollSeconds ?? 60) * 1000));
    this.timers.push(setInterval(() => void this.sendInventory(), (this.options.inventorySeconds ?? 3600) * 1000));
    this.timers.push(setInterval(() => void this.flushOutbox(), (this.options.resendSeconds ?? 30) * 1000));
  }

  // --- enrollment ---------------------------------------------------------------------------
  private async enroll(): Promise<void> {
    await enrollAgent(this.options, async (enrolled) => {
      Object.assign(this.state.data, enrolled);
      await this.state.save();
      this.log.info('enrolled', { agentId: enrolled.agentId });
      this.emit('enrolled', enrolled.agentId);
    });
  }

  // --- connection ---------------------------------------------------------------------------
  private connect(): void {
    const topics = agentTopics(this.agentId);
    const client = mqtt.connect(this.options.brokerUrl, {
      clientId: `agent-${this.agentId}`,
      username: this.agentId,
      password: this.state.data.credential,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    client.on('connect', () => {
      void (async () => {
        await client.subscribeAsync(topics.down, { qos: 1 });
        await this.publish({
          type: 'hello',
          agentVersion: AGENT_VERSION,
          inventoryHash: this.state.data.ackedInventory ? inventoryHash(this.state.data.ackedInventory) : null,
        });
        this.emit('connected');
        await this.flushOutbox();
        // Inventory waits for the server's answer; work must not wait behind it.
        void this.sendInventory().catch(() => undefined);
        await this.maybeLease();
      })().catch((err: unknown) => this.log.warn('after connecting', { error: (err as Error).message }));
    });
    client.on('message', (topic, payload) => this.onDown(topic, payload));
    // A connection that dropped will not bring the answers it owed.
    client.on('close', () => this.abandonRequests());
    client.on('error', (err) => this.log.warn('broker connection', { error: err.message }));
    this.client = client;
  }

  private onDown(topic: string, payload: Buffer): void {
    const msg = this.parseDown(topic, payload);
    if (!msg) return;
    switch (msg.type) {
      case 'welcome':
        this.artifactBaseUrl = msg.artifactBaseUrl;
        if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
        this.heartbeatTimer = setInterval(
          () => void this.publish({ type: 'heartbeat', uptimeSeconds: this.uptime() }),
          msg.heartbeatSeconds * 1000,
        );
        return;
      case 'nudge':
        void this.maybeLease();
        return;
      case 'result_ack': {
        const before = this.state.data.outbox.length;
        this.state.data.outbox = this.state.data.outbox.filter(
          (r) => !(r.executionId === msg.executionId && r.attempt === msg.attempt),
        );
        if (this.state.data.outbox.length !== before) void this.state.save();
        this.emit('ack', msg);
        return;
      }
      default:
        return;
    }
  }

  private uptime(): number {
    return this.options.identity ? Math.floor((Date.now() - this.bootedAt) / 1000) : Math.floor(os.uptime());
  }

  // --- inventory ----------------------------------------------------------------------------
  async collect(): Promise<Inventory> {
    return this.options.identity ? simulatedInventory(this.options.identity, this.root, this.bootedAt) : collectInventory();
  }

  /** Sends what changed since the inventory the server acknowledged (everything, the first time or when asked). */
  async sendInventory(force = false): Promise<void> {
    if (!this.connected) return;
    const inv = await this.collect();
    const acked = this.state.data.ackedInventory;
    if (!force && acked && inventoryHash(acked) === inventoryHash(inv)) return;
    const delta = diffInventory(force ? null : acked, inv);
    this.pendingInventory = inv;
    const ack = await this.request({ type: 'inventory', delta });
    if (!ack || ack.type !== 'inventory_ack') return;
    if (ack.needFull) {
      if (!force) await this.sendInventory(true);
      return;
    }
    this.state.data.ackedInventory = this.pendingInventory;
    await this.state.save();
    this.emit('inventory', ack.hash);
  }

  // --- work ---------------------------------------------------------------------------------
  async flushOutbox(): Promise<void> {
    for (const r of [...this.state.data.outbox]) if (!(await this.publish({ type: 'result', result: r }))) return;
  }

  /** Sends every stored result again, acknowledged or not (tests: a duplicate must be ignored). */
  async republishFinished(): Promise<void> {
    for (const r of Object.values(this.state.data.finished)) await this.publish({ type: 'result', result: r });
  }

  /** Leases and runs work until none is left; one execution at a time. */
  maybeLease(): Promise<void> {
    if (this.busy || !this.connected || this.stopped || this.state.data.outbox.length > 0) return this.working;
    this.busy = true;
    this.working = (async () => {
      try {
        for (let i = 0; i < 100 && this.connected && !this.stopped && this.state.data.outbox.length === 0; i++) {
          const reply = await this.request({ type: 'lease' });
          if (!reply || reply.type !== 'lease_reply' || !reply.work) return;
          await this.execute(reply.work);
          // Next lease only once the result is acknowledged (so the bridge never sees them out of order).
          for (let w = 0; w < 100 && this.state.data.outbox.length > 0 && this.connected; w++)
            await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        this.busy = false;
      }
    })().catch((err: unknown) => this.log.warn('running work', { error: (err as Error).message }));
    return this.working;
  }

  private async execute(work: LeasedWork): Promise<void> {
    const key = resultKey(work.executionId, work.attempt);
    const done = this.state.data.finished[key];
    if (done) {
      // Delivered again (at-least-once): answer with the stored result, do not run it twice.
      if (!this.state.data.outbox.some((r) => resultKey(r.executionId, r.attempt) === key)) this.state.data.outbox.push(done);
      await this.state.save();
      await this.flushOutbox();
      return;
    }
    this.state.data.inflight = { executionId: work.executionId, attempt: work.attempt, startedAt: now() };
    await this.state.save();
    await this.publish({ type: 'running', executionId: work.executionId, attempt: work.attempt });
    this.emit('running', work);
    const result = await runWork(work, {
      deviceId: this.agentId,
      root: this.root,
      tmpDir: path.join(this.options.stateDir, 'tmp'),
      env: {},
      canReboot: !!this.options.allowReboot || !!this.options.identity,
      fetchArtifact: (sha) => this.fetchArtifact(sha),
    });
    this.state.data.finished[key] = result;
    this.state.data.outbox.push(result);
    delete this.state.data.inflight;
    await this.state.save();
    this.emit('result', result);
    await this.publish({ type: 'result', result });
    if (work.action === 'reboot' && result.status === 'succeeded') await this.reboot();
    if (work.action.startsWith('package_')) void this.sendInventory();
  }

  private async fetchArtifact(sha256: string): Promise<Buffer> {
    if (!this.artifactBaseUrl) throw new Error('no artifact source yet (the bridge has not welcomed this agent)');
    const res = await fetch(`${this.artifactBaseUrl}/artifacts/${sha256}`, {
      headers: { authorization: `Bearer ${this.agentId}:${this.state.data.credential}` },
      signal: AbortSignal.timeout(120_000),
    });
    if (!res.ok) throw new Error(`the bridge refused the artifact (${res.status})`);
    return Buffer.from(await res.arrayBuffer());
  }

  private async reboot(): Promise<void> {
    if (this.options.reboot) return this.options.reboot();
    if (this.options.identity) {
      // Simulated: drop off the network, "boot", come back.
      this.goOffline();
      await new Promise((r) => setTimeout(r, 300));
      this.bootedAt = Date.now();
      if (!this.stopped) this.goOnline();
      return;
    }
    const { spawn } = await import('node:child_process');
    spawn('systemctl', ['reboot'], { detached: true, stdio: 'ignore' }).unref();
  }

  // --- lifecycle ----------------------------------------------------------------------------
  /** Drops the connection (the device goes offline); work in progress carries on and its result waits. */
  goOffline(): void {
    this.offline = true;
    this.abandonRequests();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const client = this.client;
    this.client = undefined;
    client?.end(true);
  }

  goOnline(): void {
    if (!this.offline || this.stopped) return;
    this.offline = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.abandonRequests();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.working;
    const client = this.client;
    this.client = undefined;
    await client?.endAsync(true);
    await this.state.save();
  }
}

export async function startAgent(options: AgentOptions): Promise<FleetAgent> {
  const agent = new FleetAgent(options);
  await agent.start();
  return agent;
}
