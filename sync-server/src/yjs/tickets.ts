/**
 * Yjs socket tickets: a credential in a URL would be logged by every proxy, so a client asks
 * for a ticket (authenticated by header), and opens the socket with it. A ticket names one
 * room, lives 30 seconds, opens one socket, and carries the session or token it came from so
 * the socket can be closed when that is revoked.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/pool.js';
import { hmac, safeEqual } from '../security/crypto.js';

export interface TicketClaims {
  room: string;
  sub: string;
  sid?: string;
  tok?: string;
  exp: number;
  n: string;
}

export const TICKET_TTL_SECONDS = 30;

export function issueTicket(key: Buffer, claims: Omit<TicketClaims, 'exp' | 'n'>): { ticket: string; expiresAt: string } {
  const exp = Math.floor(Date.now() / 1000) + TICKET_TTL_SECONDS;
  const payload = Buffer.from(JSON.stringify({ ...claims, exp, n: randomBytes(12).toString('base64url') })).toString('base64url');
  return {
    ticket: `fsy.${payload}.${hmac(key, `yjs:${payload}`).toString('base64url')}`,
    expiresAt: new Date(exp * 1000).toISOString(),
  };
}

/** Verifies signature, room and expiry, then burns the ticket (a second use fails). */
export async function redeemTicket(db: Db, key: Buffer, ticket: string, room: string): Promise<TicketClaims | null> {
  const [prefix, payload, sig] = ticket.split('.');
  if (prefix !== 'fsy' || !payload || !sig || !safeEqual(hmac(key, `yjs:${payload}`), Buffer.from(sig, 'base64url'))) return null;
  let claims: TicketClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as TicketClaims;
  } catch {
    return null;
  }
  if (claims.room !== room || claims.exp <= Date.now() / 1000) return null;
  const burned = await db.query(
    'INSERT INTO used_tickets (nonce, expires_at) VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING',
    [claims.n, claims.exp],
  );
  if ((burned.rowCount ?? 0) !== 1) return null;
  await db.query("DELETE FROM used_tickets WHERE expires_at < now() - interval '1 minute'");
  return claims;
}
