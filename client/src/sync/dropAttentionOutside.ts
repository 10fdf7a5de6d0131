/**
 * After a scope change (SPEC S-S6) the replicated collections drop what may no longer be
 * read; the local `attention` list holds copies of refused writes, so it drops them too.
 */
import { outOfScope, type ScopeInfo } from '@fleetsync/shared/sync';
import type { AttentionItem } from '../db/attention.js';
import type { LocalStore } from '../db/openLocalStore.js';

/** The attention items whose document lies outside what the user may read now. */
export function attentionOutside(items: readonly AttentionItem[], scope: ScopeInfo): string[] {
  return items.filter((i) => outOfScope(i.attempted, scope.collections[i.collectionName])).map((i) => i.id);
}

export async function dropAttentionOutside(store: LocalStore, scope: ScopeInfo): Promise<void> {
  const items = (await store.db.attention.find().exec()).map((d) => d.toMutableJSON());
  const ids = attentionOutside(items, scope);
  if (ids.length === 0) return;
  await store.db.attention.bulkRemove(ids);
  await store.db.attention.cleanup(0);
}
