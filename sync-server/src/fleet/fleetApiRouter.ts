/**
 * The fleet API for people and the PWA: enrollment secrets, device history and revocation,
 * group preview and members, task and deployment status (counts per state and per wave),
 * pause / resume / rollback, cancel, on-demand installs of available software, a dashboard.
 * Documents themselves (devices, groups, tasks, deployments, catalog) are read and written
 * through sync and the generic REST collections API, under the same write rules.
 */
import { Router } from 'express';
import type { AuthDeps } from '../auth/authenticate.js';
import { requireAuth } from '../auth/middleware.js';
import { makeReadable, type FleetApiContext } from './fleetApiCommon.js';
import { registerDashboardRoutes } from './fleetDashboardApi.js';
import { registerDeploymentRoutes } from './fleetDeploymentsApi.js';
import { registerEnrollmentRoutes } from './fleetEnrollmentApi.js';
import { registerGroupRoutes } from './fleetGroupsApi.js';
import { registerTaskRoutes } from './fleetTasksApi.js';
import type { DeploymentDriver } from './rolloutService.js';

export function createFleetApiRouter(deps: AuthDeps & { driver: DeploymentDriver }): Router {
  const { db, driver } = deps;
  const router = Router();
  const ctx: FleetApiContext = { db, driver, auth: requireAuth(deps), readable: makeReadable(db) };

  // Registered on this one router, in this order (route order matters).
  registerEnrollmentRoutes(router, ctx);
  registerGroupRoutes(router, ctx);
  registerTaskRoutes(router, ctx);
  registerDeploymentRoutes(router, ctx);
  registerDashboardRoutes(router, ctx);

  return router;
}
