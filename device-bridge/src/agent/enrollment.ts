/** One-time enrollment: trade the enrollment secret for the agent's own credential. */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import mqtt from 'mqtt';
import { AGENT_VERSION, EnrollmentRefused, now, type AgentOptions } from './agentCommon.js';
import { credentialDigest, ephemeralKey, newMsgId, openSealed, verifyMessage } from '../fleet/messageAuth.js';
import { AGENT_PROTOCOL_VERSION, enrollReplySchema, enrollTopics } from '../fleet/sharedFleet.js';

export interface Enrolled {
  agentId: string;
  orgId: string;
  credential: string;
}

/**
 * Enrolls with the bridge; `onEnrolled` runs (and is awaited) before the enrollment connection
 * is closed.
 */
export async function enrollAgent(options: AgentOptions, onEnrolled: (enrolled: Enrolled) => Promise<void>): Promise<void> {
  const secret = options.enrollmentSecret;
  if (!secret) throw new EnrollmentRefused('NO_SECRET', 'this agent has not enrolled yet: give it an enrollment secret');
  const clientId = `enroll-${randomBytes(12).toString('hex')}`;
  const topics = enrollTopics(clientId);
  const key = ephemeralKey();
  const client = await mqtt.connectAsync(options.brokerUrl, {
    clientId,
    username: 'enroll',
    password: secret,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    clean: true,
  });
  try {
    const reply = new Promise<{ agentId: string; orgId: string; credential: string }>((resolve, reject) => {
      let refusal: EnrollmentRefused | null = null;
      const give = setTimeout(
        () => reject(refusal ?? new EnrollmentRefused('TIMEOUT', 'no enrollment reply from the bridge')),
        15_000,
      );
      client.on('message', (topic, payload) => {
        if (topic !== topics.down) return;
        let raw: Record<string, unknown>;
        try {
          raw = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
        } catch {
          return;
        }
        const parsed = enrollReplySchema.safeParse(raw);
        if (!parsed.success || !verifyMessage(topic, raw, credentialDigest(secret))) return;
        const r = parsed.data;
        if (r.ok) {
          clearTimeout(give);
          try {
            resolve({
              agentId: r.agentId,
              orgId: r.orgId,
              credential: openSealed(key, r.bridgePublicKey, r.sealedCredential, clientId),
            });
          } catch (err) {
            reject(err as Error);
          }
          return;
        }
        // Another bridge on a shared broker may answer first: give a good answer a moment.
        refusal = new EnrollmentRefused(r.code, r.message);
        clearTimeout(give);
        setTimeout(() => reject(refusal), 1500);
      });
    });
    await client.subscribeAsync(topics.down, { qos: 1 });
    const hostname = options.identity?.hostname ?? os.hostname();
    await client.publishAsync(
      topics.up,
      JSON.stringify({
        v: AGENT_PROTOCOL_VERSION,
        msgId: newMsgId(),
        sentAt: now(),
        type: 'enroll',
        clientId,
        secret,
        publicKey: key.publicKey,
        hostname,
        agentVersion: AGENT_VERSION,
      }),
      { qos: 1 },
    );
    const enrolled = await reply;
    await onEnrolled(enrolled);
  } finally {
    await client.endAsync(true);
  }
}
