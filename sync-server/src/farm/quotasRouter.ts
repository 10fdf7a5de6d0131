/**
 * Quota endpoints. Members read their own quotas (`GET /api/quotas`); org admins
 * (`members.manage`) read everyone's and set limits per member and per group of members.
 */
import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode, type Principal } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import type { DbClient } from '../db/pool.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { notFound, orgFilter, requireCan } from './access.js';
import { scoped, type FarmDeps } from './farmDeps.js';
import { quotaRules, quotaStatus, type QuotaRule } from './quotaService.js';
import { quotaLimitsSchema } from './sharedFarm.js';

const orgQuery = z.object({ orgId: z.string().uuid().optional() });
const userQuotaSchema = quotaLimitsSchema.extend({ orgId: z.string().uuid() });
const groupQuotaSchema = quotaLimitsSchema.extend({
  orgId: z.string().uuid(),
  name: z.string().trim().min(1).max(120),
  memberIds: z.array(z.string().uuid()).max(5000),
});
const uuidParam = z.string().uuid();

async function view(c: DbClient, rule: QuotaRule, now: Date, people?: Map<string, { email: string; displayName: string }>) {
  const status = await quotaStatus(c, rule, now);
  const person = rule.scope === 'user' ? people?.get(rule.subjectId) : undefined;
  return {
    orgId: rule.orgId,
    scope: rule.scope,
    ...(rule.scope === 'user'
      ? { userId: rule.subjectId, ...(person ? { email: person.email, displayName: person.displayName } : {}) }
      : { groupId: rule.subjectId, name: rule.name, memberIds: rule.memberIds }),
    period: rule.limits.period,
    limits: { grams: rule.limits.maxGrams, hours: rule.limits.maxHours, jobs: rule.limits.maxJobs },
    ...status,
  };
}

