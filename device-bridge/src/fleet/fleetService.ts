/**
 * The bridge's endpoint-fleet service: the agents' server on the LAN. It runs (or joins) the
 * agents' MQTT broker, enrolls agents through the sync server, authenticates every message,
 * relays heartbeats and inventory, hands out leased work and relays results keyed by
 * execution id. It keeps working when the site's internet is down: queued work and its
 * artifacts are prefetched, leases are handed out locally, and reports wait in a durable
 * outbox until the server is back (the server still decides: first final result wins).
 *
 * `startFleetService({ broker, serverUrl, token, ... })` is all the bridge runtime needs.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ArtifactCache } from './artifactCache.js';
import { EmbeddedAgentBroker, ExternalAgentBroker, type AclStats, type AgentChannel } from './agentBroker.js';
import { JsonFile } from './localStore.js';
import { credentialDigest, credentialMatches, newMsgId, sealTo, signMessage, verifyMessage } from './messageAuth.js';
import { FleetServerClient, ServerRefused, ServerUnreachable } from './serverClient.js';
import {
  AGENT_PROTOCOL_VERSION,
  agentTopics,
  agentUpSchema,
  enrollRequestSchema,
  enrollTopics,
  parseAgentTopic,
  type AgentDown,
  type AgentUp,
  type ExecutionResult,
  type InventoryDelta,
  type LeasedWork,
} from './sharedFleet.js';

export interface FleetLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
}
const silent: FleetLogger = { info: () => undefined, warn: () => undefined };

export interface FleetServiceOptions {
  /** The agents' broker: the embedded one (default, with the per-agent ACL) or an external broker such as Mosquitto (`MQTT_URL`). */
  broker?: { embedded: { host?: string; port?: number } } | { url: string };
  serverUrl: string;
  /** The bridge's API token (scope `bridge`, bound to one org and bridge id). */
  token: string;
  /** Names this bridge's MQTT client on an external broker. */
  bridgeId?: string;
  /** Where the bridge keeps its agent registry, work cache, outbox and artifacts. */
  cacheDir: string;
  /** The artifact server agents download from (HTTP); `publicHost` is the name agents reach it by. */
  artifacts?: { host?: string; port?: number; publicHost?: string };
  /** Told to agents in `welcome` (default 30). */
  heartbeatSeconds?: number;
  /** A lease lasts the work's timeout plus this (default 60). */
  leaseGraceSeconds?: number;
  /** How often queued work is prefetched and reports and heartbeats flushed (default 5 s). */
  pollMs?: number;
  registryRefreshMs?: number;
  log?: FleetLogger;
}

type QueuedEvent =
  | { type: 'running'; deviceId: string; executionId: string; attempt: number }
  | { type: 'result'; deviceId: string; result: ExecutionResult };

interface CachedItem {
  deviceId: string;
  notBefore?: string;
  work: LeasedWork;
}

interface WorkState {
  items: CachedItem[];
  /** Leases handed out locally while the server was unreachable: execution id -> agent, attempt. */
  localLeases: Record<string, { deviceId: string; attempt: number; at: string; done?: boolean }>;
}

export type RejectReason = 'malformed' | 'agent_mismatch' | 'unknown_agent' | 'bad_signature' | 'client_mismatch';

export interface FleetStats {
  /** Messages the bridge refused, by reason (forged, unknown or broken). */
  rejected: Record<RejectReason, number>;
  rejections: { topic: string; reason: RejectReason }[];
  enrolled: number;
  acl: AclStats | null;
}

