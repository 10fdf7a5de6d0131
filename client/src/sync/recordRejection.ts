/** Keeps a server rejection in the local `attention` collection (SPEC S-P8). */
import type { RejectedWrite } from '@fleetsync/shared/sync';
import { attentionId } from '../db/attention.js';
import type { LocalStore } from '../db/openLocalStore.js';

/** Drops RxDB-local keys (`_deleted`, `_meta`, …) that do not belong in a stored object. */
function withoutLocalKeys(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')));
}

export async function recordRejection(store: LocalStore, r: RejectedWrite): Promise<void> {
  const docId = r.rejection.id;
  store.pending.remove([docId]);
  await store.db.attention.upsert({
    id: attentionId(r.collection, docId),
    collectionName: r.collection,
    docId,
    code: r.rejection.code,
    message: r.rejection.message,
    attempted: withoutLocalKeys(r.attempted),
    at: new Date().toISOString(),
  });
}
