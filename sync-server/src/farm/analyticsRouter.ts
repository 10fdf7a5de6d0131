/**
 * `GET /api/analytics/summary?orgId&from&to`: failure rates by printer, material, model and
 * week; the most frequent errors (printers' active error codes and jobs' failure reasons); and
 * estimated-vs-actual print time per printer and per print profile. Needs `jobs.read`.
 * Jobs count in the window in which they finished (done or failed).
 */
import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '@fleetsync/shared';
import { authOf, requireAuth } from '../auth/middleware.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { orgFilter } from './access.js';
import { scoped, type FarmDeps } from './farmDeps.js';
import { summarizeFarm, type AnalyticsJob, type AnalyticsPrinter } from './sharedFarm.js';

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((s) => new Date(s));
const querySchema = z.object({ orgId: z.string().uuid().optional(), from: instant.optional(), to: instant.optional() });
const DEFAULT_DAYS = 90;

export function createAnalyticsRouter(deps: FarmDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);

  router.get('/api/analytics/summary', auth, async (req, res) => {
    const q = parseBody(querySchema, req.query);
    const { principal } = authOf(req);
    const orgs = orgFilter(principal, 'jobs.read', q.orgId);
    if (!orgs.all && orgs.orgIds.length === 0) throw new AppError(ErrorCode.FORBIDDEN, 'analytics need jobs.read');
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
    if (!(from < to)) throw new AppError(ErrorCode.VALIDATION_FAILED, '`from` must be before `to`');
    const summary = await scoped(deps, principal, async (c) => {
      const jobs = await c.query<{ data: AnalyticsJob }>(
        `SELECT data FROM documents
         WHERE collection = 'jobs' AND NOT deleted AND data->>'status' IN ('done', 'failed')
           AND ($1::boolean OR org_id = ANY($2::uuid[]))
           AND coalesce(data->>'completedAt', data->>'updatedAt') >= $3 AND coalesce(data->>'completedAt', data->>'updatedAt') < $4`,
        [orgs.all, orgs.orgIds, from.toISOString(), to.toISOString()],
      );
      const printers = await c.query<{ id: string; data: { name?: string; errors?: AnalyticsPrinter['errors'] } }>(
        `SELECT id, data FROM documents WHERE collection = 'printers' AND NOT deleted AND ($1::boolean OR org_id = ANY($2::uuid[]))`,
        [orgs.all, orgs.orgIds],
      );
      const names = async (table: 'models' | 'print_profiles') =>
        Object.fromEntries(
          (
            await c.query<{ id: string; name: string }>(
              `SELECT id::text, name FROM ${table} WHERE ($1::boolean OR org_id = ANY($2::uuid[]))`,
              [orgs.all, orgs.orgIds],
            )
          ).rows.map((r) => [r.id, r.name]),
        );
      return summarizeFarm({
        jobs: jobs.rows.map((r) => r.data),
        printers: printers.rows.map((p) => ({ id: p.id, name: p.data.name ?? p.id, errors: p.data.errors ?? [] })),
        modelNames: await names('models'),
        profileNames: await names('print_profiles'),
      });
    });
    res.json({ from: from.toISOString(), to: to.toISOString(), ...(orgs.all ? {} : { orgIds: orgs.orgIds }), ...summary });
  });

  return router;
}
