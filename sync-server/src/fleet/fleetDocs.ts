/**
 * Server-side writes of replicated fleet documents (executions, rollout state, inventory):
 * each change stamps the field clocks it touches, gets a new sequence number and is announced
 * like any pushed change, so every permitted replica sees it (SPEC S-R1, S-L3).
 */
import { createHash } from 'node:crypto';
import { COLLECTIONS, createHlc, stableStringify, stampChangedFields, type CollectionName } from '@fleetsync/shared';
import type { DbClient } from '../db/pool.js';
import { allocateSeqs, writeDocs } from '../sync/documentStore.js';

export const SERVER_ACTOR = 'system:fleet';
const hlc = createHlc('fleet-server');

export interface FleetDoc {
  id: string;
  orgId: string;
  data: Record<string, unknown>;
  deleted: boolean;
}

interface Row {
  id: string;
  org_id: string;
  data: Record<string, unknown>;
  deleted: boolean;
}
const fromRow = (r: Row): FleetDoc => ({ id: r.id, orgId: r.org_id, data: r.data, deleted: r.deleted });

export async function getDoc(c: DbClient, kind: CollectionName, id: string, lock = false): Promise<FleetDoc | null> {
  const res = await c.query<Row>(
    `SELECT id, org_id, data, deleted FROM documents WHERE collection = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [kind, id],
  );
  return res.rows[0] ? fromRow(res.rows[0]) : null;
}

/** Live documents of a kind in one org, optionally narrowed by a JSON containment filter. */
export async function listDocs(
  c: DbClient,
  kind: CollectionName,
  orgId: string,
  filter: Record<string, unknown> = {},
  opts: { lock?: boolean; ids?: string[] } = {},
): Promise<FleetDoc[]> {
  const res = await c.query<Row>(
    `SELECT id, org_id, data, deleted FROM documents
     WHERE collection = $1 AND org_id = $2 AND NOT deleted AND data @> $3::jsonb AND ($4::text[] IS NULL OR id = ANY($4::text[]))
     ORDER BY seq${opts.lock ? ' FOR UPDATE' : ''}`,
    [kind, orgId, JSON.stringify(filter), opts.ids ?? null],
  );
  return res.rows.map(fromRow);
}

const IGNORED = new Set(['clock', 'updatedAt', 'updatedBy', 'createdAt', 'createdBy']);
function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const strip = (d: Record<string, unknown>) => Object.fromEntries(Object.entries(d).filter(([k]) => !IGNORED.has(k)));
  return stableStringify(strip(a)) === stableStringify(strip(b));
}

export interface DocWrite {
  id: string;
  orgId: string;
  /** The stored data, or undefined for a new document. */
  previous?: Record<string, unknown>;
  next: Record<string, unknown>;
  deleted?: boolean;
  actor?: string;
}

/**
 * Writes documents the server computed. Each is validated against its collection's schema
 * (a bug here must not reach replicas), stamped and announced. Unchanged ones are skipped.
 */
export async function saveDocs(c: DbClient, kind: CollectionName, writes: DocWrite[]): Promise<number> {
  const def = COLLECTIONS[kind];
  const now = new Date().toISOString();
  const docs: { id: string; orgId: string; data: Record<string, unknown>; deleted: boolean; seq: number }[] = [];
  for (const w of writes) {
    const next: Record<string, unknown> = JSON.parse(JSON.stringify({ ...w.next, id: w.id, orgId: w.orgId }));
    if (w.previous && !w.deleted && sameContent(w.previous, next)) continue;
    next.clock = stampChangedFields(w.previous, next, hlc.now());
    next.createdBy = w.previous?.createdBy ?? next.createdBy ?? w.actor ?? SERVER_ACTOR;
    next.createdAt = w.previous?.createdAt ?? next.createdAt ?? now;
    next.updatedBy = w.actor ?? SERVER_ACTOR;
    next.updatedAt = now;
    const parsed = def.zod.safeParse(next);
    if (!parsed.success) {
      throw new Error(
        `server wrote an invalid ${kind} document ${w.id}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    docs.push({ id: w.id, orgId: w.orgId, data: next, deleted: w.deleted ?? false, seq: 0 });
  }
  if (docs.length === 0) return 0;
  const first = await allocateSeqs(c, docs.length);
  docs.forEach((d, i) => (d.seq = first + i));
  await writeDocs(c, kind, docs);
  return docs.length;
}

/** A stable id (UUID-shaped) for the execution of `sourceId` on `deviceId`: expanding twice creates nothing twice. */
export function executionId(sourceId: string, deviceId: string): string {
  const h = createHash('sha256').update(`execution:${sourceId}:${deviceId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Serializes fleet work on one key (an org, a deployment) across server instances. */
export async function lockKey(c: DbClient, key: string): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
}
