/**
 * Postgres persistence of replicated documents: scoped pull by sequence, and the push
 * transaction that allocates sequence numbers and announces changes with NOTIFY.
 */
import type { ResourceKind, WireDoc } from '@fleetsync/shared';
import type { Db, DbClient } from '../db/pool.js';
import type { ReadScope } from './readScope.js';

export const CHANGES_CHANNEL = 'fleetsync_changes';

export interface StoredDoc {
  id: string;
  orgId: string;
  data: Record<string, unknown>;
  deleted: boolean;
  seq: number;
}

export function toWire(doc: StoredDoc): WireDoc {
  return { ...doc.data, id: doc.id, orgId: doc.orgId, _deleted: doc.deleted } as WireDoc;
}

interface Row {
  id: string;
  org_id: string;
  data: Record<string, unknown>;
  deleted: boolean;
  seq: number;
}
const fromRow = (r: Row): StoredDoc => ({ id: r.id, orgId: r.org_id, data: r.data, deleted: r.deleted, seq: r.seq });

export async function pullChanges(
  db: Db | DbClient,
  kind: ResourceKind,
  scope: ReadScope,
  afterSeq: number,
  limit: number,
): Promise<StoredDoc[]> {
  if (!scope.all && scope.orgIds.length === 0 && scope.sharedFor.length === 0) return [];
  // Each branch is an index range scan with its own LIMIT, so a page costs the same however
  // many rows other orgs hold: one per readable org (collection, org_id, seq), shared printers
  // (partial index), and tombstones of documents that moved out of a readable org (SPEC S-S5).
  const res = await db.query<Row>(
    `SELECT id, org_id, data, deleted, seq FROM (
       SELECT * FROM (SELECT id, org_id, data, deleted, seq FROM documents
                      WHERE $3::boolean AND collection = $1 AND seq > $2 AND ($7::text IS NULL OR data->>'bridgeId' = $7)
                      ORDER BY seq LIMIT $6) everything
       UNION ALL
       SELECT d.* FROM unnest(CASE WHEN $3::boolean THEN ARRAY[]::uuid[] ELSE $4::uuid[] END) AS o(id)
       CROSS JOIN LATERAL (SELECT id, org_id, data, deleted, seq FROM documents
                           WHERE collection = $1 AND org_id = o.id AND seq > $2 AND ($7::text IS NULL OR data->>'bridgeId' = $7)
                           ORDER BY seq LIMIT $6) d
       UNION ALL
       SELECT * FROM (SELECT id, org_id, data, deleted, seq FROM documents
                      WHERE NOT $3::boolean AND cardinality($5::text[]) > 0 AND collection = $1 AND seq > $2
                        AND cardinality(shared_with) > 0 AND NOT (org_id = ANY($4::uuid[]))
                        AND ('*' = ANY(shared_with) OR shared_with && $5::text[]) AND $7::text IS NULL
                      ORDER BY seq LIMIT $6) shared
       UNION ALL
       SELECT * FROM (SELECT m.id, m.from_org, m.data, true, m.seq FROM document_moves m
                      WHERE NOT $3::boolean AND m.collection = $1 AND m.seq > $2
                        AND m.from_org = ANY($4::uuid[]) AND NOT (m.to_org = ANY($4::uuid[]))
                        AND ($7::text IS NULL OR m.data->>'bridgeId' = $7)
                      ORDER BY m.seq LIMIT $6) moved
     ) changes
     ORDER BY seq LIMIT $6`,
    [kind, afterSeq, scope.all, scope.orgIds, scope.sharedFor, limit, scope.bridgeId],
  );
  return res.rows.map(fromRow);
}

export async function lockDocs(c: DbClient, kind: ResourceKind, ids: string[]): Promise<Map<string, StoredDoc>> {
  const res = await c.query<Row>(
    'SELECT id, org_id, data, deleted, seq FROM documents WHERE collection = $1 AND id = ANY($2::text[]) FOR UPDATE',
    [kind, ids],
  );
  const found = new Map(res.rows.map((r) => [r.id, fromRow(r)]));
  // Rows the caller may read but not lock (printers shared with their org): read-only view.
  const rest = ids.filter((id) => !found.has(id));
  if (rest.length > 0) {
    const ro = await c.query<Row>(
      'SELECT id, org_id, data, deleted, seq FROM documents WHERE collection = $1 AND id = ANY($2::text[])',
      [kind, rest],
    );
    for (const r of ro.rows) found.set(r.id, fromRow(r));
  }
  return found;
}

/** Owner org of each id, including ids outside the caller's row-level scope (ids only). */
export async function docOrgs(c: DbClient, kind: ResourceKind, ids: string[]): Promise<Map<string, string>> {
  const res = await c.query<{ id: string; org_id: string }>('SELECT id, org_id FROM fleetsync_doc_orgs($1, $2::text[])', [
    kind,
    ids,
  ]);
  return new Map(res.rows.map((r) => [r.id, r.org_id]));
}

/** Reserves `count` consecutive sequence numbers; the row lock orders commits (ADR 003). */
export async function allocateSeqs(c: DbClient, count: number): Promise<number> {
  const res = await c.query<{ value: number }>('UPDATE sync_counter SET value = value + $1 WHERE id = 1 RETURNING value', [
    count,
  ]);
  return (res.rows[0]?.value ?? 0) - count + 1;
}

export async function writeDocs(c: DbClient, kind: ResourceKind, docs: StoredDoc[]): Promise<void> {
  if (docs.length === 0) return;
  await c.query(
    `INSERT INTO documents (collection, id, org_id, data, deleted, seq, updated_at, shared_with)
     SELECT $1, d.id, d.org_id, d.data, d.deleted, d.seq, now(),
            coalesce(ARRAY(SELECT jsonb_array_elements_text(d.data->'sharedWithOrgs')), '{}')
     FROM jsonb_to_recordset($2::jsonb) AS d(id text, org_id uuid, data jsonb, deleted boolean, seq bigint)
     ON CONFLICT (collection, id) DO UPDATE
       SET data = EXCLUDED.data, deleted = EXCLUDED.deleted, seq = EXCLUDED.seq, updated_at = now(), shared_with = EXCLUDED.shared_with`,
    [kind, JSON.stringify(docs.map((d) => ({ id: d.id, org_id: d.orgId, data: d.data, deleted: d.deleted, seq: d.seq })))],
  );
  await notifyChanges(c, kind, docs);
}

/** One notice per org (and per set of sharing orgs) so every instance can wake its streams. */
export async function notifyChanges(
  c: DbClient,
  kind: ResourceKind,
  docs: { orgId: string; seq: number; data: Record<string, unknown> }[],
): Promise<void> {
  const groups = new Map<string, { o: string; s: number; sh?: string[] }>();
  for (const d of docs) {
    const sh = (d.data.sharedWithOrgs as string[] | undefined) ?? [];
    const key = `${d.orgId}|${sh.join(',')}`;
    const g = groups.get(key) ?? { o: d.orgId, s: 0, ...(sh.length ? { sh } : {}) };
    g.s = Math.max(g.s, d.seq);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ t: 'doc', c: kind, ...g })]);
  }
}

export async function currentSeq(db: Db): Promise<number> {
  const res = await db.query<{ value: number }>('SELECT value FROM sync_counter WHERE id = 1');
  return res.rows[0]?.value ?? 0;
}
