/** Organizations: list, create, rename, suspend/reactivate, settings. */
import { Router } from 'express';
import { z } from 'zod';
import { can, canPlatform, ErrorCode } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import type { AuthDeps } from '../auth/authenticate.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { createOrg } from '../identity/identityRepo.js';
import { notifyScopeChanged } from './scopeNotices.js';

export const orgSettingsSchema = z
  .object({
    displayName: z.string().max(120),
    colour: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    costCenter: z.string().max(60),
    defaultFilament: z.string().max(40),
    notifications: z.object({ jobFailed: z.boolean(), jobDone: z.boolean(), printerError: z.boolean() }).partial(),
    // Job costs for chargebacks (amounts in major units of `currency`; see shared/src/farm/cost.ts).
    machineRatePerHour: z.number().min(0).max(100_000),
    overheadPerJob: z.number().min(0).max(100_000),
    filamentCostPerKg: z.number().min(0).max(100_000),
    currency: z.string().regex(/^[A-Z]{3}$/),
  })
  .partial()
  .strict();

const patchSchema = z
  .object({ name: z.string().trim().min(1).max(120).optional(), settings: orgSettingsSchema.optional() })
  .strict();

interface OrgRow {
  id: string;
  name: string;
  slug: string;
  suspended_at: Date | null;
  settings: Record<string, unknown>;
  created_at: Date;
}
const view = (o: OrgRow, role?: string) => ({
  id: o.id,
  name: o.name,
  slug: o.slug,
  suspended: o.suspended_at !== null,
  settings: o.settings,
  createdAt: o.created_at.toISOString(),
  role: role ?? null,
});

export function createOrgsRouter(deps: AuthDeps): Router {
  const { db } = deps;
  const router = Router();
  const auth = requireAuth(deps);
  const platformOnly = (req: Parameters<typeof authOf>[0]) => {
    if (!canPlatform(authOf(req).principal, 'platform.orgs'))
      throw new AppError(ErrorCode.FORBIDDEN, 'platform administrators only');
  };
  const load = async (id: string) => {
    const r = await db.query<OrgRow>('SELECT * FROM orgs WHERE id::text = $1', [id]);
    if (!r.rows[0]) throw new AppError(ErrorCode.NOT_FOUND, 'no such organization');
    return r.rows[0];
  };

  router.get('/api/orgs', auth, async (req, res) => {
    const { principal } = authOf(req);
    const all = canPlatform(principal, 'platform.orgs') || principal.platformRole === 'support';
    const rows = all
      ? await db.query<OrgRow>('SELECT * FROM orgs ORDER BY name')
      : await db.query<OrgRow>('SELECT * FROM orgs WHERE id = ANY($1::uuid[]) ORDER BY name', [
          Object.keys(principal.memberships),
        ]);
    res.json({ orgs: rows.rows.map((o) => view(o, principal.memberships[o.id])) });
  });

  router.post('/api/orgs', auth, async (req, res) => {
    platformOnly(req);
    const { name } = parseBody(z.object({ name: z.string().trim().min(1).max(120) }), req.body);
    const org = await createOrg(db, name);
    await auditFromRequest(db, req, { action: 'org.created', orgId: org.id, target: `org:${org.id}`, details: { name } });
    res.status(201).json(view(await load(org.id)));
  });

  router.patch('/api/orgs/:id', auth, async (req, res) => {
    const id = String(req.params.id);
    const body = parseBody(patchSchema, req.body);
    const { principal } = authOf(req);
    if (body.name !== undefined) platformOnly(req);
    if (body.settings && !can(principal, 'org.manage', { orgId: id }))
      throw new AppError(ErrorCode.FORBIDDEN, 'only an org admin changes its settings');
    const org = await load(id);
    if (body.name) await db.query('UPDATE orgs SET name = $2 WHERE id = $1', [id, body.name]);
    if (body.settings) await db.query('UPDATE orgs SET settings = $2 WHERE id = $1', [id, { ...org.settings, ...body.settings }]);
    await auditFromRequest(db, req, { action: 'org.updated', orgId: id, target: `org:${id}`, details: body });
    res.json(view(await load(id), principal.memberships[id]));
  });

  for (const [action, suspended] of [
    ['suspend', true],
    ['reactivate', false],
  ] as const) {
    router.post(`/api/orgs/:id/${action}`, auth, async (req, res) => {
      platformOnly(req);
      const id = String(req.params.id);
      await load(id);
      await db.query(`UPDATE orgs SET suspended_at = ${suspended ? 'now()' : 'NULL'} WHERE id = $1`, [id]);
      await notifyScopeChanged(db, { orgId: id });
      await auditFromRequest(db, req, {
        action: suspended ? 'org.suspended' : 'org.reactivated',
        orgId: id,
        target: `org:${id}`,
      });
      res.json(view(await load(id)));
    });
  }

  return router;
}
