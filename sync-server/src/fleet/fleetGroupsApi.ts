/** Fleet API: predefined groups, rule preview and group members. */
import type { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '@fleetsync/shared';
import { authOf } from '../auth/middleware.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { need, orgQuery, orgScope, type FleetApiContext } from './fleetApiCommon.js';
import { listDocs, type FleetDoc } from './fleetDocs.js';
import { findGroup, loadGroups, subjectOf } from './groupMembership.js';
import { evaluateRule, groupRuleSchema, isMember, PREDEFINED_GROUPS, ruleProblems } from './sharedFleet.js';

const previewSchema = z
  .object({ orgId: z.string().uuid(), rule: groupRuleSchema, limit: z.number().int().min(1).max(1000).default(200) })
  .strict();

/** Group routes. */
export function registerGroupRoutes(router: Router, ctx: FleetApiContext): void {
  const { db, auth, readable } = ctx;

  // --- groups -------------------------------------------------------------------------------
  const brief = (d: FleetDoc) => ({
    id: d.id,
    name: d.data.name,
    hostname: (d.data.inventory as { hostname?: string } | undefined)?.hostname ?? null,
  });

  router.get('/api/fleet/groups/predefined', auth, (_req, res) => {
    res.json({ groups: PREDEFINED_GROUPS.map((g) => ({ id: g.id, name: g.name, description: g.description, rule: g.rule })) });
  });

  router.post('/api/fleet/groups/preview', auth, async (req, res) => {
    const body = parseBody(previewSchema, req.body);
    need(authOf(req).principal, 'devices.read', body.orgId);
    const problems = ruleProblems(body.rule);
    if (problems.length > 0) throw new AppError(ErrorCode.VALIDATION_FAILED, 'the rule cannot be evaluated', problems);
    const devices = await withScope(db, orgScope(body.orgId), (c) => listDocs(c, 'devices', body.orgId));
    const now = Date.now();
    const matches = devices.filter((d) => evaluateRule(body.rule, subjectOf(d), now));
    res.json({ count: matches.length, devices: matches.slice(0, body.limit).map(brief) });
  });

  router.get('/api/fleet/groups/:id/members', auth, async (req, res) => {
    const id = String(req.params.id);
    let orgId: string;
    if (id.startsWith('builtin:')) orgId = parseBody(orgQuery, req.query).orgId;
    else orgId = (await readable(req, 'deviceGroups', id)).orgId;
    need(authOf(req).principal, 'devices.read', orgId);
    const { devices, group } = await withScope(db, orgScope(orgId), async (c) => ({
      devices: await listDocs(c, 'devices', orgId),
      group: findGroup(await loadGroups(c, orgId), id),
    }));
    if (!group) throw new AppError(ErrorCode.NOT_FOUND, `no group ${id}`);
    const now = Date.now();
    const members = devices.filter((d) => isMember(group, subjectOf(d), now));
    res.json({ groupId: id, count: members.length, devices: members.map(brief) });
  });
}
