/**
 * The endpoint-fleet part of the server, wired into the app with one line: the bridge-facing
 * agent protocol, the people-facing fleet API and depot, and the reconciler that turns new
 * tasks and deployments into executions whichever path they came by (it listens to the same
 * change notices as the live streams, so it hears writes made through any instance).
 */
import { Router } from 'express';
import type { Logger } from 'pino';
import type { AuthDeps } from '../auth/authenticate.js';
import type { StreamHub } from '../sync/streamHub.js';
import { createBridgeFleetRouter } from './bridgeFleetRouter.js';
import { createDepotRouter } from './depotRouter.js';
import { createFleetApiRouter } from './fleetApiRouter.js';
import { FleetReconciler } from './reconciler.js';
import { DeploymentDriver } from './rolloutService.js';

export interface FleetDeps extends AuthDeps {
  hub: StreamHub;
  log: Logger;
}

export function createFleetRouter(deps: FleetDeps): Router {
  const driver = new DeploymentDriver(deps.db, deps.log);
  const reconciler = new FleetReconciler(deps.db, deps.log, driver);
  deps.hub.subscribe((notice) => {
    if (notice.t === 'doc' && typeof notice.o === 'string' && typeof notice.c === 'string') reconciler.notice(notice.o, notice.c);
  });
  const router = Router();
  router.use(createBridgeFleetRouter({ ...deps, driver, poke: (orgId) => reconciler.poke(orgId) }));
  router.use(createFleetApiRouter({ ...deps, driver }));
  router.use(createDepotRouter(deps));
  return router;
}
