import type { Request } from 'express';
import type { Db } from '../db/pool.js';
import { audit, type AuditEvent } from './auditLog.js';

/** Audits an event with the request's actor, address and user agent. */
export async function auditFromRequest(db: Db, req: Request, e: Omit<AuditEvent, 'ip' | 'userAgent'>): Promise<void> {
  const actorId = e.actorId !== undefined ? e.actorId : (req.auth?.principal.userId ?? null);
  let actorLabel = e.actorLabel ?? null;
  if (!actorLabel && actorId) {
    actorLabel = (await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [actorId])).rows[0]?.email ?? null;
  }
  return audit(db, {
    ...e,
    actorId,
    actorLabel,
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
  });
}
