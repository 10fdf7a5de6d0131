/**
 * Device bridges: registration and heartbeat (bridge tokens only), the list for people, and
 * device credentials. Credentials are sealed with AES-256-GCM, never part of a replicated
 * document, and handed only to the bridge that owns the printer.
 */
import { Router } from 'express';
import { z } from 'zod';
import { can, ErrorCode, orgsWith } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import type { AuthDeps } from '../auth/authenticate.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { decryptSecret, encryptSecret } from '../security/crypto.js';

const registrationSchema = z.object({
  siteName: z.string().trim().min(1).max(120),
  version: z.string().max(40),
  devices: z.array(z.object({ printerId: z.string().max(64), protocol: z.string().max(20), online: z.boolean() })).max(5000),
});
const credentialsSchema = z
  .object({
    accessCode: z.string().max(64),
    apiKey: z.string().max(200),
    username: z.string().max(120),
    password: z.string().max(200),
  })
  .partial()
  .strict();

export const BRIDGE_ONLINE_SECONDS = 60;
const aad = (printerId: string) => `device-credentials:${printerId}`;

export function createBridgesRouter(deps: AuthDeps): Router {
  const { db } = deps;
  const key = deps.policy.keys.encryption;
  const router = Router();
  const auth = requireAuth(deps);

  const bridgeOf = (req: Parameters<typeof authOf>[0]) => {
    const { principal } = authOf(req);
    const orgId = Object.keys(principal.memberships)[0];
    if (!principal.bridgeId || !orgId)
      throw new AppError(ErrorCode.FORBIDDEN, 'this endpoint is for device bridges (a bridge token)');
    return { bridgeId: principal.bridgeId, orgId };
  };

  router.put('/api/bridge/registration', auth, async (req, res) => {
    const { bridgeId, orgId } = bridgeOf(req);
    const body = parseBody(registrationSchema, req.body);
    await withScope(db, { all: false, orgIds: [orgId] }, (c) =>
      c.query(
        `INSERT INTO bridges (org_id, id, site_name, version, devices, last_heartbeat_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (org_id, id) DO UPDATE SET site_name = $3, version = $4, devices = $5, last_heartbeat_at = now()`,
        [orgId, bridgeId, body.siteName, body.version, JSON.stringify(body.devices)],
      ),
    );
    res.json({ ok: true, heartbeatSeconds: Math.floor(BRIDGE_ONLINE_SECONDS / 3) });
  });

  router.get('/api/bridge/credentials', auth, async (req, res) => {
    const { bridgeId, orgId } = bridgeOf(req);
    const rows = await withScope(db, { all: false, orgIds: [orgId] }, (c) =>
      c.query<{ printer_id: string; secret_enc: string }>(
        `SELECT k.printer_id, k.secret_enc FROM device_credentials k
         JOIN documents d ON d.collection = 'printers' AND d.id = k.printer_id AND d.org_id = k.org_id
         WHERE k.org_id = $1 AND d.data->>'bridgeId' = $2 AND NOT d.deleted`,
        [orgId, bridgeId],
      ),
    );
    res.json({
      credentials: rows.rows.map((r) => ({
        printerId: r.printer_id,
        ...JSON.parse(decryptSecret(key, r.secret_enc, aad(r.printer_id))),
      })),
    });
  });

  router.get('/api/bridges', auth, async (req, res) => {
    const { principal } = authOf(req);
    const orgs = orgsWith(principal, 'printers.read');
    const rows = await withScope(db, { all: false, orgIds: orgs }, (c) =>
      c.query(
        `SELECT org_id AS "orgId", id, site_name AS "siteName", version, devices, last_heartbeat_at AS "lastHeartbeatAt",
                last_heartbeat_at > now() - make_interval(secs => $2) AS online
         FROM bridges WHERE org_id = ANY($1::uuid[]) ORDER BY site_name`,
        [orgs, BRIDGE_ONLINE_SECONDS],
      ),
    );
    res.json({ bridges: rows.rows });
  });

  router.put('/api/printers/:id/credentials', auth, async (req, res) => {
    const printerId = String(req.params.id);
    const body = parseBody(credentialsSchema, req.body);
    const { principal } = authOf(req);
    const owner = await withScope(db, { all: false, orgIds: Object.keys(principal.memberships) }, (c) =>
      c.query<{ org_id: string }>("SELECT org_id FROM documents WHERE collection = 'printers' AND id = $1 AND NOT deleted", [
        printerId,
      ]),
    );
    const orgId = owner.rows[0]?.org_id;
    if (!orgId || !can(principal, 'printers.update', { orgId }) || !can(principal, 'org.manage', { orgId })) {
      throw new AppError(ErrorCode.FORBIDDEN, "only an admin of the printer's organization sets its credentials");
    }
    await withScope(db, { all: false, orgIds: [orgId] }, (c) =>
      c.query(
        `INSERT INTO device_credentials (printer_id, org_id, secret_enc) VALUES ($1, $2, $3)
         ON CONFLICT (printer_id) DO UPDATE SET secret_enc = $3, updated_at = now()`,
        [printerId, orgId, encryptSecret(key, JSON.stringify(body), aad(printerId))],
      ),
    );
    await auditFromRequest(db, req, {
      action: 'printer.credentials_set',
      orgId,
      target: `printers:${printerId}`,
      details: { fields: Object.keys(body) },
    });
    res.status(204).end();
  });

  return router;
}
