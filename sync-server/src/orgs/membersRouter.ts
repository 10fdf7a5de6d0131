/** Members of an org: roles, per-user grants and denials, removal, invitations. */
import { createHash, randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { can, CAPABILITIES, checkPassword, ErrorCode, newId, ORG_ROLES, type Capability } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import type { AuthDeps } from '../auth/authenticate.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { createUser, findUserByEmail } from '../identity/identityRepo.js';
import { withTransaction } from '../db/pool.js';
import { notifyScopeChanged } from './scopeNotices.js';

const capList = z.array(z.enum(CAPABILITIES as [Capability, ...Capability[]])).max(CAPABILITIES.length);
const memberSchema = z.object({ role: z.enum(ORG_ROLES), grants: capList.default([]), denials: capList.default([]) }).strict();
const inviteSchema = z.object({
  email: z.email().max(254),
  role: z.enum(ORG_ROLES),
  expiresInHours: z.number().int().min(1).max(720).default(72),
});
const acceptSchema = z.object({
  token: z.string().min(10).max(200),
  displayName: z.string().trim().min(1).max(80).optional(),
  password: z.string().max(1024).optional(),
});

const hashInvite = (token: string) => createHash('sha256').update(token).digest('hex');

export function createMembersRouter(deps: AuthDeps): Router {
  const { db } = deps;
  const router = Router();
  const auth = requireAuth(deps);
  const manage = (req: Parameters<typeof authOf>[0], orgId: string) => {
    if (!can(authOf(req).principal, 'members.manage', { orgId }))
      throw new AppError(ErrorCode.FORBIDDEN, 'only an admin of this organization manages its members');
  };
  const adminsLeft = async (orgId: string, excluding: string) =>
    (
      await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM memberships WHERE org_id = $1 AND role = 'admin' AND user_id <> $2",
        [orgId, excluding],
      )
    ).rows[0]!.n;

  router.get('/api/orgs/:id/members', auth, async (req, res) => {
    const orgId = String(req.params.id);
    manage(req, orgId);
    const rows = await db.query(
      `SELECT u.id, u.email, u.display_name AS "displayName", m.role, m.grants, m.denials, m.created_at AS "joinedAt"
       FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 ORDER BY u.email`,
      [orgId],
    );
    res.json({ members: rows.rows });
  });

  router.put('/api/orgs/:id/members/:userId', auth, async (req, res) => {
    const orgId = String(req.params.id);
    const userId = String(req.params.userId);
    manage(req, orgId);
    const body = parseBody(memberSchema, req.body);
    const current = await db.query<{ role: string }>('SELECT role FROM memberships WHERE org_id = $1 AND user_id::text = $2', [
      orgId,
      userId,
    ]);
    if (!current.rows[0]) throw new AppError(ErrorCode.NOT_FOUND, 'not a member; invite them instead');
    if (current.rows[0].role === 'admin' && body.role !== 'admin' && (await adminsLeft(orgId, userId)) === 0) {
      throw new AppError(ErrorCode.CONFLICT, 'an organization needs at least one admin');
    }
    await db.query('UPDATE memberships SET role = $3, grants = $4, denials = $5 WHERE org_id = $1 AND user_id = $2', [
      orgId,
      userId,
      body.role,
      body.grants,
      body.denials,
    ]);
    await notifyScopeChanged(db, { userId });
    await auditFromRequest(db, req, { action: 'member.changed', orgId, target: `user:${userId}`, details: body });
    res.json({ userId, ...body });
  });

  router.delete('/api/orgs/:id/members/:userId', auth, async (req, res) => {
    const orgId = String(req.params.id);
    const userId = String(req.params.userId);
    manage(req, orgId);
    if ((await adminsLeft(orgId, userId)) === 0)
      throw new AppError(ErrorCode.CONFLICT, 'an organization needs at least one admin');
    const r = await db.query('DELETE FROM memberships WHERE org_id = $1 AND user_id::text = $2', [orgId, userId]);
    if ((r.rowCount ?? 0) === 0) throw new AppError(ErrorCode.NOT_FOUND, 'not a member');
    // Their tokens bound to this org die with the membership.
    await db.query('UPDATE api_tokens SET revoked_at = now() WHERE user_id::text = $1 AND org_id = $2 AND revoked_at IS NULL', [
      userId,
      orgId,
    ]);
    await notifyScopeChanged(db, { userId });
    await auditFromRequest(db, req, { action: 'member.removed', orgId, target: `user:${userId}` });
    res.status(204).end();
  });

  router.post('/api/orgs/:id/invitations', auth, async (req, res) => {
    const orgId = String(req.params.id);
    manage(req, orgId);
    const body = parseBody(inviteSchema, req.body);
    const token = `fsi_${randomBytes(24).toString('base64url')}`;
    const id = newId();
    const r = await db.query<{ expires_at: Date }>(
      `INSERT INTO invitations (id, org_id, email, role, token_hash, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7)) RETURNING expires_at`,
      [id, orgId, body.email.toLowerCase(), body.role, hashInvite(token), authOf(req).principal.userId, body.expiresInHours],
    );
    await auditFromRequest(db, req, {
      action: 'invitation.created',
      orgId,
      target: `invitation:${id}`,
      details: { email: body.email, role: body.role },
    });
    res.status(201).json({
      id,
      email: body.email.toLowerCase(),
      role: body.role,
      link: `/#/invite/${token}`,
      token,
      expiresAt: r.rows[0]!.expires_at.toISOString(),
    });
  });

  router.get('/api/orgs/:id/invitations', auth, async (req, res) => {
    const orgId = String(req.params.id);
    manage(req, orgId);
    const rows = await db.query(
      `SELECT id, email, role, created_at AS "createdAt", expires_at AS "expiresAt", accepted_at AS "acceptedAt"
       FROM invitations WHERE org_id = $1 ORDER BY created_at DESC`,
      [orgId],
    );
    res.json({ invitations: rows.rows });
  });

  /** Accepting needs the link; a new account is created when the email has none yet. */
  router.post('/api/invitations/accept', async (req, res) => {
    const body = parseBody(acceptSchema, req.body);
    const invalid = () => new AppError(ErrorCode.INVITATION_INVALID, 'this invitation link is invalid, expired or already used');
    const found = await db.query<{ id: string; email: string }>(
      'SELECT id, email FROM invitations WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()',
      [hashInvite(body.token)],
    );
    if (!found.rows[0]) throw invalid();
    let user = await findUserByEmail(db, found.rows[0].email);
    // Check a new account's password before the link is used up.
    if (!user) {
      if (!body.password) throw new AppError(ErrorCode.VALIDATION_FAILED, 'choose a password to create your account');
      const check = checkPassword(body.password, { email: found.rows[0].email });
      if (!check.ok)
        throw new AppError(ErrorCode.PASSWORD_POLICY, 'the password does not meet the password policy', {
          problems: check.problems,
        });
    }
    const outcome = await withTransaction(db, async (c) => {
      const r = await c.query<{ id: string; org_id: string; email: string; role: string }>(
        `UPDATE invitations SET accepted_at = now()
         WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now() RETURNING id, org_id, email, role`,
        [hashInvite(body.token)],
      );
      return r.rows[0] ?? null;
    });
    if (!outcome) throw invalid();
    if (!user) {
      await createUser(db, { email: outcome.email, displayName: body.displayName, password: body.password! });
      user = await findUserByEmail(db, outcome.email);
    }
    await db.query(
      `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (org_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
      [outcome.org_id, user!.id, outcome.role],
    );
    await db.query('UPDATE invitations SET accepted_by = $2 WHERE id = $1', [outcome.id, user!.id]);
    await notifyScopeChanged(db, { userId: user!.id });
    await auditFromRequest(db, req, {
      actorId: user!.id,
      actorLabel: outcome.email,
      action: 'invitation.accepted',
      orgId: outcome.org_id,
      target: `invitation:${outcome.id}`,
    });
    res.json({ orgId: outcome.org_id, role: outcome.role, email: outcome.email });
  });

  return router;
}
