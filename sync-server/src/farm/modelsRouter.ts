/**
 * Models and their file revisions. A revision is an uploaded slicer file (G-code or 3MF),
 * stored once by content (sha256) on disk, with metadata extracted server-side in a worker
 * thread. Jobs pin an exact revision (`modelId` + `modelRevision`).
 *
 * Capabilities: reading and downloading need `jobs.read` in the model's org (so a bridge token
 * of that org may download what it prints); creating models and uploading revisions need
 * `jobs.create` (whoever may submit jobs may bring the file).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { can, ErrorCode, type Principal } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import type { DbClient } from '../db/pool.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { notFound, orgFilter, requireCan } from './access.js';
import { blobPath, commitBlob, receiveToTmp, removeTmp } from './blobStore.js';
import { scoped, type FarmDeps } from './farmDeps.js';
import type { ModelFileKind } from './farmWorkerApi.js';
import { runFarmTask } from './farmWorkerClient.js';

const createSchema = z
  .object({
    orgId: z.string().uuid(),
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
  })
  .strict();
const listSchema = z.object({ orgId: z.string().uuid().optional() });

interface ModelRow {
  id: string;
  org_id: string;
  name: string;
  description: string;
  latest_revision: number;
  created_by: string | null;
  created_at: Date;
}
interface RevisionRow {
  id: string;
  model_id: string;
  org_id: string;
  revision: number;
  changelog: string;
  file_sha256: string;
  size_bytes: number;
  file_name: string;
  file_kind: ModelFileKind;
  metadata: Record<string, unknown>;
  created_by: string | null;
  created_at: Date;
}

export const modelView = (m: ModelRow) => ({
  id: m.id,
  orgId: m.org_id,
  name: m.name,
  description: m.description,
  latestRevision: m.latest_revision,
  createdBy: m.created_by,
  createdAt: m.created_at.toISOString(),
});

export const revisionView = (r: RevisionRow) => ({
  id: r.id,
  modelId: r.model_id,
  orgId: r.org_id,
  revision: r.revision,
  changelog: r.changelog,
  sha256: r.file_sha256,
  sizeBytes: Number(r.size_bytes),
  fileName: r.file_name,
  fileKind: r.file_kind,
  metadata: r.metadata,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  downloadPath: `/api/models/${r.model_id}/revisions/${r.revision}/download`,
});

/** `.gcode`, `.gco`, `.g` and `.3mf` (including Bambu's `.gcode.3mf`). */
export function fileKindOf(fileName: string): ModelFileKind | null {
  if (/\.3mf$/i.test(fileName)) return '3mf';
  if (/\.(gcode|gco|g)$/i.test(fileName)) return 'gcode';
  return null;
}

