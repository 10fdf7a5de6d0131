/**
 * Message authentication for the agent protocol, used by the agent and the bridge alike.
 * - Every message carries `sig` = HMAC-SHA256 over its topic and stable JSON, keyed by
 *   SHA-256(agent credential): the bridge holds only that digest (it never needs the
 *   credential), and a client that does not know the credential cannot forge an agent.
 * - Enrollment: the agent sends an ephemeral X25519 public key; the credential comes back
 *   sealed (ECDH + HKDF-SHA256 + AES-256-GCM), so a passive listener on a shared broker does
 *   not learn it.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { stableStringify } from '@fleetsync/shared';
import { signedPayload } from './sharedFleet.js';

export const credentialDigest = (credential: string) => createHash('sha256').update(credential).digest('hex');

export function signMessage<T extends Record<string, unknown>>(topic: string, message: T, digest: string): T & { sig: string } {
  const sig = createHmac('sha256', digest)
    .update(signedPayload(topic, message, stableStringify))
    .digest('base64url');
  return { ...message, sig };
}

export function verifyMessage(topic: string, message: Record<string, unknown>, digest: string): boolean {
  if (typeof message.sig !== 'string') return false;
  const expected = createHmac('sha256', digest)
    .update(signedPayload(topic, message, stableStringify))
    .digest();
  const given = Buffer.from(message.sig, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time comparison of a presented credential with a stored digest. */
export function credentialMatches(credential: string, digest: string): boolean {
  const a = Buffer.from(credentialDigest(credential), 'hex');
  const b = Buffer.from(digest, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface EphemeralKey {
  publicKey: string;
  privateKey: KeyObject;
}

export function ephemeralKey(): EphemeralKey {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), privateKey };
}

function sharedKey(privateKey: KeyObject, peerPublic: string, context: string): Buffer {
  const secret = diffieHellman({
    privateKey,
    publicKey: createPublicKey({ key: Buffer.from(peerPublic, 'base64'), format: 'der', type: 'spki' }),
  });
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `fleetsync-enroll:${context}`, 32));
}

/** Seals `plaintext` to the agent's public key; returns the bridge's ephemeral public key and the box. */
export function sealTo(agentPublicKey: string, plaintext: string, context: string): { publicKey: string; sealed: string } {
  const mine = ephemeralKey();
  const key = sharedKey(mine.privateKey, agentPublicKey, context);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { publicKey: mine.publicKey, sealed: [iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64url')).join('.') };
}

export function openSealed(mine: EphemeralKey, bridgePublicKey: string, sealed: string, context: string): string {
  const [iv, tag, ct] = sealed.split('.');
  if (!iv || !tag || !ct) throw new Error('malformed sealed credential');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    sharedKey(mine.privateKey, bridgePublicKey, context),
    Buffer.from(iv, 'base64url'),
  );
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

export const newMsgId = () => randomBytes(9).toString('base64url');
