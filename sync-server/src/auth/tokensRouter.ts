/** `POST/GET/DELETE /api/tokens`: scoped API tokens, plaintext shown once. */
import { Router } from 'express';
import { z } from 'zod';
import { can, ErrorCode, TOKEN_SCOPES } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { consume } from '../security/throttle.js';
import { createApiToken, listApiTokens, MAX_TOKEN_DAYS, revokeApiToken } from './apiTokens.js';
import type { AuthDeps } from './authenticate.js';
import { requireAuth, sessionOf } from './middleware.js';

const createSchema = z.object({
  name: z.string().trim().min(1).max(80),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(TOKEN_SCOPES.length),
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS),
  orgId: z.string().uuid().optional(),
  bridgeId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});

export function createTokensRouter(deps: AuthDeps): Router {
  const { db } = deps;
  const router = Router();
  const auth = requireAuth(deps);

  router.post('/api/tokens', auth, async (req, res) => {
    const me = sessionOf(req);
    await consume(db, [{ key: `tokens:${me.principal.userId}`, max: 20, windowSeconds: 3600 }]);
    const body = parseBody(createSchema, req.body);
    if (body.orgId && !me.principal.memberships[body.orgId])
      throw new AppError(ErrorCode.FORBIDDEN, 'you are not a member of that organization');
    if (
      (body.scopes.includes('bridge') || body.scopes.includes('admin')) &&
      !(body.orgId && can(me.principal, 'org.manage', { orgId: body.orgId }))
    ) {
      throw new AppError(ErrorCode.FORBIDDEN, 'bridge and admin tokens are created by an org admin for one organization');
    }
    const { token, record } = await createApiToken(db, { userId: me.principal.userId, ...body });
    await auditFromRequest(db, req, {
      action: 'token.created',
      target: `token:${record.id}`,
      orgId: body.orgId ?? null,
      details: { name: body.name, scopes: body.scopes },
    });
    res.status(201).json({ token, ...record });
  });

  router.get('/api/tokens', auth, async (req, res) => {
    res.json({ tokens: await listApiTokens(db, sessionOf(req).principal.userId) });
  });

  router.delete('/api/tokens/:id', auth, async (req, res) => {
    const me = sessionOf(req);
    if (!(await revokeApiToken(db, me.principal.userId, String(req.params.id))))
      throw new AppError(ErrorCode.NOT_FOUND, 'no such active token');
    await auditFromRequest(db, req, { action: 'token.revoked', target: `token:${req.params.id}` });
    res.status(204).end();
  });

  return router;
}
