/**
 * REST access to every replicated collection, for scripts and integrations. Every write goes
 * through the same push rules as sync (one row through `applyPush`), so REST and sync can
 * never disagree on what is allowed.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  COLLECTION_NAMES,
  COLLECTIONS,
  createHlc,
  ErrorCode,
  newId,
  stampChangedFields,
  type CollectionDefinition,
  type WireDoc,
} from '@fleetsync/shared';
import type { AuthDeps } from '../auth/authenticate.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { toWire, type StoredDoc } from '../sync/documentStore.js';
import { applyPush } from '../sync/pushService.js';
import { canReadDoc, dbScopeFor, readScope } from '../sync/readScope.js';
import { moveDocument } from './moveDocument.js';

const listSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.coerce.number().int().min(0).default(0),
});
const hlc = createHlc('rest');

interface Row {
  id: string;
  org_id: string;
  data: Record<string, unknown>;
  deleted: boolean;
  seq: number;
}
const stored = (r: Row): StoredDoc => ({ id: r.id, orgId: r.org_id, data: r.data, deleted: r.deleted, seq: r.seq });

export function createCollectionsRouter(deps: AuthDeps): Router {
  const { db } = deps;
  const router = Router();
  const auth = requireAuth(deps);

  async function readOne(req: Request, def: CollectionDefinition, id: string): Promise<StoredDoc> {
    const { principal } = authOf(req);
    const row = await withScope(db, dbScopeFor(principal, def.name), (c) =>
      c.query<Row>('SELECT id, org_id, data, deleted, seq FROM documents WHERE collection = $1 AND id = $2', [def.name, id]),
    );
    const doc = row.rows[0] ? stored(row.rows[0]) : null;
    // Not readable and not existing look the same from outside.
    if (!doc || doc.deleted || !canReadDoc(principal, def.name, doc))
      throw new AppError(ErrorCode.NOT_FOUND, `no ${def.name.slice(0, -1)} ${id}`);
    return doc;
  }

  async function write(req: Request, def: CollectionDefinition, assumed: WireDoc | null, next: Record<string, unknown>) {
    const out = await applyPush(db, def, authOf(req).principal, [{ assumedMasterState: assumed, newDocumentState: next }]);
    const rejection = out.rejections[0];
    if (rejection)
      throw new AppError(rejection.code as ErrorCode, rejection.message, (rejection as { details?: unknown }).details);
    if (out.conflicts.length > 0)
      throw new AppError(ErrorCode.CONFLICT, 'the document changed meanwhile, or the id is taken; reload and retry');
    return toWire(await readOne(req, def, String(next.id)));
  }

  for (const name of COLLECTION_NAMES) {
    const def = COLLECTIONS[name] as CollectionDefinition;
    const base = `/api/${name}`;

    router.get(base, auth, async (req, res) => {
      const q = parseBody(listSchema, req.query);
      const { principal } = authOf(req);
      const scope = readScope(principal, def.name);
      const rows = await withScope(db, dbScopeFor(principal, def.name), (c) =>
        c.query<Row>(
          `SELECT id, org_id, data, deleted, seq FROM documents
           WHERE collection = $1 AND NOT deleted AND seq > $2
             AND ($3::boolean OR org_id = ANY($4::uuid[]) OR (cardinality($5::text[]) > 0 AND ('*' = ANY(shared_with) OR shared_with && $5::text[])))
             AND ($7::text IS NULL OR data->>'bridgeId' = $7)
           ORDER BY seq LIMIT $6`,
          [def.name, q.after, scope.all, scope.orgIds, scope.sharedFor, q.limit, scope.bridgeId],
        ),
      );
      const items = rows.rows.map((r) => toWire(stored(r)));
      res.json({ items, next: rows.rows.length === q.limit ? rows.rows.at(-1)!.seq : null });
    });

    router.get(`${base}/:id`, auth, async (req, res) => {
      res.json(toWire(await readOne(req, def, String(req.params.id))));
    });

    router.post(base, auth, async (req, res) => {
      const body = parseBody(z.record(z.string(), z.unknown()), req.body);
      const doc: Record<string, unknown> = { ...body, id: typeof body.id === 'string' ? body.id : newId() };
      doc.clock = stampChangedFields(undefined, doc, hlc.now());
      res.status(201).json(await write(req, def, null, doc));
    });

    router.patch(`${base}/:id`, auth, async (req, res) => {
      const patch = parseBody(z.record(z.string(), z.unknown()), req.body);
      // A PATCH names the fields it sets, so a concurrent write to the document (a bridge
      // reporting telemetry, say) is not a reason to fail: re-read and apply again.
      for (let attempt = 1; ; attempt++) {
        const current = toWire(await readOne(req, def, String(req.params.id)));
        const next: Record<string, unknown> = { ...current, ...patch, id: current.id };
        next.clock = stampChangedFields(current, next, hlc.now());
        try {
          res.json(await write(req, def, current, next));
          return;
        } catch (err) {
          if (!(err instanceof AppError && err.code === ErrorCode.CONFLICT) || attempt >= 5) throw err;
        }
      }
    });

    router.delete(`${base}/:id`, auth, async (req, res) => {
      const current = toWire(await readOne(req, def, String(req.params.id)));
      const out = await applyPush(db, def, authOf(req).principal, [
        { assumedMasterState: current, newDocumentState: { ...current, _deleted: true } },
      ]);
      const rejection = out.rejections[0];
      if (rejection) throw new AppError(rejection.code as ErrorCode, rejection.message);
      res.status(204).end();
    });

    router.post(`${base}/:id/move`, auth, async (req, res) => {
      const { toOrgId } = parseBody(z.object({ toOrgId: z.string().uuid() }), req.body);
      const current = await readOne(req, def, String(req.params.id));
      res.json(await moveDocument(req, db, def, current, toOrgId));
    });
  }
  return router;
}
