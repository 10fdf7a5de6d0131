/** `GET /api/audit`: filters, keyset pagination, CSV export. Org admins see their org's rows. */
import { Router } from 'express';
import { z } from 'zod';
import { canPlatform, ErrorCode, orgsWith } from '@fleetsync/shared';
import type { AuthDeps } from '../auth/authenticate.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';

const querySchema = z.object({
  actor: z.string().max(254).optional(),
  action: z.string().max(80).optional(),
  target: z.string().max(200).optional(),
  orgId: z.string().uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});

const CSV_COLUMNS = ['id', 'at', 'actor_label', 'actor_id', 'org_id', 'ip', 'user_agent', 'action', 'target', 'details'] as const;
function csvCell(v: unknown): string {
  const s = v == null ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Quote always; neutralise spreadsheet formulas.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function createAuditRouter(deps: AuthDeps): Router {
  const { db } = deps;
  const router = Router();
  router.get('/api/audit', requireAuth(deps), async (req, res) => {
    const q = parseBody(querySchema, req.query);
    const { principal } = authOf(req);
    const allOrgs = canPlatform(principal, 'platform.audit');
    const orgs = orgsWith(principal, 'audit.read');
    if (!allOrgs && orgs.length === 0) throw new AppError(ErrorCode.FORBIDDEN, 'you may not read the audit log');
    if (q.orgId && !allOrgs && !orgs.includes(q.orgId as never)) throw new AppError(ErrorCode.FORBIDDEN, 'not your organization');
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (!allOrgs) add('org_id = ANY(?::uuid[])', orgs);
    if (q.orgId) add('org_id = ?', q.orgId);
    if (q.actor) {
      args.push(q.actor.toLowerCase());
      where.push(`(actor_label = $${args.length} OR actor_id::text = $${args.length})`);
    }
    if (q.action) add('action LIKE ?', `${q.action.replace(/[%_]/g, '')}%`);
    if (q.target) add('target = ?', q.target);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    if (q.before) add('id < ?', q.before);
    args.push(q.limit);
    const rows = (
      await db.query(
        `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${args.length}`,
        args,
      )
    ).rows as Record<string, unknown>[];
    if (q.format === 'csv') {
      res.type('text/csv').attachment('audit-log.csv');
      res.send([CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n');
      return;
    }
    const last = rows.at(-1);
    res.json({ entries: rows, nextBefore: rows.length === q.limit && last ? last.id : null });
  });
  return router;
}
