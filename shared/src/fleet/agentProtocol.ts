/**
 * The endpoint-agent protocol over MQTT (docs/adr/010-agent-protocol.md): topics and messages,
 * defined once. The broker is the bridge's embedded aedes by default, or an external broker
 * (Mosquitto) via MQTT_URL. MQTT only nudges: the agent leases its work and reports results
 * keyed by execution id (at-least-once delivery, the first final result wins).
 *
 * Topics (an agent may publish only on its own `up` and subscribe only to its own `down`):
 *   fleetsync/v1/agents/{agentId}/up      agent -> bridge
 *   fleetsync/v1/agents/{agentId}/down    bridge -> agent
 *   fleetsync/v1/enroll/{clientId}/up     enrolling agent -> bridge (one-time secret)
 *   fleetsync/v1/enroll/{clientId}/down   bridge -> enrolling agent
 *
 * Every agent message carries `agentId` (must equal the topic's) and `sig`, an HMAC-SHA256 over
 * the topic and the message without `sig`, keyed by the SHA-256 of the agent's credential. The
 * bridge checks both on any broker; on the embedded broker the ACL refuses forged topics first.
 */
import { z } from 'zod';
import { detectionSchema } from './detection.js';
import { EXECUTION_OUTCOMES, TASK_ACTIONS } from './executions.js';
import { inventoryDeltaSchema } from './inventory.js';

export const AGENT_PROTOCOL_VERSION = 1;
export const AGENT_TOPIC_ROOT = 'fleetsync/v1';

const AGENT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const CLIENT_ID_RE = /^enroll-[A-Za-z0-9_-]{8,64}$/;

export const agentTopics = (agentId: string) => ({
  up: `${AGENT_TOPIC_ROOT}/agents/${agentId}/up`,
  down: `${AGENT_TOPIC_ROOT}/agents/${agentId}/down`,
});
export const enrollTopics = (clientId: string) => ({
  up: `${AGENT_TOPIC_ROOT}/enroll/${clientId}/up`,
  down: `${AGENT_TOPIC_ROOT}/enroll/${clientId}/down`,
});
/** What the bridge subscribes to. */
export const BRIDGE_SUBSCRIPTIONS = [`${AGENT_TOPIC_ROOT}/agents/+/up`, `${AGENT_TOPIC_ROOT}/enroll/+/up`] as const;

export type ParsedTopic =
  { kind: 'agent'; agentId: string; direction: 'up' | 'down' } | { kind: 'enroll'; clientId: string; direction: 'up' | 'down' };

/** Parses a topic of this protocol; anything else (wildcards included) is null. */
export function parseAgentTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== AGENT_TOPIC_ROOT) return null;
  const [, , kind, id, direction] = parts as [string, string, string, string, string];
  if (direction !== 'up' && direction !== 'down') return null;
  if (kind === 'agents' && AGENT_ID_RE.test(id)) return { kind: 'agent', agentId: id, direction };
  if (kind === 'enroll' && CLIENT_ID_RE.test(id)) return { kind: 'enroll', clientId: id, direction };
  return null;
}
export const isEnrollClientId = (id: string) => CLIENT_ID_RE.test(id);
export const isAgentId = (id: string) => AGENT_ID_RE.test(id);

const iso = z.string().max(40);
const id64 = z.string().min(1).max(64);
const output = z.string().max(20_000);
const envelope = {
  v: z.literal(AGENT_PROTOCOL_VERSION),
  msgId: id64,
  sentAt: iso,
  sig: z.string().max(128).optional(),
};

export const scriptSchema = z.object({ shell: z.enum(['sh', 'bash']), body: z.string().min(1).max(100_000) }).strict();
export const artifactRefSchema = z
  .object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().min(0), fileName: z.string().min(1).max(255) })
  .strict();

