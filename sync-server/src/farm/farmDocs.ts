/** Reading replicated documents for the print-farm endpoints, under the caller's read scope. */
import type { Principal, ResourceKind } from '@fleetsync/shared';
import type { PrintFileMetadata } from '@fleetsync/shared/metadata';
import type { DbClient } from '../db/pool.js';
import type { StoredDoc } from '../sync/documentStore.js';
import { canReadDoc } from '../sync/readScope.js';
import { revisionMetadata } from './jobStamps.js';
import type { LoadedFilament, PrinterForCompatibility } from './sharedFarm.js';

interface Row {
  id: string;
  org_id: string;
  data: Record<string, unknown>;
  deleted: boolean;
  seq: number;
}
export const storedOf = (r: Row): StoredDoc => ({ id: r.id, orgId: r.org_id, data: r.data, deleted: r.deleted, seq: r.seq });

/** Live documents by id that the principal may read (others are simply absent). */
export async function readDocs(
  c: DbClient,
  principal: Principal,
  kind: ResourceKind,
  ids: readonly string[],
): Promise<Map<string, StoredDoc>> {
  const r = await c.query<Row>(
    'SELECT id, org_id, data, deleted, seq FROM documents WHERE collection = $1 AND id = ANY($2::text[])',
    [kind, ids],
  );
  const out = new Map<string, StoredDoc>();
  for (const row of r.rows) {
    const doc = storedOf(row);
    if (!doc.deleted && canReadDoc(principal, kind, doc)) out.set(doc.id, doc);
  }
  return out;
}

export async function readDoc(c: DbClient, principal: Principal, kind: ResourceKind, id: string): Promise<StoredDoc | null> {
  return (await readDocs(c, principal, kind, [id])).get(id) ?? null;
}

/**
 * What a job needs from a printer: its pinned revision's metadata, completed from its print
 * profile (model, nozzle, material) and its own `material` where the file says nothing.
 */
export async function jobRequirements(
  c: DbClient,
  job: StoredDoc,
  cache: Map<string, PrintFileMetadata | null> = new Map(),
): Promise<PrintFileMetadata> {
  const d = job.data;
  let meta: PrintFileMetadata | null = null;
  if (typeof d.modelId === 'string' && typeof d.modelRevision === 'number') {
    const key = `${job.orgId}|${d.modelId}|${d.modelRevision}`;
    if (!cache.has(key)) cache.set(key, await revisionMetadata(c, job.orgId, d.modelId, d.modelRevision));
    meta = cache.get(key) ?? null;
  }
  const req: PrintFileMetadata = { ...(meta ?? {}) };
  if (typeof d.profileId === 'string') {
    const p = (
      await c.query<{ printer_model: string; nozzle_diameter_mm: string; material: string }>(
        'SELECT printer_model, nozzle_diameter_mm, material FROM print_profiles WHERE id::text = $1 AND org_id = $2',
        [d.profileId, job.orgId],
      )
    ).rows[0];
    if (p) {
      if (!req.printerModel && !req.printerModelId && p.printer_model) req.printerModel = p.printer_model;
      if (!req.nozzleDiameterMm?.length) req.nozzleDiameterMm = [Number(p.nozzle_diameter_mm)];
      if (!req.filamentTypes?.length) req.filamentTypes = [p.material];
    }
  }
  if (!req.filamentTypes?.length && typeof d.material === 'string') req.filamentTypes = [d.material];
  return req;
}

/** The spools on a printer: its `loadedSpoolId`, else every spool placed on it (AMS slots). */
export async function loadedFilaments(c: DbClient, printer: StoredDoc): Promise<LoadedFilament[] | undefined> {
  const loadedId = typeof printer.data.loadedSpoolId === 'string' ? printer.data.loadedSpoolId : null;
  const r = await c.query<{ material: string }>(
    `SELECT data->>'material' AS material FROM documents
     WHERE collection = 'spools' AND org_id = $1 AND NOT deleted
       AND (CASE WHEN $2::text IS NULL THEN data->>'printerId' = $3 ELSE id = $2 END)`,
    [printer.orgId, loadedId, printer.id],
  );
  return r.rows.length > 0 ? r.rows.map((s) => ({ material: s.material })) : undefined;
}

export function printerForCompatibility(printer: StoredDoc): PrinterForCompatibility {
  const d = printer.data;
  return {
    model: String(d.model ?? ''),
    nozzleDiameter: Number(d.nozzleDiameter),
    bedWidthMm: Number(d.bedWidthMm),
    bedDepthMm: Number(d.bedDepthMm),
    ...(typeof d.loadedMaterial === 'string' ? { loadedMaterial: d.loadedMaterial } : {}),
  };
}
