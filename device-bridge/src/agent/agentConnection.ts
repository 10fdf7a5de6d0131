/**
 * The agent's side of the broker connection: its own identity and credential, signed messages
 * up, verified messages down, and requests that wait for the bridge's answer.
 */
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { AgentState } from './agentState.js';
import { now, silent, type AgentOptions } from './agentCommon.js';
import { credentialDigest, newMsgId, signMessage, verifyMessage } from '../fleet/messageAuth.js';
import type { FleetLogger } from '../fleet/fleetService.js';
import { AGENT_PROTOCOL_VERSION, agentDownSchema, agentTopics, type AgentDown } from '../fleet/sharedFleet.js';

export abstract class AgentConnection extends EventEmitter {
  readonly state: AgentState;
  protected client: MqttClient | undefined;
  protected offline = false;
  protected heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  protected readonly pending = new Map<string, (msg: AgentDown | null) => void>();
  protected readonly log: FleetLogger;
  /** Down messages refused because their signature did not verify. */
  forgedDownMessages = 0;

  constructor(protected readonly options: AgentOptions) {
    super();
    this.state = new AgentState(options.stateDir);
    this.log = options.log ?? silent;
  }

  get agentId(): string {
    return this.state.data.agentId ?? '';
  }

  get connected(): boolean {
    return !!this.client?.connected && !this.offline;
  }

  private get digest(): string {
    return credentialDigest(this.state.data.credential ?? '');
  }

  protected async publish(body: Record<string, unknown>): Promise<boolean> {
    const client = this.client;
    if (!client?.connected || this.offline) return false;
    const topic = agentTopics(this.agentId).up;
    const msg = signMessage(
      topic,
      {
        v: AGENT_PROTOCOL_VERSION,
        msgId: (body.msgId as string | undefined) ?? newMsgId(),
        sentAt: now(),
        agentId: this.agentId,
        ...body,
      },
      this.digest,
    );
    try {
      await client.publishAsync(topic, JSON.stringify(msg), { qos: 1 });
      return true;
    } catch {
      return false;
    }
  }

  protected request(body: Record<string, unknown>, timeoutMs = 15_000): Promise<AgentDown | null> {
    const msgId = newMsgId();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(msgId);
        resolve(null);
      }, timeoutMs);
      this.pending.set(msgId, (msg) => {
        clearTimeout(timer);
        this.pending.delete(msgId);
        resolve(msg);
      });
      void this.publish({ ...body, msgId }).then((sent) => {
        if (sent) return;
        clearTimeout(timer);
        this.pending.delete(msgId);
        resolve(null);
      });
    });
  }

  protected abandonRequests(): void {
    for (const answer of [...this.pending.values()]) answer(null);
  }

  /** The down message, or null when it does not parse or verify (counted as forged). */
  protected parseDown(topic: string, payload: Buffer): AgentDown | null {
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
    } catch {
      return null;
    }
    const parsed = agentDownSchema.safeParse(raw);
    if (!parsed.success || topic !== agentTopics(this.agentId).down || !verifyMessage(topic, raw, this.digest)) {
      this.forgedDownMessages += 1;
      return null;
    }
    const msg = parsed.data;
    if ('replyTo' in msg) this.pending.get(msg.replyTo)?.(msg);
    return msg;
  }
}
