/** Replication endpoints for every collection: pull, push, and one live stream per client. */
import { Router, type RequestHandler } from 'express';
import { createHash } from 'node:crypto';
import {
  COLLECTION_NAMES,
  ErrorCode,
  stableStringify,
  getCollection,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  pullRequestSchema,
  pushRequestSchema,
  type CollectionDefinition,
  type PullResponse,
} from '@fleetsync/shared';
import type { AuthDeps } from '../auth/authenticate.js';
import { AppError } from '../http/errors.js';
import { withScope } from '../db/scope.js';
import { parseBody } from '../http/validate.js';
import { authOf, bearerToken, requireAuth } from '../auth/middleware.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
import { pullChanges, toWire } from './documentStore.js';
import { applyPush } from './pushService.js';
import { readScope } from './readScope.js';
import type { StreamHub } from './streamHub.js';

/** SPEC S-V1: both sides name their protocol version; a mismatch says who must upgrade. */
const protocolGate: RequestHandler = (req, _res, next) => {
  const v = Number(req.get(PROTOCOL_HEADER));
  if (!Number.isInteger(v) || v < PROTOCOL_VERSION) {
    throw new AppError(ErrorCode.CLIENT_TOO_OLD, `this server speaks sync protocol ${PROTOCOL_VERSION}; update the app`);
  }
  if (v > PROTOCOL_VERSION)
    throw new AppError(ErrorCode.SERVER_TOO_OLD, `this server only speaks sync protocol ${PROTOCOL_VERSION}`);
  next();
};

function collectionOf(name: string | string[] | undefined): CollectionDefinition {
  const def = typeof name === 'string' ? getCollection(name) : undefined;
  if (!def) throw new AppError(ErrorCode.UNKNOWN_COLLECTION, `no replicated collection named ${String(name)}`);
  return def;
}

export function createSyncRouter(deps: { auth: AuthDeps; hub: StreamHub }): Router {
  const { hub } = deps;
  const db = deps.auth.db;
  const router = Router();
  router.use('/api/sync', protocolGate, requireAuth(deps.auth));

  router.post('/api/sync/:collection/pull', async (req, res) => {
    const def = collectionOf(req.params.collection);
    const body = parseBody(pullRequestSchema, req.body);
    const scope = readScope(authOf(req).principal, def.name);
    const after = decodeCheckpoint(body.checkpoint, scope);
    const docs = await withScope(db, scope, (c) => pullChanges(c, def.name, scope, after, body.limit));
    const last = docs.at(-1);
    const out: PullResponse = {
      documents: docs.map(toWire),
      checkpoint: last ? encodeCheckpoint(last.seq, scope) : after === 0 ? encodeCheckpoint(0, scope) : (body.checkpoint ?? null),
    };
    res.json(out);
  });

  router.post('/api/sync/:collection/push', async (req, res) => {
    const def = collectionOf(req.params.collection);
    const body = parseBody(pushRequestSchema, req.body);
    res.json(await applyPush(db, def, authOf(req).principal, body.rows));
  });

  /** What the principal may read now; a replica purges what falls outside (SPEC S-S6). */
  router.get('/api/sync/scope', async (req, res) => {
    const { principal } = authOf(req);
    const collections = Object.fromEntries(COLLECTION_NAMES.map((n) => [n, readScope(principal, n)]));
    const key = createHash('sha256').update(stableStringify(collections)).digest('hex').slice(0, 16);
    res.json({ key, collections, memberOrgs: Object.keys(principal.memberships) });
  });

  router.get('/api/sync/stream', async (req, res) => {
    await hub.attach(authOf(req), bearerToken(req) ?? '', req.ip ?? '', res);
  });

  return router;
}
