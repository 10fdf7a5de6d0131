/** Security settings: IP allowlists and "require MFA", instance-wide or per organization. */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { can, canPlatform, ErrorCode } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import type { AuthDeps } from '../auth/authenticate.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { ipAllowed, loadAllowlist, parseCidr, saveAllowlist } from './ipAllowlist.js';

const allowlistSchema = z.object({
  orgId: z.string().uuid().optional(),
  cidrs: z.array(z.string().max(50)).max(200),
  mode: z.enum(['all', 'api']).default('all'),
  loopbackBypass: z.boolean().default(true),
});
const requireMfaSchema = z.object({ orgId: z.string().uuid().optional(), enabled: z.boolean() });

/** Instance settings need a platform admin; an org's settings need that org's admin. */
function scopeFor(req: Request, orgId: string | undefined): string {
  const { principal } = authOf(req);
  if (orgId) {
    if (!can(principal, 'org.manage', { orgId }))
      throw new AppError(ErrorCode.FORBIDDEN, 'only an admin of that organization may change its security settings');
    return orgId;
  }
  if (!canPlatform(principal, 'platform.config'))
    throw new AppError(ErrorCode.FORBIDDEN, 'only platform administrators change instance-wide settings');
  return 'instance';
}

export function createConfigRouter(deps: AuthDeps & { onAllowlistChanged: () => void }): Router {
  const { db } = deps;
  const router = Router();
  const auth = requireAuth(deps);

  router.get('/api/config/ip-allowlist', auth, async (req, res) => {
    const scope = scopeFor(req, typeof req.query.orgId === 'string' ? req.query.orgId : undefined);
    res.json({ scope, ...(await loadAllowlist(db, scope)), yourIp: req.ip });
  });

  router.put('/api/config/ip-allowlist', auth, async (req, res) => {
    const body = parseBody(allowlistSchema, req.body);
    const scope = scopeFor(req, body.orgId);
    const cidrs = [...new Set(body.cidrs.map((c) => c.trim()).filter(Boolean))];
    cidrs.forEach(parseCidr); // throws VALIDATION_FAILED with the offending entry
    const settings = { cidrs, mode: body.mode, loopbackBypass: body.loopbackBypass };
    // Lock-out protection: the caller's own address must stay allowed (for API-only lists, when
    // the caller itself uses an API token).
    const callerAffected = settings.mode === 'all' || authOf(req).kind === 'token';
    if (callerAffected && !ipAllowed(settings, req.ip ?? '')) {
      throw new AppError(ErrorCode.LOCKOUT_PREVENTED, `this list would lock you out: your address ${req.ip} is not in it`, {
        yourIp: req.ip,
      });
    }
    await saveAllowlist(db, scope, settings);
    deps.onAllowlistChanged();
    await auditFromRequest(db, req, {
      action: 'config.ip_allowlist_changed',
      orgId: body.orgId ?? null,
      target: `settings:${scope}`,
      details: settings,
    });
    res.json({ scope, ...settings });
  });

  router.get('/api/config/require-mfa', auth, async (req, res) => {
    const scope = scopeFor(req, typeof req.query.orgId === 'string' ? req.query.orgId : undefined);
    const row = (await db.query<{ require_mfa: boolean }>('SELECT require_mfa FROM security_settings WHERE scope = $1', [scope]))
      .rows[0];
    res.json({ scope, enabled: row?.require_mfa ?? false });
  });

  router.put('/api/config/require-mfa', auth, async (req, res) => {
    const body = parseBody(requireMfaSchema, req.body);
    const scope = scopeFor(req, body.orgId);
    await db.query(
      `INSERT INTO security_settings (scope, require_mfa) VALUES ($1, $2)
       ON CONFLICT (scope) DO UPDATE SET require_mfa = $2, updated_at = now()`,
      [scope, body.enabled],
    );
    await auditFromRequest(db, req, {
      action: 'config.require_mfa_changed',
      orgId: body.orgId ?? null,
      target: `settings:${scope}`,
      details: { enabled: body.enabled },
    });
    res.json({ scope, enabled: body.enabled });
  });

  return router;
}