/** Everything an agent needs to run one execution (assembled by the server at lease time). */
export const leasedWorkSchema = z
  .object({
    executionId: id64,
    attempt: z.number().int().min(1).max(100),
    action: z.enum(TASK_ACTIONS),
    timeoutSeconds: z.number().int().min(1).max(86_400),
    script: scriptSchema.optional(),
    command: z
      .object({ argv: z.array(z.string().max(4000)).min(1).max(100) })
      .strict()
      .optional(),
    preScript: scriptSchema.optional(),
    postScript: scriptSchema.optional(),
    package: z
      .object({
        id: id64,
        name: z.string().max(200),
        version: z.string().max(120),
        installScript: scriptSchema.optional(),
        uninstallScript: scriptSchema.optional(),
        detection: detectionSchema,
        artifact: artifactRefSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type LeasedWork = z.infer<typeof leasedWorkSchema>;

export const executionResultSchema = z
  .object({
    executionId: id64,
    attempt: z.number().int().min(1).max(100),
    status: z.enum(['succeeded', 'failed', 'timed_out']),
    outcome: z.enum(EXECUTION_OUTCOMES),
    exitCode: z.number().int().nullable(),
    stdout: output,
    stderr: output,
    message: z.string().max(500).optional(),
    startedAt: iso,
    finishedAt: iso,
  })
  .strict();
export type ExecutionResult = z.infer<typeof executionResultSchema>;

/** agent -> bridge, on fleetsync/v1/agents/{agentId}/up */
export const agentUpSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...envelope,
      agentId: id64,
      type: z.literal('hello'),
      agentVersion: z.string().max(40),
      inventoryHash: z.string().max(32).nullable(),
    })
    .strict(),
  z.object({ ...envelope, agentId: id64, type: z.literal('heartbeat'), uptimeSeconds: z.number().int().min(0) }).strict(),
  z.object({ ...envelope, agentId: id64, type: z.literal('inventory'), delta: inventoryDeltaSchema }).strict(),
  z.object({ ...envelope, agentId: id64, type: z.literal('lease') }).strict(),
  z
    .object({
      ...envelope,
      agentId: id64,
      type: z.literal('running'),
      executionId: id64,
      attempt: z.number().int().min(1).max(100),
    })
    .strict(),
  z.object({ ...envelope, agentId: id64, type: z.literal('result'), result: executionResultSchema }).strict(),
]);
export type AgentUp = z.infer<typeof agentUpSchema>;

/** bridge -> agent, on fleetsync/v1/agents/{agentId}/down */
export const agentDownSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...envelope,
      type: z.literal('welcome'),
      artifactBaseUrl: z.string().max(300),
      heartbeatSeconds: z.number().int().min(1),
      inventoryHash: z.string().max(32).nullable(),
    })
    .strict(),
  z.object({ ...envelope, type: z.literal('nudge') }).strict(),
  z.object({ ...envelope, type: z.literal('lease_reply'), replyTo: id64, work: leasedWorkSchema.nullable() }).strict(),
  z
    .object({
      ...envelope,
      type: z.literal('result_ack'),
      replyTo: id64,
      executionId: id64,
      attempt: z.number().int(),
      outcome: z.enum(['accepted', 'duplicate', 'stale', 'queued']),
    })
    .strict(),
  z
    .object({
      ...envelope,
      type: z.literal('inventory_ack'),
      replyTo: id64,
      hash: z.string().max(32).nullable(),
      needFull: z.boolean(),
    })
    .strict(),
]);
export type AgentDown = z.infer<typeof agentDownSchema>;

/** Enrollment: the agent proves a one-time secret and gets its own credential, sealed to its key. */
export const enrollRequestSchema = z
  .object({
    ...envelope,
    type: z.literal('enroll'),
    clientId: z.string().regex(CLIENT_ID_RE),
    secret: z.string().min(1).max(200),
    /** X25519 public key (SPKI, base64): the credential comes back sealed to it. */
    publicKey: z.string().min(1).max(200),
    hostname: z.string().max(255),
    agentVersion: z.string().max(40),
  })
  .strict();
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

export const enrollReplySchema = z.discriminatedUnion('ok', [
  z
    .object({
      ...envelope,
      type: z.literal('enroll_reply'),
      ok: z.literal(true),
      agentId: id64,
      orgId: id64,
      /** The bridge's X25519 public key and the credential sealed with AES-256-GCM under the shared key. */
      bridgePublicKey: z.string().max(200),
      sealedCredential: z.string().max(400),
    })
    .strict(),
  z
    .object({
      ...envelope,
      type: z.literal('enroll_reply'),
      ok: z.literal(false),
      code: z.string().max(60),
      message: z.string().max(300),
    })
    .strict(),
]);
export type EnrollReply = z.infer<typeof enrollReplySchema>;

/** The bytes a signature covers: topic, newline, the message as stable JSON without `sig`. */
export function signedPayload(topic: string, message: Record<string, unknown>, stringify: (v: unknown) => string): string {
  const { sig: _sig, ...rest } = message;
  return `${topic}\n${stringify(rest)}`;
}
