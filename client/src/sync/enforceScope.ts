/**
 * Finishes what the shared scope keeper starts (SPEC S-S6) so that this device really holds
 * nothing outside the user's read scope:
 *
 * - The keeper feeds tombstones into the replications; RxDB drops a stream task queued before
 *   a newer RESYNC pull started (the server sends one with every scope change), so documents
 *   can survive a run. They are checked for and the keeper runs again.
 * - RxDB keeps each document's last known server state in the replication's meta store
 *   ("assumed master state"), tombstones included, with all their fields. Rows of documents
 *   outside the scope that are gone from the collection are deleted there and purged.
 * - Refused writes kept for a person (`attention`) hold document data too.
 */
import { createRevision, normalizeMangoQuery, now, prepareQuery, type RxCollection, type RxDocumentData } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { outOfScope, type ScopeInfo } from '@fleetsync/shared/sync';
import type { LocalStore } from '../db/openLocalStore.js';
import { dropAttentionOutside } from './dropAttentionOutside.js';

const KEEPER_ATTEMPTS = 3;

export interface ScopeParts {
  store: LocalStore;
  /** Replication per collection name. */
  replications: ReadonlyMap<string, RxReplicationState<unknown, unknown>>;
  refreshKeeper(): Promise<ScopeInfo | null>;
  /** Sync is stopping (sign-out, user switch): leave the rest for the next start. */
  isStopped(): boolean;
}

async function anyLeftOutside(collection: RxCollection, name: string, scope: ScopeInfo): Promise<boolean> {
  const docs = await collection.find().exec();
  return docs.some((d) => outOfScope(d.toJSON() as Record<string, unknown>, scope.collections[name]));
}

interface MetaRow {
  itemId: string;
  isCheckpoint: string;
  docData?: Record<string, unknown>;
}

/** Deletes and purges the meta rows of out-of-scope documents no longer in the collection. */
export async function purgeReplicationMeta(
  name: string,
  replication: RxReplicationState<unknown, unknown>,
  scope: ScopeInfo,
): Promise<number> {
  const meta = replication.metaInstance;
  if (!meta) return 0;
  const schema = meta.schema;
  const query = prepareQuery(schema, normalizeMangoQuery(schema, { selector: { isCheckpoint: '0' } as never }));
  const rows = (await meta.query(query)).documents as unknown as RxDocumentData<MetaRow>[];
  const outside = rows.filter((m) => m.docData && outOfScope(m.docData, scope.collections[name]));
  if (outside.length === 0) return 0;
  const collection = replication.collection;
  const present = new Set(
    (
      await collection.storageInstance.findDocumentsById(
        outside.map((m) => m.itemId),
        true,
      )
    ).map((d) => String((d as Record<string, unknown>)[collection.schema.primaryPath])),
  );
  const token = collection.database.token;
  const writes = outside
    .filter((m) => !present.has(m.itemId))
    .map((m) => ({
      previous: m,
      document: {
        ...m,
        docData: { [collection.schema.primaryPath]: m.itemId },
        _deleted: true,
        _meta: { lwt: now() },
        _rev: createRevision(token, m),
      },
    }));
  if (writes.length === 0) return 0;
  // A row the replication rewrote meanwhile fails with a conflict and is left for the next run.
  await meta.bulkWrite(writes as never, 'fleetsync-scope-purge');
  await meta.cleanup(0);
  return writes.length;
}

/** Runs the keeper until nothing outside the scope is left, then cleans the meta stores and attention. */
export async function enforceScope(parts: ScopeParts): Promise<ScopeInfo | null> {
  const collections = parts.store.db.collections as unknown as Record<string, RxCollection>;
  let scope: ScopeInfo | null = null;
  for (let attempt = 0; attempt < KEEPER_ATTEMPTS; attempt++) {
    scope = await parts.refreshKeeper();
    if (!scope || parts.isStopped()) return null; // offline or signed out: the next connection tries again
    let left = false;
    for (const name of parts.replications.keys()) {
      const collection = collections[name];
      if (collection && (await anyLeftOutside(collection, name, scope))) left = true;
    }
    if (!left) break;
  }
  if (!scope) return null;
  for (const [name, replication] of parts.replications) {
    if (parts.isStopped()) return null;
    await purgeReplicationMeta(name, replication, scope);
  }
  if (!parts.isStopped()) await dropAttentionOutside(parts.store, scope);
  return scope;
}
