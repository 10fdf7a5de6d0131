/**
 * Messages from agents for the fleet service: every message is parsed and authenticated, then
 * handled in order per agent (or per enrolling client).
 */
import { credentialDigest, newMsgId, sealTo, signMessage, verifyMessage } from './messageAuth.js';
import { ServerRefused } from './serverClient.js';
import {
  AGENT_PROTOCOL_VERSION,
  agentUpSchema,
  enrollRequestSchema,
  enrollTopics,
  parseAgentTopic,
  type AgentUp,
  type InventoryDelta,
} from './sharedFleet.js';
import type { FleetReports } from './fleetReports.js';
import { now, type FleetCore } from './fleetTypes.js';

/** Returns the broker's message handler; `chains` holds each agent's (or client's) pending messages. */
export function createMessageHandler(
  core: FleetCore,
  reports: FleetReports,
  chains: Map<string, Promise<void>>,
): (topic: string, payload: Buffer) => void {
  const { log, server, registry, work, heartbeats, lastNudge, stats, reject, reply, heartbeatSeconds } = core;
  const { lease, noteHanded, sendEvent } = reports;

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
    const digest = await core.knownDigest(topicAgentId);
    if (!digest) return reject(topic, 'unknown_agent');
    if (!verifyMessage(topic, raw as Record<string, unknown>, digest)) return reject(topic, 'bad_signature');
    const agentId = msg.agentId;
    const prevBeat = heartbeats.get(agentId);
    const agentVersion = msg.type === 'hello' ? msg.agentVersion : prevBeat?.agentVersion;
    heartbeats.set(agentId, { at: now(), ...(agentVersion ? { agentVersion } : {}) });
    switch (msg.type) {
      case 'hello':
        await reply(agentId, {
          type: 'welcome',
          artifactBaseUrl: core.artifacts().baseUrl,
          heartbeatSeconds,
          inventoryHash: null,
        });
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
          await core.saveWork();
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
      core
        .channel()
        .publish(
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
      await core.saveRegistry();
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

  return function onMessage(topic: string, payload: Buffer): void {
    if (core.isStopped()) return;
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
  };
}
