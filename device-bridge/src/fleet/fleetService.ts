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
import { EmbeddedAgentBroker, ExternalAgentBroker, type AgentChannel } from './agentBroker.js';
import { JsonFile } from './localStore.js';
import { credentialMatches, newMsgId, signMessage } from './messageAuth.js';
import { FleetServerClient } from './serverClient.js';
import { AGENT_PROTOCOL_VERSION, agentTopics } from './sharedFleet.js';
import { createMessageHandler } from './fleetMessages.js';
import { createFleetReports } from './fleetReports.js';
import {
  now,
  silent,
  type CachedItem,
  type DownBody,
  type FleetCore,
  type FleetService,
  type FleetServiceOptions,
  type FleetStats,
  type QueuedEvent,
  type RejectReason,
  type WorkState,
} from './fleetTypes.js';

export type { FleetLogger, FleetService, FleetServiceOptions, FleetStats, RejectReason } from './fleetTypes.js';

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

  const core: FleetCore = {
    log,
    heartbeatSeconds,
    grace,
    server,
    registry,
    work,
    outbox,
    heartbeats,
    handed,
    lastNudge,
    stats,
    isStopped: () => stopped,
    channel: () => channel,
    artifacts: () => artifacts,
    saveRegistry,
    saveWork,
    saveOutbox,
    knownDigest,
    reject,
    reply,
  };
  const reports = createFleetReports(core);
  const { flushOutbox } = reports;
  const onMessage = createMessageHandler(core, reports, chains);

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
