/**
 * The print-farm API, mounted once by the app: models and revisions, print profiles, the
 * compatibility guardrail and auto-queue query, quotas, chargeback reports, bulk operations and
 * analytics. The push-pipeline hooks (quota on create, cost and spool on completion) live in
 * quotaService.ts, jobStamps.ts and completionEffects.ts.
 */
import { Router } from 'express';
import { createAnalyticsRouter } from './analyticsRouter.js';
import { createBulkRouter } from './bulkRouter.js';
import { createCompatibilityRouter } from './compatibilityRouter.js';
import type { FarmDeps } from './farmDeps.js';
import { createModelsRouter } from './modelsRouter.js';
import { createProfilesRouter } from './profilesRouter.js';
import { createQuotasRouter } from './quotasRouter.js';
import { createReportsRouter } from './reportsRouter.js';

export type { FarmDeps };

export function createFarmRouter(deps: FarmDeps): Router {
  const router = Router();
  router.use(createModelsRouter(deps));
  router.use(createProfilesRouter(deps));
  router.use(createCompatibilityRouter(deps));
  router.use(createQuotasRouter(deps));
  router.use(createReportsRouter(deps));
  router.use(createBulkRouter(deps));
  router.use(createAnalyticsRouter(deps));
  return router;
}
