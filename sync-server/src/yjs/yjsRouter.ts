import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '@fleetsync/shared';
import type { AuthDeps } from '../auth/authenticate.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { issueTicket } from './tickets.js';
import { authorizeRoom } from './yjsHub.js';

/** `POST /api/yjs/tickets { room }`: a single-use, 30-second ticket to open one Yjs socket. */
export function createYjsRouter(deps: AuthDeps): Router {
  const router = Router();
  router.post('/api/yjs/tickets', requireAuth(deps), async (req, res) => {
    const { room } = parseBody(z.object({ room: z.string().min(3).max(120) }), req.body);
    const auth = authOf(req);
    const access = await authorizeRoom(deps.db, auth.principal, room);
    if (!access) throw new AppError(ErrorCode.FORBIDDEN, 'you may not open notes of that document');
    const claims = { room, sub: auth.principal.userId, ...(auth.sessionId ? { sid: auth.sessionId } : { tok: auth.tokenId }) };
    res.json({ ...issueTicket(deps.policy.keys.signing, claims), readOnly: !access.canWrite });
  });
  return router;
}
