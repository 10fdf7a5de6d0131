import { useMemo } from 'react';
import { map } from 'rxjs';
import type { AttentionItem } from '../db/attention.js';
import { useReady } from '../ui/appContext.js';
import { useObservable } from './useObservable.js';

const EMPTY: AttentionItem[] = [];

/** Server rejections waiting for a person, newest first. */
export function useAttention(): AttentionItem[] {
  const { workspace } = useReady();
  const items$ = useMemo(
    () =>
      workspace.store.db.attention
        .find()
        .$.pipe(map((docs) => docs.map((d) => d.toMutableJSON()).sort((a, b) => b.at.localeCompare(a.at)))),
    [workspace],
  );
  return useObservable(items$, EMPTY);
}

/** Rejection message per document id, for the badges on list rows. */
export function useRejections(): ReadonlyMap<string, string> {
  const items = useAttention();
  return useMemo(() => new Map(items.map((i) => [i.docId, i.message])), [items]);
}
