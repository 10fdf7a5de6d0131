/**
 * Compatibility guardrail endpoints. `GET /api/jobs/:id/compatibility?printerId=` tells the UI
 * whether a job may run on a printer (and why not); `GET /api/printers/:id/next-job` is the
 * device bridge's auto-queue question: the highest-priority, oldest queued job aimed at this
 * printer (or at any printer) that passes the guardrail with what is loaded now.
 */
import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '@fleetsync/shared';
import type { PrintFileMetadata } from '@fleetsync/shared/metadata';
import { authOf, requireAuth } from '../auth/middleware.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { toWire } from '../sync/documentStore.js';
import { notFound, requireCan } from './access.js';
import { scoped, type FarmDeps } from './farmDeps.js';
import { jobRequirements, loadedFilaments, printerForCompatibility, readDoc, storedOf } from './farmDocs.js';
import { checkCompatibility, type CompatibilityReason } from './sharedFarm.js';

const CANDIDATE_LIMIT = 200;

export function createCompatibilityRouter(deps: FarmDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);

  router.get('/api/jobs/:id/compatibility', auth, async (req, res) => {
    const q = parseBody(z.object({ printerId: z.string().min(1).max(64).optional() }), req.query);
    const { principal } = authOf(req);
    const out = await scoped(deps, principal, async (c) => {
      const job = await readDoc(c, principal, 'jobs', String(req.params.id));
      if (!job) throw notFound(`job ${String(req.params.id)}`);
      const printerId = q.printerId ?? (typeof job.data.printerId === 'string' ? job.data.printerId : undefined);
      if (!printerId)
        throw new AppError(ErrorCode.VALIDATION_FAILED, 'name a printer (printerId): this job is not assigned to one');
      const printer = await readDoc(c, principal, 'printers', printerId);
      if (!printer) throw notFound(`printer ${printerId}`);
      const requirements = await jobRequirements(c, job);
      const loaded = await loadedFilaments(c, printer);
      const result = checkCompatibility(printerForCompatibility(printer), requirements, loaded);
      return { jobId: job.id, printerId, ...result, requirements, loaded: loaded ?? null };
    });
    res.json(out);
  });

  router.get('/api/printers/:id/next-job', auth, async (req, res) => {
    const { principal } = authOf(req);
    const out = await scoped(deps, principal, async (c) => {
      const printer = await readDoc(c, principal, 'printers', String(req.params.id));
      if (!printer) throw notFound(`printer ${String(req.params.id)}`);
      requireCan(principal, 'jobs.read', printer.orgId, 'you may not read the jobs of this printer');
      const candidates = await c.query(
        `SELECT id, org_id, data, deleted, seq FROM documents
         WHERE collection = 'jobs' AND org_id = $1 AND NOT deleted AND data->>'status' = 'queued'
           AND (data->>'printerId' = $2 OR data->>'printerId' IS NULL)
         ORDER BY (data->>'priority')::int DESC, data->>'createdAt' ASC, id
         LIMIT ${CANDIDATE_LIMIT}`,
        [printer.orgId, printer.id],
      );
      const target = printerForCompatibility(printer);
      const loaded = await loadedFilaments(c, printer);
      const cache = new Map<string, PrintFileMetadata | null>();
      const skipped: { jobId: string; reasons: CompatibilityReason[] }[] = [];
      for (const row of candidates.rows) {
        const job = storedOf(row);
        const result = checkCompatibility(target, await jobRequirements(c, job, cache), loaded);
        if (result.ok) return { printerId: printer.id, job: toWire(job), skipped };
        skipped.push({ jobId: job.id, reasons: result.reasons });
      }
      return { printerId: printer.id, job: null, skipped };
    });
    res.json(out);
  });

  return router;
}
