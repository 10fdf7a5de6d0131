/** Fleet API: enrollment secrets, device history and revocation. */
import type { Router } from 'express';
import { z } from 'zod';
import { ErrorCode, newId } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import { authOf } from '../auth/middleware.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { newEnrollmentSecret, secretHash } from './agentSecrets.js';
import { need, orgQuery, orgScope, type FleetApiContext } from './fleetApiCommon.js';

const secretSchema = z
  .object({
    orgId: z.string().uuid(),
    label: z.string().trim().max(120).default(''),
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(24),
    bridgeId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  })
  .strict();
const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional(),
});

/** Enrollment secrets and device routes. */
export function registerEnrollmentRoutes(router: Router, ctx: FleetApiContext): void {
  const { db, auth, readable } = ctx;

  // --- enrollment ---------------------------------------------------------------------------
  router.post('/api/fleet/enrollment-secrets', auth, async (req, res) => {
    const body = parseBody(secretSchema, req.body);
    need(authOf(req).principal, 'devices.create', body.orgId);
    const secret = newEnrollmentSecret();
    const id = newId();
    const row = await withScope(db, orgScope(body.orgId), (c) =>
      c.query<{ expires_at: Date }>(
        `INSERT INTO agent_enrollment_secrets (id, org_id, secret_hash, label, bridge_id, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7)) RETURNING expires_at`,
        [
          id,
          body.orgId,
          secretHash(secret),
          body.label,
          body.bridgeId ?? null,
          authOf(req).principal.userId,
          body.expiresInHours,
        ],
      ),
    );
    await auditFromRequest(db, req, {
      action: 'agent.enrollment_secret_created',
      orgId: body.orgId,
      target: `enrollment:${id}`,
      details: { label: body.label, bridgeId: body.bridgeId ?? null },
    });
    // Shown once: only its SHA-256 is stored.
    res
      .status(201)
      .json({ id, secret, label: body.label, bridgeId: body.bridgeId ?? null, expiresAt: row.rows[0]!.expires_at.toISOString() });
  });

  router.get('/api/fleet/enrollment-secrets', auth, async (req, res) => {
    const { orgId } = parseBody(orgQuery, req.query);
    need(authOf(req).principal, 'devices.create', orgId);
    const rows = await withScope(db, orgScope(orgId), (c) =>
      c.query(
        `SELECT id, label, bridge_id AS "bridgeId", created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt", used_by_device AS "usedByDevice"
         FROM agent_enrollment_secrets WHERE org_id = $1 ORDER BY created_at DESC LIMIT 200`,
        [orgId],
      ),
    );
    res.json({ secrets: rows.rows });
  });

  router.delete('/api/fleet/enrollment-secrets/:id', auth, async (req, res) => {
    const { principal } = authOf(req);
    const id = parseBody(z.string().uuid(), req.params.id);
    const found = await withScope(db, { all: false, orgIds: Object.keys(principal.memberships) }, (c) =>
      c.query<{ org_id: string }>('SELECT org_id FROM agent_enrollment_secrets WHERE id = $1', [id]),
    );
    const orgId = found.rows[0]?.org_id;
    if (!orgId) throw new AppError(ErrorCode.NOT_FOUND, 'no such enrollment secret');
    need(principal, 'devices.create', orgId);
    await withScope(db, orgScope(orgId), (c) =>
      c.query('UPDATE agent_enrollment_secrets SET expires_at = least(expires_at, now()) WHERE id = $1', [id]),
    );
    await auditFromRequest(db, req, { action: 'agent.enrollment_secret_revoked', orgId, target: `enrollment:${id}` });
    res.status(204).end();
  });

  // --- devices ------------------------------------------------------------------------------
  router.get('/api/devices/:id/history', auth, async (req, res) => {
    const device = await readable(req, 'devices', String(req.params.id));
    const q = parseBody(historyQuery, req.query);
    const rows = await withScope(db, orgScope(device.orgId), (c) =>
      c.query<{ id: number; at: Date; inventory_hash: string; changes: unknown }>(
        `SELECT id, at, inventory_hash, changes FROM device_inventory_history
         WHERE org_id = $1 AND device_id = $2 AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
        [device.orgId, device.id, q.before ?? null, q.limit],
      ),
    );
    const entries = rows.rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      inventoryHash: r.inventory_hash,
      changes: r.changes,
    }));
    res.json({ deviceId: device.id, entries, next: entries.length === q.limit ? entries.at(-1)!.id : null });
  });

  router.post('/api/fleet/devices/:id/revoke', auth, async (req, res) => {
    const device = await readable(req, 'devices', String(req.params.id));
    need(authOf(req).principal, 'devices.update', device.orgId);
    await withScope(db, orgScope(device.orgId), (c) =>
      c.query('UPDATE agent_credentials SET revoked_at = now() WHERE device_id = $1 AND revoked_at IS NULL', [device.id]),
    );
    await auditFromRequest(db, req, { action: 'agent.revoked', orgId: device.orgId, target: `devices:${device.id}` });
    res.status(204).end();
  });
}