async function peopleOf(c: DbClient, ids: string[]): Promise<Map<string, { email: string; displayName: string }>> {
  if (ids.length === 0) return new Map();
  const r = await c.query<{ id: string; email: string; display_name: string }>(
    'SELECT id::text, email, display_name FROM users WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(r.rows.map((u) => [u.id, { email: u.email, displayName: u.display_name }]));
}

async function requireMembers(c: DbClient, orgId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const r = await c.query<{ user_id: string }>(
    'SELECT user_id::text FROM memberships WHERE org_id = $1 AND user_id = ANY($2::uuid[])',
    [orgId, userIds],
  );
  const found = new Set(r.rows.map((m) => m.user_id));
  const missing = userIds.filter((u) => !found.has(u));
  if (missing.length > 0) throw new AppError(ErrorCode.VALIDATION_FAILED, 'not members of this organization', { missing });
}

export function createQuotasRouter(deps: FarmDeps): Router {
  const { db } = deps;
  const router = Router();
  const auth = requireAuth(deps);

  const adminOrgs = (principal: Principal, orgId?: string) => {
    const orgs = orgFilter(principal, 'members.manage', orgId);
    if (!orgs.all && orgs.orgIds.length === 0) throw new AppError(ErrorCode.FORBIDDEN, 'only org admins manage quotas');
    return orgs;
  };

  router.get('/api/quotas', auth, async (req, res) => {
    const { orgId } = parseBody(orgQuery, req.query);
    const { principal } = authOf(req);
    const orgIds = orgId ? [orgId] : Object.keys(principal.memberships);
    if (orgId && !principal.memberships[orgId])
      throw new AppError(ErrorCode.FORBIDDEN, 'you are not a member of this organization');
    const now = new Date();
    const quotas = await scoped(deps, principal, async (c) => {
      const rules = await quotaRules(c, orgIds, principal.userId);
      return Promise.all(rules.map((r) => view(c, r, now)));
    });
    res.json({ quotas });
  });

  router.get('/api/admin/quotas', auth, async (req, res) => {
    const { orgId } = parseBody(orgQuery, req.query);
    const { principal } = authOf(req);
    const orgs = adminOrgs(principal, orgId);
    const now = new Date();
    const out = await scoped(deps, principal, async (c) => {
      const orgIds = orgs.all ? (await c.query<{ id: string }>('SELECT id::text FROM orgs')).rows.map((o) => o.id) : orgs.orgIds;
      const rules = await quotaRules(c, orgIds, null);
      const people = await peopleOf(
        c,
        rules.filter((r) => r.scope === 'user').map((r) => r.subjectId),
      );
      const views = [];
      for (const r of rules) views.push(await view(c, r, now, people));
      return views;
    });
    res.json({ users: out.filter((q) => q.scope === 'user'), groups: out.filter((q) => q.scope === 'group') });
  });

  router.put('/api/admin/quotas/group/:groupId', auth, async (req, res) => {
    const groupId = parseBody(uuidParam, req.params.groupId);
    const body = parseBody(groupQuotaSchema, req.body);
    const { principal } = authOf(req);
    requireCan(principal, 'members.manage', body.orgId, 'only org admins manage quotas');
    const members = [...new Set(body.memberIds)];
    const result = await scoped(deps, principal, async (c) => {
      await requireMembers(c, body.orgId, members);
      const existing = await c.query<{ org_id: string }>('SELECT org_id::text FROM quota_groups WHERE id = $1', [groupId]);
      if (existing.rows[0] && existing.rows[0].org_id !== body.orgId) throw notFound(`quota group ${groupId}`);
      await c
        .query(
          `INSERT INTO quota_groups (id, org_id, name, member_ids, period, max_grams, max_hours, max_jobs) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (id) DO UPDATE SET name = $3, member_ids = $4, period = $5, max_grams = $6, max_hours = $7, max_jobs = $8, updated_at = now()`,
          [groupId, body.orgId, body.name, members, body.period, body.maxGrams, body.maxHours, body.maxJobs],
        )
        .catch((err: { code?: string }) => {
          // The id belongs to a group of another organization (hidden by row-level security).
          throw err.code === '42501' ? notFound(`quota group ${groupId}`) : err;
        });
      const rule = (await quotaRules(c, [body.orgId], null)).find((r) => r.scope === 'group' && r.subjectId === groupId);
      return { created: !existing.rows[0], view: await view(c, rule!, new Date()) };
    });
    await auditFromRequest(db, req, {
      action: 'quota.group.set',
      orgId: body.orgId,
      target: `quota-group:${groupId}`,
      details: {
        name: body.name,
        members: members.length,
        period: body.period,
        maxGrams: body.maxGrams,
        maxHours: body.maxHours,
        maxJobs: body.maxJobs,
      },
    });
    res.status(result.created ? 201 : 200).json(result.view);
  });

  router.delete('/api/admin/quotas/group/:groupId', auth, async (req, res) => {
    const groupId = parseBody(uuidParam, req.params.groupId);
    const { principal } = authOf(req);
    const orgId = await scoped(deps, principal, async (c) => {
      const g = (await c.query<{ org_id: string }>('SELECT org_id::text FROM quota_groups WHERE id = $1', [groupId])).rows[0];
      if (!g) throw notFound(`quota group ${groupId}`);
      requireCan(principal, 'members.manage', g.org_id, 'only org admins manage quotas');
      await c.query('DELETE FROM quota_groups WHERE id = $1', [groupId]);
      return g.org_id;
    });
    await auditFromRequest(db, req, { action: 'quota.group.deleted', orgId, target: `quota-group:${groupId}` });
    res.status(204).end();
  });

  router.put('/api/admin/quotas/:userId', auth, async (req, res) => {
    const userId = parseBody(uuidParam, req.params.userId);
    const body = parseBody(userQuotaSchema, req.body);
    const { principal } = authOf(req);
    requireCan(principal, 'members.manage', body.orgId, 'only org admins manage quotas');
    const result = await scoped(deps, principal, async (c) => {
      await requireMembers(c, body.orgId, [userId]);
      const r = await c.query<{ inserted: boolean }>(
        `INSERT INTO quota_limits (org_id, user_id, period, max_grams, max_hours, max_jobs) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (org_id, user_id) DO UPDATE SET period = $3, max_grams = $4, max_hours = $5, max_jobs = $6, updated_at = now()
         RETURNING (xmax = 0) AS inserted`,
        [body.orgId, userId, body.period, body.maxGrams, body.maxHours, body.maxJobs],
      );
      const [rule] = (await quotaRules(c, [body.orgId], userId)).filter((q) => q.scope === 'user');
      return { created: r.rows[0]?.inserted === true, view: await view(c, rule!, new Date(), await peopleOf(c, [userId])) };
    });
    await auditFromRequest(db, req, {
      action: 'quota.user.set',
      orgId: body.orgId,
      target: `user:${userId}`,
      details: { period: body.period, maxGrams: body.maxGrams, maxHours: body.maxHours, maxJobs: body.maxJobs },
    });
    res.status(result.created ? 201 : 200).json(result.view);
  });

  router.delete('/api/admin/quotas/:userId', auth, async (req, res) => {
    const userId = parseBody(uuidParam, req.params.userId);
    const { orgId } = parseBody(z.object({ orgId: z.string().uuid() }), req.query);
    const { principal } = authOf(req);
    requireCan(principal, 'members.manage', orgId, 'only org admins manage quotas');
    const deleted = await scoped(deps, principal, (c) =>
      c.query('DELETE FROM quota_limits WHERE org_id = $1 AND user_id = $2', [orgId, userId]),
    );
    if (deleted.rowCount === 0) throw notFound('quota for this member');
    await auditFromRequest(db, req, { action: 'quota.user.deleted', orgId, target: `user:${userId}` });
    res.status(204).end();
  });

  return router;
}