export interface FleetService {
  readonly brokerUrl: string;
  readonly brokerKind: 'embedded' | 'external';
  readonly artifactBaseUrl: string;
  readonly server: FleetServerClient;
  readonly stats: FleetStats;
  /** Executions prefetched for offline use. */
  cachedWork(): { deviceId: string; executionId: string }[];
  outboxSize(): number;
  hasArtifact(sha256: string): boolean;
  /** One poll cycle now: flush heartbeats and reports, prefetch work and artifacts, nudge agents. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

const now = () => new Date().toISOString();
/** A down message without its envelope (distributes over the union). */
type DownBody = AgentDown extends infer T ? (T extends unknown ? Omit<T, 'v' | 'msgId' | 'sentAt' | 'sig'> : never) : never;

export async function startFleetService(options: FleetServiceOptions): Promise<FleetService> {
  const log = options.log ?? silent;
  const heartbeatSeconds = options.heartbeatSeconds ?? 30;
  const grace = options.leaseGraceSeconds ?? 60;
  const server = new FleetServerClient(options.serverUrl.replace(/\/$/, ''), options.token);
  const registryFile = new JsonFile<Record<string, string>>(path.join(options.cacheDir, 'agents.json'), () => ({}));
  const workFile = new JsonFile<WorkState>(path.join(options.cacheDir, 'work.json'), () => ({ items: [], localLeases: {} }));
  const outboxFile = new JsonFile<QueuedEvent[]>(path.join(options.cacheDir, 'outbox.json'), () => []);

  const registry = new Map(Object.entries(await registryFile.load()));
  const work = await workFile.load();
  const outbox = await outboxFile.load();
  const heartbeats = new Map<string, { at: string; agentVersion?: string }>();
  const handed = new Map<string, Set<string>>();
  const lastNudge = new Map<string, string>();
  const chains = new Map<string, Promise<void>>();
  const stats: FleetStats = {
    rejected: { malformed: 0, agent_mismatch: 0, unknown_agent: 0, bad_signature: 0, client_mismatch: 0 },
    rejections: [],
    enrolled: 0,
    acl: null,
  };
  let lastRegistryRefresh = 0;
  let stopped = false;

  const saveRegistry = () => registryFile.save(Object.fromEntries(registry));
  const saveWork = () => workFile.save(work);
  const saveOutbox = () => outboxFile.save(outbox);

  async function refreshRegistry(): Promise<void> {
    lastRegistryRefresh = Date.now();
    const res = await server.json<{ agents: { deviceId: string; credentialHash: string }[] }>('GET', '/api/bridge/fleet/agents');
    const fresh = new Map(res.agents.map((a) => [a.deviceId, a.credentialHash]));
    for (const id of registry.keys()) if (!fresh.has(id) && channel instanceof EmbeddedAgentBroker) channel.disconnectAgent(id);
    registry.clear();
    for (const [k, v] of fresh) registry.set(k, v);
    await saveRegistry();
  }

  async function knownDigest(agentId: string): Promise<string | undefined> {
    if (!registry.has(agentId) && Date.now() - lastRegistryRefresh > 2000) await refreshRegistry().catch(() => undefined);
    return registry.get(agentId);
  }

  const reject = (topic: string, reason: RejectReason) => {
    stats.rejected[reason] += 1;
    stats.rejections.push({ topic, reason });
    if (stats.rejections.length > 200) stats.rejections.shift();
    log.warn('refused an agent message', { topic, reason });
  };

  async function reply(agentId: string, body: DownBody): Promise<void> {
    const digest = registry.get(agentId);
    if (!digest) return;
    const topic = agentTopics(agentId).down;
    const msg = signMessage(
      topic,
      { v: AGENT_PROTOCOL_VERSION, msgId: newMsgId(), sentAt: now(), ...body } as Record<string, unknown>,
      digest,
    );
    await channel.publish(topic, JSON.stringify(msg));
  }

  // --- reports: online, or into the durable outbox -------------------------------------------
  let flushing: Promise<void> | null = null;
  async function flushOutbox(): Promise<void> {
    if (flushing) return flushing;
    flushing = (async () => {
      while (outbox.length > 0 && !stopped) {
        const batch = outbox.slice(0, 100);
        try {
          await server.json('POST', '/api/bridge/fleet/events', { events: batch, via: 'outbox', graceSeconds: grace });
        } catch (err) {
          if (err instanceof ServerUnreachable) return;
          log.warn('the server refused queued reports; dropping them', { error: (err as Error).message });
        }
        outbox.splice(0, batch.length);
        await saveOutbox();
      }
    })().finally(() => (flushing = null));
    return flushing;
  }

  async function sendEvent(event: QueuedEvent): Promise<'accepted' | 'duplicate' | 'stale' | 'queued'> {
    if (outbox.length === 0 && !server.linkDown) {
      try {
        const res = await server.json<{ outcomes: { outcome: 'accepted' | 'duplicate' | 'stale' }[] }>(
          'POST',
          '/api/bridge/fleet/events',
          {
            events: [event],
            via: 'online',
            graceSeconds: grace,
          },
        );
        return res.outcomes[0]?.outcome ?? 'stale';
      } catch (err) {
        if (err instanceof ServerRefused) return 'stale';
      }
    }
    // Keep the order: once anything waits, everything after it waits too.
    outbox.push(event);
    await saveOutbox();
    return 'queued';
  }

  // --- leases -------------------------------------------------------------------------------
  const noteHanded = (agentId: string, w: LeasedWork | null) => {
    const sha = w?.package?.artifact?.sha256;
    if (!sha) return;
    const set = handed.get(agentId) ?? new Set<string>();
    set.add(sha);
    handed.set(agentId, set);
  };

  async function localLease(agentId: string): Promise<LeasedWork | null> {
    const mine = Object.entries(work.localLeases).find(([, l]) => l.deviceId === agentId && !l.done);
    if (mine) {
      const item = work.items.find((i) => i.work.executionId === mine[0]);
      if (item) return item.work;
    }
    const nowMs = Date.now();
    const item = work.items.find(
      (i) =>
        i.deviceId === agentId && !work.localLeases[i.work.executionId] && (!i.notBefore || Date.parse(i.notBefore) <= nowMs),
    );
    if (!item) return null;
    work.localLeases[item.work.executionId] = { deviceId: agentId, attempt: item.work.attempt, at: now() };
    await saveWork();
    log.info('leased work locally (server unreachable)', { agentId, executionId: item.work.executionId });
    return item.work;
  }

  async function lease(agentId: string): Promise<LeasedWork | null> {
    // Reports that waited go first, so the server decides on the newest state.
    if (outbox.length > 0 && !server.linkDown) await flushOutbox();
    if (!server.linkDown && outbox.length === 0) {
      try {
        const res = await server.json<{ work: LeasedWork | null }>('POST', '/api/bridge/fleet/lease', {
          deviceId: agentId,
          graceSeconds: grace,
        });
        return res.work;
      } catch (err) {
        if (err instanceof ServerRefused) return null;
      }
    }
    return localLease(agentId);
  }

  // --- messages from agents -----------------------------------------------------------------
  async function handleAgent(topicAgentId: string, topic: string, payload: Buffer): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString('utf8'));
    } catch {
      return reject(topic, 'malformed');
    }
    const parsed = agentUpSchema.safeParse(raw);
    if (!parsed.success) return reject(topic, 'malformed');
    const msg: AgentUp = parsed.data;
    if (msg.agentId !== topicAgentId) return reject(topic, 'agent_mismatch');
    const digest = await knownDigest(topicAgentId);
    if (!digest) return reject(topic, 'unknown_agent');
    if (!verifyMessage(topic, raw as Record<string, unknown>, digest)) return reject(topic, 'bad_signature');
    const agentId = msg.agentId;
    const prevBeat = heartbeats.get(agentId);
    const agentVersion = msg.type === 'hello' ? msg.agentVersion : prevBeat?.agentVersion;
    heartbeats.set(agentId, { at: now(), ...(agentVersion ? { agentVersion } : {}) });
    switch (msg.type) {
      case 'hello':
        await reply(agentId, { type: 'welcome', artifactBaseUrl: artifacts.baseUrl, heartbeatSeconds, inventoryHash: null });
        lastNudge.delete(agentId);
        return;
      case 'heartbeat':
        return;
      case 'inventory':
        return handleInventory(agentId, msg.msgId, msg.delta);
      case 'lease': {
        const w = await lease(agentId);
        noteHanded(agentId, w);
        await reply(agentId, { type: 'lease_reply', replyTo: msg.msgId, work: w });
        return;
      }
      case 'running':
        await sendEvent({ type: 'running', deviceId: agentId, executionId: msg.executionId, attempt: msg.attempt });
        return;
      case 'result': {
        const outcome = await sendEvent({ type: 'result', deviceId: agentId, result: msg.result });
        const local = work.localLeases[msg.result.executionId];
        if (local) {
          local.done = true;
          work.items = work.items.filter((i) => i.work.executionId !== msg.result.executionId);
          await saveWork();
        }
        await reply(agentId, {
          type: 'result_ack',
          replyTo: msg.msgId,
          executionId: msg.result.executionId,
          attempt: msg.result.attempt,
          outcome,
        });
        return;
      }
    }
  }

  async function handleInventory(agentId: string, msgId: string, delta: InventoryDelta): Promise<void> {
    try {
      const res = await server.json<{ needFull: boolean; hash: string | null }>('POST', '/api/bridge/fleet/inventory', {
        deviceId: agentId,
        delta,
      });
      await reply(agentId, {
        type: 'inventory_ack',
        replyTo: msgId,
        hash: res.needFull ? res.hash : delta.hash,
        needFull: res.needFull,
      });
    } catch (err) {
      // Unreachable: no answer, the agent sends again later. Refused: ask for everything.
      if (err instanceof ServerRefused)
        await reply(agentId, { type: 'inventory_ack', replyTo: msgId, hash: null, needFull: true });
    }
  }

  async function handleEnroll(clientId: string, topic: string, payload: Buffer): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString('utf8'));
    } catch {
      return reject(topic, 'malformed');
    }
    const parsed = enrollRequestSchema.safeParse(raw);
    if (!parsed.success) return reject(topic, 'malformed');
    const req = parsed.data;
    if (req.clientId !== clientId) return reject(topic, 'client_mismatch');
    const down = enrollTopics(clientId).down;
    const send = (body: Record<string, unknown>) =>
      channel.publish(
        down,
        JSON.stringify(
          signMessage(
            down,
            { v: AGENT_PROTOCOL_VERSION, msgId: newMsgId(), sentAt: now(), type: 'enroll_reply', ...body },
            credentialDigest(req.secret),
          ),
        ),
      );
    try {
      const res = await server.json<{ deviceId: string; orgId: string; credential: string }>('POST', '/api/bridge/fleet/enroll', {
        secret: req.secret,
        hostname: req.hostname,
        agentVersion: req.agentVersion,
      });
      registry.set(res.deviceId, credentialDigest(res.credential));
      await saveRegistry();
      stats.enrolled += 1;
      const sealed = sealTo(req.publicKey, res.credential, clientId);
      await send({
        ok: true,
        agentId: res.deviceId,
        orgId: res.orgId,
        bridgePublicKey: sealed.publicKey,
        sealedCredential: sealed.sealed,
      });
      log.info('enrolled an agent', { agentId: res.deviceId, hostname: req.hostname });
    } catch (err) {
      const refused = err instanceof ServerRefused;
      await send({
        ok: false,
        code: refused ? err.code : 'SERVER_UNREACHABLE',
        message: refused ? err.message : 'the bridge cannot reach the server right now; try again later',
      });
    }
  }

  function onMessage(topic: string, payload: Buffer): void {
    if (stopped) return;
    const t = parseAgentTopic(topic);
    if (!t || t.direction !== 'up') return;
    const key = t.kind === 'agent' ? `agent:${t.agentId}` : `enroll:${t.clientId}`;
    const run = () => (t.kind === 'agent' ? handleAgent(t.agentId, topic, payload) : handleEnroll(t.clientId, topic, payload));
    // One agent's messages are handled in order (a result before the lease that follows it).
    const prev = chains.get(key) ?? Promise.resolve();
    const next = prev
      .then(run)
      .catch((err: unknown) => log.warn('an agent message failed', { topic, error: (err as Error).message }))
      .finally(() => {
        if (chains.get(key) === next) chains.delete(key);
      });
    chains.set(key, next);
  }

  // --- the poll cycle -----------------------------------------------------------------------
  async function flushHeartbeats(): Promise<void> {
    if (heartbeats.size === 0) return;
    const beats = [...heartbeats].map(([deviceId, b]) => ({ deviceId, ...b }));
    try {
      await server.json('POST', '/api/bridge/fleet/heartbeats', { beats });
      for (const b of beats) if (heartbeats.get(b.deviceId)?.at === b.at) heartbeats.delete(b.deviceId);
    } catch {
      // kept for the next cycle
    }
  }

  async function prefetch(): Promise<void> {
    const res = await server.json<{ items: CachedItem[] }>('GET', '/api/bridge/fleet/work');
    work.items = res.items;
    // Local leases the server now knows the outcome of are forgotten.
    const live = new Set(res.items.map((i) => i.work.executionId));
    for (const id of Object.keys(work.localLeases)) if (!live.has(id) || work.localLeases[id]!.done) delete work.localLeases[id];
    await saveWork();
    for (const sha of new Set(res.items.map((i) => i.work.package?.artifact?.sha256).filter((s): s is string => !!s))) {
      artifacts
        .ensure(sha)
        .catch((err: unknown) => log.warn('could not cache an artifact', { sha, error: (err as Error).message }));
    }
  }

  async function nudge(): Promise<void> {
    const nowMs = Date.now();
    const byAgent = new Map<string, string[]>();
    for (const i of work.items) {
      if (i.notBefore && Date.parse(i.notBefore) > nowMs) continue;
      byAgent.set(i.deviceId, [...(byAgent.get(i.deviceId) ?? []), `${i.work.executionId}:${i.work.attempt}`]);
    }
    for (const [agentId, ids] of byAgent) {
      const key = ids.sort().join(',');
      if (lastNudge.get(agentId) === key || !registry.has(agentId)) continue;
      lastNudge.set(agentId, key);
      await reply(agentId, { type: 'nudge' });
    }
  }

  let cycle: Promise<void> | null = null;
  function sync(): Promise<void> {
    if (cycle) return cycle;
    cycle = (async () => {
      await flushHeartbeats();
      await flushOutbox();
      if (!server.linkDown) await prefetch().catch(() => undefined);
      await nudge();
    })()
      .catch((err: unknown) => log.warn('fleet poll cycle failed', { error: (err as Error).message }))
      .finally(() => (cycle = null));
    return cycle;
  }

  // --- start --------------------------------------------------------------------------------
  const artifacts = new ArtifactCache(
    path.join(options.cacheDir, 'artifacts'),
    server,
    {
      mayFetch(authorization, sha) {
        const m = /^Bearer ([A-Za-z0-9_-]{1,64}):(.+)$/.exec(authorization ?? '');
        const digest = m ? registry.get(m[1]!) : undefined;
        return !!m && !!digest && credentialMatches(m[2]!, digest) && !!handed.get(m[1]!)?.has(sha);
      },
    },
    options.artifacts?.host,
    options.artifacts?.publicHost,
  );
  await artifacts.start(options.artifacts?.port ?? 0);

  const brokerOpt = options.broker ?? { embedded: {} };
  let channel: AgentChannel;
  if ('url' in brokerOpt) {
    const external = new ExternalAgentBroker(
      brokerOpt.url,
      `fleetsync-bridge-${options.bridgeId ?? 'bridge'}-${randomBytes(4).toString('hex')}`,
      onMessage,
    );
    await external.start();
    channel = external;
  } else {
    const embedded = new EmbeddedAgentBroker({
      ...brokerOpt.embedded,
      onMessage,
      authenticateAgent: async (agentId, credential) => {
        const digest = await knownDigest(agentId);
        return !!digest && credentialMatches(credential, digest);
      },
    });
    await embedded.start();
    stats.acl = embedded.stats;
    channel = embedded;
  }
  await refreshRegistry().catch((err: unknown) =>
    log.warn('could not load the agent registry; using the cached one', { error: (err as Error).message }),
  );

  const pollTimer = setInterval(() => void sync(), options.pollMs ?? 5000);
  const registryTimer = setInterval(() => void refreshRegistry().catch(() => undefined), options.registryRefreshMs ?? 60_000);
  void sync();

  return {
    brokerUrl: channel.url,
    brokerKind: channel.kind,
    artifactBaseUrl: artifacts.baseUrl,
    server,
    stats,
    cachedWork: () => work.items.map((i) => ({ deviceId: i.deviceId, executionId: i.work.executionId })),
    outboxSize: () => outbox.length,
    hasArtifact: (sha) => artifacts.has(sha),
    sync,
    async stop() {
      stopped = true;
      clearInterval(pollTimer);
      clearInterval(registryTimer);
      await Promise.allSettled([...chains.values(), cycle ?? Promise.resolve()]);
      await channel.close();
      await artifacts.close();
      await Promise.all([saveRegistry(), saveWork(), saveOutbox()]);
    },
  };
}
