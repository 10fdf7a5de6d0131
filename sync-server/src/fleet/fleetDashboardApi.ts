/** Fleet API: the dashboard (device, execution and deployment overview of an organization). */
import type { Router } from 'express';
import { DEVICE_ONLINE_SECONDS } from '@fleetsync/shared';
import { authOf } from '../auth/middleware.js';
import { withScope } from '../db/scope.js';
import { parseBody } from '../http/validate.js';
import { need, orgQuery, orgScope, type FleetApiContext } from './fleetApiCommon.js';
import { listDocs } from './fleetDocs.js';
import { loadGroups, subjectOf } from './groupMembership.js';
import { emptyCounts, isMember, PREDEFINED_GROUPS, type ExecutionState } from './sharedFleet.js';

/** Dashboard route. */
export function registerDashboardRoutes(router: Router, ctx: FleetApiContext): void {
  const { db, auth } = ctx;

  // --- dashboard ----------------------------------------------------------------------------
  router.get('/api/fleet/dashboard', auth, async (req, res) => {
    const { orgId } = parseBody(orgQuery, req.query);
    need(authOf(req).principal, 'devices.read', orgId);
    const out = await withScope(db, orgScope(orgId), async (c) => {
      const devices = await listDocs(c, 'devices', orgId);
      const now = Date.now();
      const online = devices.filter(
        (d) => now - (Date.parse(String(d.data.lastSeenAt ?? '')) || 0) <= DEVICE_ONLINE_SECONDS * 1000,
      ).length;
      const groups = await loadGroups(c, orgId);
      const predefined = PREDEFINED_GROUPS.map((g) => ({
        id: g.id,
        name: g.name,
        count: devices.filter((d) => isMember(g, subjectOf(d), now)).length,
      }));
      const states = await c.query<{ state: ExecutionState; n: number }>(
        "SELECT data->>'state' AS state, count(*)::int AS n FROM documents WHERE collection = 'tasks' AND org_id = $1 AND NOT deleted AND data->>'kind' = 'execution' GROUP BY 1",
        [orgId],
      );
      const executions = emptyCounts();
      for (const r of states.rows) executions[r.state] = r.n;
      const deps = await listDocs(c, 'deployments', orgId);
      return {
        devices: { total: devices.length, online, offline: devices.length - online, groups: groups.length, predefined },
        executions,
        deployments: deps.slice(-50).map((d) => ({
          id: d.id,
          name: d.data.name,
          state: d.data.state ?? 'pending',
          currentWave: d.data.currentWave ?? 0,
          waveCount: d.data.waveCount ?? 0,
          waves: d.data.waves ?? [],
        })),
      };
    });
    res.json(out);
  });
}