function headerText(req: Request, name: string, max: number): string | undefined {
  const raw = req.get(name);
  if (raw === undefined) return undefined;
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    throw new AppError(ErrorCode.BAD_REQUEST, `header ${name} is not valid percent-encoding`);
  }
  if (text.length > max || [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    throw new AppError(ErrorCode.BAD_REQUEST, `header ${name} is not acceptable`);
  return text;
}

async function loadModel(c: DbClient, principal: Principal, id: string): Promise<ModelRow> {
  const r = await c.query<ModelRow>('SELECT * FROM models WHERE id::text = $1', [id]);
  const model = r.rows[0];
  if (!model || !can(principal, 'jobs.read', { orgId: model.org_id })) throw notFound(`model ${id}`);
  return model;
}

export function createModelsRouter(deps: FarmDeps): Router {
  const { db, config } = deps;
  const router = Router();
  const auth = requireAuth(deps);

  router.post('/api/models', auth, async (req, res) => {
    const body = parseBody(createSchema, req.body);
    const { principal } = authOf(req);
    requireCan(principal, 'jobs.create', body.orgId, 'you may not add models to this organization');
    const row = await scoped(
      deps,
      principal,
      async (c) =>
        (
          await c.query<ModelRow>(
            'INSERT INTO models (id, org_id, name, description, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *',
            [randomUUID(), body.orgId, body.name, body.description ?? '', principal.userId],
          )
        ).rows[0]!,
    );
    await auditFromRequest(db, req, {
      action: 'model.created',
      orgId: body.orgId,
      target: `model:${row.id}`,
      details: { name: body.name },
    });
    res.status(201).json(modelView(row));
  });

  router.get('/api/models', auth, async (req, res) => {
    const q = parseBody(listSchema, req.query);
    const { principal } = authOf(req);
    const orgs = orgFilter(principal, 'jobs.read', q.orgId);
    const rows = await scoped(deps, principal, (c) =>
      c.query<ModelRow>('SELECT * FROM models WHERE ($1::boolean OR org_id = ANY($2::uuid[])) ORDER BY created_at, id', [
        orgs.all,
        orgs.orgIds,
      ]),
    );
    res.json({ models: rows.rows.map(modelView) });
  });

  router.get('/api/models/:id', auth, async (req, res) => {
    const { principal } = authOf(req);
    const model = await scoped(deps, principal, (c) => loadModel(c, principal, String(req.params.id)));
    res.json(modelView(model));
  });

  router.get('/api/models/:id/revisions', auth, async (req, res) => {
    const { principal } = authOf(req);
    const rows = await scoped(deps, principal, async (c) => {
      const model = await loadModel(c, principal, String(req.params.id));
      return c.query<RevisionRow>('SELECT * FROM model_revisions WHERE model_id = $1 ORDER BY revision', [model.id]);
    });
    res.json({ revisions: rows.rows.map(revisionView) });
  });

  router.post('/api/models/:id/revisions', auth, async (req, res) => {
    const { principal } = authOf(req);
    const model = await scoped(deps, principal, (c) => loadModel(c, principal, String(req.params.id)));
    requireCan(principal, 'jobs.create', model.org_id, 'you may not upload revisions in this organization');
    if (!req.is('application/octet-stream'))
      throw new AppError(ErrorCode.BAD_REQUEST, 'send the file itself as the body, with Content-Type: application/octet-stream');
    const fileName = headerText(req, 'x-file-name', 255)?.split(/[\\/]/).pop()?.trim();
    if (!fileName) throw new AppError(ErrorCode.BAD_REQUEST, 'name the file in the x-file-name header');
    const kind = fileKindOf(fileName);
    if (!kind) throw new AppError(ErrorCode.BAD_REQUEST, 'only sliced files are accepted: .gcode, .gco, .g or .3mf');
    const changelog = headerText(req, 'x-changelog', 2000) ?? '';
    const expected = req.get('x-sha256')?.trim().toLowerCase();
    if (expected !== undefined && !/^[0-9a-f]{64}$/.test(expected))
      throw new AppError(ErrorCode.BAD_REQUEST, 'x-sha256 must be a SHA-256 digest in hex');

    const tooLarge = () =>
      new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `a model file may be at most ${config.maxUploadBytes} bytes`, {
        maxBytes: config.maxUploadBytes,
      });
    const declared = Number(req.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > config.maxUploadBytes) {
      req.resume(); // discard the body; the refusal still reaches the client
      throw tooLarge();
    }
    const received = await receiveToTmp(req, config.dataDir, config.maxUploadBytes);
    if (!received.ok) throw tooLarge();
    let metadata: Record<string, unknown>;
    try {
      if (expected !== undefined && expected !== received.sha256) {
        throw new AppError(ErrorCode.BAD_REQUEST, 'x-sha256 does not match the uploaded bytes: nothing was stored', {
          expected,
          actual: received.sha256,
        });
      }
      try {
        metadata = { ...(await runFarmTask({ kind: 'metadata', path: received.tmpPath, format: kind })) };
      } catch (err) {
        throw new AppError(ErrorCode.BAD_REQUEST, `the file could not be read as ${kind}: ${(err as Error).message}`);
      }
      await commitBlob(config.dataDir, received.tmpPath, received.sha256);
    } catch (err) {
      await removeTmp(received.tmpPath);
      throw err;
    }

    const row = await scoped(deps, principal, async (c) => {
      const next = await c.query<{ latest_revision: number }>(
        'UPDATE models SET latest_revision = latest_revision + 1 WHERE id = $1 RETURNING latest_revision',
        [model.id],
      );
      const revision = next.rows[0]?.latest_revision;
      if (revision === undefined) throw notFound(`model ${model.id}`);
      return (
        await c.query<RevisionRow>(
          `INSERT INTO model_revisions (id, model_id, org_id, revision, changelog, file_sha256, size_bytes, file_name, file_kind, metadata, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
          [
            randomUUID(),
            model.id,
            model.org_id,
            revision,
            changelog,
            received.sha256,
            received.size,
            fileName,
            kind,
            JSON.stringify(metadata),
            principal.userId,
          ],
        )
      ).rows[0]!;
    });
    await auditFromRequest(db, req, {
      action: 'model.revision.uploaded',
      orgId: model.org_id,
      target: `model:${model.id}`,
      details: { revision: row.revision, sha256: row.file_sha256, size: received.size, fileName },
    });
    res.status(201).json(revisionView(row));
  });

  router.get('/api/models/:id/revisions/:rev/download', auth, async (req, res) => {
    const { principal } = authOf(req);
    const rev = Number(req.params.rev);
    const row = await scoped(deps, principal, async (c) => {
      const model = await loadModel(c, principal, String(req.params.id));
      const r = await c.query<RevisionRow>('SELECT * FROM model_revisions WHERE model_id = $1 AND revision = $2', [
        model.id,
        Number.isInteger(rev) ? rev : -1,
      ]);
      return r.rows[0];
    });
    if (!row) throw notFound(`revision ${String(req.params.rev)} of this model`);
    const file = blobPath(config.dataDir, row.file_sha256);
    const info = await stat(file).catch(() => null);
    if (!info) throw new AppError(ErrorCode.NOT_FOUND, 'the file of this revision is missing from the store');
    res.set({
      'content-type': 'application/octet-stream',
      'content-length': String(info.size),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(row.file_name)}`,
      'x-sha256': row.file_sha256,
      etag: `"${row.file_sha256}"`,
      'cache-control': 'private, max-age=0',
    });
    await pipeline(createReadStream(file), res);
  });

  return router;
}
