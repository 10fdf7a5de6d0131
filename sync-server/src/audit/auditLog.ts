/**
 * Append-only, hash-chained audit log. The database refuses UPDATE and DELETE on the table
 * (trigger, and no such grant for the application role); each row's hash covers its content
 * and the previous hash, so `verifyAuditChain` finds the first row that was altered.
 */
import { createHash } from 'node:crypto';
import { stableStringify } from '@fleetsync/shared';
import { withTransaction, type Db } from '../db/pool.js';

export interface AuditEvent {
  actorId?: string | null;
  actorLabel?: string | null;
  orgId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);
const LOCK = 4_711_002;
const SECRET_KEYS = /pass|secret|token|code|key|otp/i;

/** Secrets and passwords are never written, whatever a caller puts in details. */
function scrub(details: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : v;
  return out;
}

interface Row {
  id: number;
  at: Date;
  actor_id: string | null;
  actor_label: string | null;
  org_id: string | null;
  ip: string | null;
  user_agent: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

function rowHash(prev: string, r: Omit<Row, 'id' | 'hash' | 'prev_hash'>): string {
  const body = stableStringify({
    at: r.at.toISOString(),
    actor_id: r.actor_id,
    actor_label: r.actor_label,
    org_id: r.org_id,
    ip: r.ip,
    user_agent: r.user_agent,
    action: r.action,
    target: r.target,
    details: r.details,
  });
  return createHash('sha256').update(prev).update(body).digest('hex');
}

export async function audit(db: Db, e: AuditEvent): Promise<void> {
  await withTransaction(db, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    const last = await c.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    const prev = last.rows[0]?.hash ?? GENESIS;
    const at = new Date(Math.floor(Date.now()));
    const row = {
      at,
      actor_id: e.actorId ?? null,
      actor_label: e.actorLabel ?? null,
      org_id: e.orgId ?? null,
      ip: e.ip ?? null,
      user_agent: e.userAgent?.slice(0, 300) ?? null,
      action: e.action,
      target: e.target ?? null,
      details: scrub(e.details),
    };
    await c.query(
      `INSERT INTO audit_log (at, actor_id, actor_label, org_id, ip, user_agent, action, target, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        at,
        row.actor_id,
        row.actor_label,
        row.org_id,
        row.ip,
        row.user_agent,
        row.action,
        row.target,
        row.details,
        prev,
        rowHash(prev, row),
      ],
    );
  });
}

export interface ChainReport {
  ok: boolean;
  rows: number;
  firstBadId?: number;
  reason?: string;
}

export async function verifyAuditChain(db: Db): Promise<ChainReport> {
  let prev = GENESIS;
  let rows = 0;
  let after = 0;
  for (;;) {
    const page = await db.query<Row>('SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT 1000', [after]);
    for (const r of page.rows) {
      rows += 1;
      if (r.prev_hash !== prev) return { ok: false, rows, firstBadId: r.id, reason: 'the previous row was removed or changed' };
      if (rowHash(prev, r) !== r.hash) return { ok: false, rows, firstBadId: r.id, reason: 'this row was changed' };
      prev = r.hash;
      after = r.id;
    }
    if (page.rows.length < 1000) return { ok: true, rows };
  }
}
