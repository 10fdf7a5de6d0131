/**
 * Print profiles (slicer presets): layer height, nozzle, material, printer model and free-form
 * settings. Reading needs `jobs.read` in the profile's org; creating, editing and deleting need
 * `printers.update` (the people who run the machines keep their presets).
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { can, FILAMENT_MATERIALS, type Principal } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import type { DbClient } from '../db/pool.js';
import { parseBody } from '../http/validate.js';
import { notFound, orgFilter, requireCan } from './access.js';
import { scoped, type FarmDeps } from './farmDeps.js';

const settingsSchema = z.record(z.string().min(1).max(80), z.union([z.string().max(500), z.number(), z.boolean()]));
const fields = {
  name: z.string().trim().min(1).max(120),
  layerHeightMm: z.number().min(0.01).max(2),
  nozzleDiameterMm: z.number().min(0.1).max(2),
  material: z.enum(FILAMENT_MATERIALS),
  printerModel: z.string().max(80),
  settings: settingsSchema.refine((s) => Object.keys(s).length <= 200, 'at most 200 settings'),
};
const createSchema = z
  .object({
    orgId: z.string().uuid(),
    ...fields,
    printerModel: fields.printerModel.optional(),
    settings: fields.settings.optional(),
  })
  .strict();
const patchSchema = z.object(fields).partial().strict();
const listSchema = z.object({ orgId: z.string().uuid().optional() });

interface ProfileRow {
  id: string;
  org_id: string;
  name: string;
  layer_height_mm: string;
  nozzle_diameter_mm: string;
  material: string;
  printer_model: string;
  settings: Record<string, unknown>;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export const profileView = (p: ProfileRow) => ({
  id: p.id,
  orgId: p.org_id,
  name: p.name,
  layerHeightMm: Number(p.layer_height_mm),
  nozzleDiameterMm: Number(p.nozzle_diameter_mm),
  material: p.material,
  printerModel: p.printer_model,
  settings: p.settings,
  createdBy: p.created_by,
  createdAt: p.created_at.toISOString(),
  updatedAt: p.updated_at.toISOString(),
});

async function loadProfile(c: DbClient, principal: Principal, id: string): Promise<ProfileRow> {
  const r = await c.query<ProfileRow>('SELECT * FROM print_profiles WHERE id::text = $1', [id]);
  const p = r.rows[0];
  if (!p || !can(principal, 'jobs.read', { orgId: p.org_id })) throw notFound(`print profile ${id}`);
  return p;
}

export function createProfilesRouter(deps: FarmDeps): Router {
  const { db } = deps;
  const router = Router();
  const auth = requireAuth(deps);

  router.get('/api/profiles', auth, async (req, res) => {
    const q = parseBody(listSchema, req.query);
    const { principal } = authOf(req);
    const orgs = orgFilter(principal, 'jobs.read', q.orgId);
    const rows = await scoped(deps, principal, (c) =>
      c.query<ProfileRow>('SELECT * FROM print_profiles WHERE ($1::boolean OR org_id = ANY($2::uuid[])) ORDER BY name, id', [
        orgs.all,
        orgs.orgIds,
      ]),
    );
    res.json({ profiles: rows.rows.map(profileView) });
  });

  router.post('/api/profiles', auth, async (req, res) => {
    const body = parseBody(createSchema, req.body);
    const { principal } = authOf(req);
    requireCan(principal, 'printers.update', body.orgId, 'you may not manage print profiles in this organization');
    const row = await scoped(
      deps,
      principal,
      async (c) =>
        (
          await c.query<ProfileRow>(
            `INSERT INTO print_profiles (id, org_id, name, layer_height_mm, nozzle_diameter_mm, material, printer_model, settings, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
            [
              randomUUID(),
              body.orgId,
              body.name,
              body.layerHeightMm,
              body.nozzleDiameterMm,
              body.material,
              body.printerModel ?? '',
              JSON.stringify(body.settings ?? {}),
              principal.userId,
            ],
          )
        ).rows[0]!,
    );
    await auditFromRequest(db, req, {
      action: 'profile.created',
      orgId: body.orgId,
      target: `profile:${row.id}`,
      details: { name: row.name },
    });
    res.status(201).json(profileView(row));
  });

  router.get('/api/profiles/:id', auth, async (req, res) => {
    const { principal } = authOf(req);
    res.json(profileView(await scoped(deps, principal, (c) => loadProfile(c, principal, String(req.params.id)))));
  });

  router.patch('/api/profiles/:id', auth, async (req, res) => {
    const patch = parseBody(patchSchema, req.body);
    const { principal } = authOf(req);
    const row = await scoped(deps, principal, async (c) => {
      const p = await loadProfile(c, principal, String(req.params.id));
      requireCan(principal, 'printers.update', p.org_id, 'you may not manage print profiles in this organization');
      return (
        await c.query<ProfileRow>(
          `UPDATE print_profiles SET name = $2, layer_height_mm = $3, nozzle_diameter_mm = $4, material = $5,
             printer_model = $6, settings = $7, updated_at = now() WHERE id = $1 RETURNING *`,
          [
            p.id,
            patch.name ?? p.name,
            patch.layerHeightMm ?? p.layer_height_mm,
            patch.nozzleDiameterMm ?? p.nozzle_diameter_mm,
            patch.material ?? p.material,
            patch.printerModel ?? p.printer_model,
            JSON.stringify(patch.settings ?? p.settings),
          ],
        )
      ).rows[0]!;
    });
    await auditFromRequest(db, req, {
      action: 'profile.updated',
      orgId: row.org_id,
      target: `profile:${row.id}`,
      details: patch,
    });
    res.json(profileView(row));
  });

  router.delete('/api/profiles/:id', auth, async (req, res) => {
    const { principal } = authOf(req);
    const orgId = await scoped(deps, principal, async (c) => {
      const p = await loadProfile(c, principal, String(req.params.id));
      requireCan(principal, 'printers.update', p.org_id, 'you may not manage print profiles in this organization');
      await c.query('DELETE FROM print_profiles WHERE id = $1', [p.id]);
      return p.org_id;
    });
    await auditFromRequest(db, req, { action: 'profile.deleted', orgId, target: `profile:${String(req.params.id)}` });
    res.status(204).end();
  });

  return router;
}
