/**
 * The bridge's replica of `printers` and `commands`: shared's createReplica (one live stream, one
 * replication per collection, field-clock merge) over RxDB's memory storage. Memory is all RxDB
 * offers in Node for free, so the replica is a cache: what must survive a crash is in the
 * bridge's own store (bridgeStore.ts), and the replica is rebuilt from the server at each start.
 */
import { randomBytes } from 'node:crypto';
import type { RxCollection, RxDocument } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createReplica, type RejectedWrite, type Replica, type SyncTransport } from '@fleetsync/shared/sync';

export type DocData = Record<string, unknown> & { id: string };

export async function openBridgeReplica(opts: {
  transport: SyncTransport;
  bridgeId: string;
  onRejected: (r: RejectedWrite) => void;
}): Promise<Replica> {
  const safe = opts.bridgeId.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  return createReplica({
    name: `bridge_${safe}_${randomBytes(4).toString('hex')}`,
    storage: getRxStorageMemory() as never,
    transport: opts.transport,
    collections: ['printers', 'commands'],
    nodeId: `bridge-${opts.bridgeId}`.slice(0, 40),
    onRejected: opts.onRejected,
  });
}

/** A document's data without RxDB's local bookkeeping, or undefined when the replica has none. */
export async function readDoc(collection: RxCollection, id: string): Promise<DocData | undefined> {
  const doc = (await collection.findOne(id).exec()) as RxDocument<DocData> | null;
  return doc ? (doc.toJSON() as DocData) : undefined;
}

/**
 * Change a document in the replica (it is pushed from there). `change` sees the current data and
 * returns the new data, or null to leave it alone. False when the document is not in the replica.
 */
export async function modifyDoc(
  collection: RxCollection,
  id: string,
  change: (data: DocData) => DocData | null,
): Promise<boolean> {
  const doc = (await collection.findOne(id).exec()) as RxDocument<DocData> | null;
  // RxDB stores a new revision even for an identical state, so a no-op must not reach it.
  if (!doc || change(doc.toJSON() as DocData) === null) return false;
  let changed = false;
  await doc.incrementalModify((data) => {
    const next = change(data as DocData);
    changed = next !== null;
    return (next ?? data) as never;
  });
  return changed;
}
