/**
 * The artifact depot: content-addressed uploads (the server checks the bytes hash to the
 * address), listing, and download for people who may read the catalog and for the org's
 * bridges (which cache artifacts so a site without internet still deploys).
 */
import { createHash } from 'node:crypto';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { can, ErrorCode } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import type { AuthDeps } from '../auth/authenticate.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';

export const MAX_ARTIFACT_BYTES = 512 * 1024 * 1024;
const shaParam = z.string().regex(/^[0-9a-f]{64}$/, 'an artifact is addressed by its lowercase sha256');
const uploadQuery = z.object({
  orgId: z.string().uuid(),
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^/\\]+$/, 'a plain file name'),
});

/** The org whose depot a request may use with `cap`: a bridge's own org, or an org the person has the capability in. */
function depotOrg(req: Request, cap: 'catalog.read' | 'catalog.create'): string {
  const { principal } = authOf(req);
  if (principal.bridgeId && cap === 'catalog.read') {
    const org = Object.keys(principal.memberships)[0];
    if (org) return org;
  }
  const orgId = parseBody(z.object({ orgId: z.string().uuid() }), { orgId: req.query.orgId }).orgId;
  if (!can(principal, cap, { orgId })) throw new AppError(ErrorCode.FORBIDDEN, `you need ${cap} in this organization`);
  return orgId;
}

export function createDepotRouter(deps: AuthDeps): Router {
  const { db } = deps;
  const router = Router();
  const auth = requireAuth(deps);
  const raw = express.raw({ type: () => true, limit: MAX_ARTIFACT_BYTES });

  router.put('/api/fleet/depot/:sha256', auth, raw, async (req, res) => {
    const sha = parseBody(shaParam, req.params.sha256);
    const q = parseBody(uploadQuery, req.query);
    const orgId = depotOrg(req, 'catalog.create');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const actual = createHash('sha256').update(body).digest('hex');
    if (actual !== sha)
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'the uploaded bytes do not hash to the address', { expected: sha, actual });
    const inserted = await withScope(db, { all: false, orgIds: [orgId] }, (c) =>
      c.query(
        `INSERT INTO depot_artifacts (org_id, sha256, size, file_name, content, created_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (org_id, sha256) DO NOTHING`,
        [orgId, sha, body.length, q.fileName, body, authOf(req).principal.userId],
      ),
    );
    if (inserted.rowCount)
      await auditFromRequest(db, req, {
        action: 'depot.uploaded',
        orgId,
        target: `depot:${sha}`,
        details: { size: body.length, fileName: q.fileName },
      });
    res.status(inserted.rowCount ? 201 : 200).json({ sha256: sha, size: body.length, fileName: q.fileName });
  });

  router.get('/api/fleet/depot', auth, async (req, res) => {
    const orgId = depotOrg(req, 'catalog.read');
    const rows = await withScope(db, { all: false, orgIds: [orgId] }, (c) =>
      c.query(
        'SELECT sha256, size, file_name AS "fileName", created_at AS "createdAt" FROM depot_artifacts WHERE org_id = $1 ORDER BY created_at DESC',
        [orgId],
      ),
    );
    res.json({ artifacts: rows.rows });
  });

  router.get('/api/fleet/depot/:sha256', auth, async (req, res) => {
    const sha = parseBody(shaParam, req.params.sha256);
    const orgId = depotOrg(req, 'catalog.read');
    const row = await withScope(db, { all: false, orgIds: [orgId] }, (c) =>
      c.query<{ content: Buffer; file_name: string }>(
        'SELECT content, file_name FROM depot_artifacts WHERE org_id = $1 AND sha256 = $2',
        [orgId, sha],
      ),
    );
    const a = row.rows[0];
    if (!a) throw new AppError(ErrorCode.NOT_FOUND, `no artifact ${sha}`);
    res.set('content-type', 'application/octet-stream');
    res.set('x-content-sha256', sha);
    res.set('content-disposition', `attachment; filename="${a.file_name.replace(/"/g, '')}"`);
    res.send(a.content);
  });

  return router;
}
